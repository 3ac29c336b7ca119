import base64
import re
from datetime import timedelta

from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from tipnet.accounts.otp import FREE_TRIES, MAX_WAIT_SECONDS, seconds_to_wait
from tipnet.audit.models import AuditEvent


def _code(device) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def _password_login(user) -> Client:
    client = Client()
    client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    return client


def test_a_node_admin_without_a_device_must_set_one_up(node_admin):
    TOTPDevice.objects.filter(user=node_admin).delete()
    client = _password_login(node_admin)
    response = client.get("/accounts/users/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/setup/"


def test_a_node_admin_confirms_a_device_with_a_right_code_after_a_wrong_one(node_admin):
    TOTPDevice.objects.filter(user=node_admin).delete()
    client = _password_login(node_admin)
    client.get("/accounts/2fa/setup/")
    device = TOTPDevice.objects.get(user=node_admin, confirmed=False)
    wrong = client.post(
        "/accounts/2fa/setup/", {"code": "000000" if _code(device) != "000000" else "111111"}
    )
    assert wrong.status_code == 200
    device.refresh_from_db()
    assert not device.confirmed
    client.post("/accounts/2fa/setup/", {"code": _code(device)})
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/accounts/users/").status_code == 200


def test_a_user_with_a_device_must_enter_a_code_after_the_password(investigator):
    device = TOTPDevice.objects.create(user=investigator, name="default", confirmed=True)
    client = _password_login(investigator)
    assert client.get("/")["Location"] == "/accounts/2fa/verify/"
    client.post("/accounts/2fa/verify/", {"code": _code(device)})
    assert client.get("/").status_code == 200


def test_a_wrong_code_keeps_the_user_out(investigator):
    device = TOTPDevice.objects.create(user=investigator, name="default", confirmed=True)
    client = _password_login(investigator)
    bad = "123456" if _code(device) != "123456" else "654321"
    response = client.post("/accounts/2fa/verify/", {"code": bad})
    assert "That code is not right" in response.content.decode()
    assert client.get("/").status_code == 302


def test_the_code_must_be_six_digits(investigator):
    TOTPDevice.objects.create(user=investigator, name="default", confirmed=True)
    client = _password_login(investigator)
    response = client.post("/accounts/2fa/verify/", {"code": "12ab<script>"})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()
    assert client.get("/").status_code == 302


def test_any_user_may_turn_on_the_second_factor(investigator, client_as):
    client = client_as(investigator)
    response = client.get("/accounts/2fa/setup/")
    assert response.status_code == 200
    assert "<svg" in response.content.decode()


def _wrong(device) -> str:
    return "123456" if _code(device) != "123456" else "654321"


def test_a_right_code_is_accepted_right_after_a_wrong_one(investigator):
    device = TOTPDevice.objects.create(user=investigator, name="default", confirmed=True)
    client = _password_login(investigator)
    client.post("/accounts/2fa/verify/", {"code": _wrong(device)})
    client.post("/accounts/2fa/verify/", {"code": _code(device)})
    assert client.get("/").status_code == 200


def test_a_wrong_code_is_called_wrong_not_blamed_on_the_clock(node_admin):
    TOTPDevice.objects.filter(user=node_admin).delete()
    client = _password_login(node_admin)
    client.get("/accounts/2fa/setup/")
    device = TOTPDevice.objects.get(user=node_admin, confirmed=False)
    page = client.post("/accounts/2fa/setup/", {"code": _wrong(device)}).content.decode()
    assert "That code is not right; try the current code." in page
    assert "clock" not in page


def test_repeated_wrong_codes_make_the_next_try_wait(investigator):
    device = TOTPDevice.objects.create(user=investigator, name="default", confirmed=True)
    client = _password_login(investigator)
    for _ in range(FREE_TRIES):
        client.post("/accounts/2fa/verify/", {"code": _wrong(device)})
    page = client.post("/accounts/2fa/verify/", {"code": _code(device)}).content.decode()
    assert "Too many wrong codes: wait 1 second" in page
    assert client.get("/").status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == FREE_TRIES


def test_the_waits_double_with_every_further_wrong_code(investigator):
    device = TOTPDevice.objects.create(
        user=investigator,
        name="default",
        confirmed=True,
        throttling_failure_count=FREE_TRIES + 4,
        throttling_failure_timestamp=timezone.now(),
    )
    assert seconds_to_wait(device) == 16
    device.throttling_failure_count = 100
    assert seconds_to_wait(device) == MAX_WAIT_SECONDS


def test_the_right_code_is_taken_once_the_wait_is_over(investigator):
    device = TOTPDevice.objects.create(
        user=investigator,
        name="default",
        confirmed=True,
        throttling_failure_count=FREE_TRIES + 2,
        throttling_failure_timestamp=timezone.now() - timedelta(seconds=5),
    )
    client = _password_login(investigator)
    client.post("/accounts/2fa/verify/", {"code": _code(device)})
    assert client.get("/").status_code == 200
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_a_code_cannot_be_used_twice(investigator):
    device = TOTPDevice.objects.create(user=investigator, name="default", confirmed=True)
    code = _code(device)
    first = _password_login(investigator)
    first.post("/accounts/2fa/verify/", {"code": code})
    assert first.get("/").status_code == 200
    second = _password_login(investigator)
    page = second.post("/accounts/2fa/verify/", {"code": code}).content.decode()
    assert "That code has been used already; wait for the next one." in page
    assert second.get("/").status_code == 302


def test_a_key_scanned_before_a_reload_still_confirms_the_device(investigator, client_as):
    client = client_as(investigator)
    first = client.get("/accounts/2fa/setup/").content.decode()
    second = client.get("/accounts/2fa/setup/").content.decode()
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7]+)<', first).group(1)
    assert secret in second
    device = TOTPDevice.objects.get(user=investigator)
    assert base64.b32encode(device.bin_key).decode().rstrip("=") == secret
    client.post("/accounts/2fa/setup/", {"code": _code(device)})
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(tag="accounts:totp:start").count() == 1


def test_a_password_alone_cannot_replace_the_second_factor(investigator):
    device = TOTPDevice.objects.create(user=investigator, name="default", confirmed=True)
    client = _password_login(investigator)
    response = client.get("/accounts/2fa/setup/")
    assert response["Location"] == "/accounts/2fa/verify/"
    client.post("/accounts/2fa/setup/", {"code": "123456"})
    assert list(TOTPDevice.objects.filter(user=investigator)) == [device]


def test_every_code_checked_is_audited(investigator):
    device = TOTPDevice.objects.create(user=investigator, name="default", confirmed=True)
    client = _password_login(investigator)
    client.post("/accounts/2fa/verify/", {"code": _wrong(device)})
    client.post("/accounts/2fa/verify/", {"code": _code(device)})
    outcomes = AuditEvent.objects.filter(tag="accounts:totp:check").order_by("pk")
    assert [e.detail["outcome"] for e in outcomes] == ["wrong", "ok"]


def _secret(page: str) -> str:
    found = re.search(r'data-testid="totp-secret">([A-Z2-7]+)<', page)
    assert found, "no secret on the page"
    return found.group(1)


def test_reloading_the_set_up_page_keeps_one_pending_key(investigator, client_as):
    client = client_as(investigator)
    secrets = {_secret(client.get("/accounts/2fa/setup/").content.decode()) for _ in range(3)}
    assert len(secrets) == 1
    assert TOTPDevice.objects.filter(user=investigator).count() == 1
    client.post("/accounts/2fa/setup/", {"code": "000000"})  # a wrong code keeps the key too
    assert _secret(client.get("/accounts/2fa/setup/").content.decode()) in secrets
    assert TOTPDevice.objects.filter(user=investigator).count() == 1


def test_an_explicit_restart_makes_a_new_key_and_the_old_one_stops_working(investigator, client_as):
    client = client_as(investigator)
    old_secret = _secret(client.get("/accounts/2fa/setup/").content.decode())
    old = TOTPDevice.objects.get(user=investigator)
    response = client.post("/accounts/2fa/setup/", {"restart": "1"})
    assert response.status_code == 302
    new_secret = _secret(client.get("/accounts/2fa/setup/").content.decode())
    assert new_secret != old_secret
    new = TOTPDevice.objects.get(user=investigator)  # one pending device, the new one
    client.post("/accounts/2fa/setup/", {"code": _code(old)})
    new.refresh_from_db()
    assert not new.confirmed
    client.post("/accounts/2fa/setup/", {"code": _code(new)})
    new.refresh_from_db()
    assert new.confirmed
    assert AuditEvent.objects.filter(tag="accounts:totp:restart").count() == 1


def test_a_restart_keeps_the_confirmed_device_until_the_new_key_is_confirmed(investigator):
    device = TOTPDevice.objects.create(user=investigator, name="default", confirmed=True)
    client = _password_login(investigator)
    client.post("/accounts/2fa/verify/", {"code": _code(device)})
    client.post("/accounts/2fa/setup/", {"restart": "1"})
    assert TOTPDevice.objects.filter(user=investigator, confirmed=True).get() == device


def test_a_device_confirmed_in_another_session_is_asked_for_within_a_minute(
    investigator, monkeypatch
):
    import time
    from types import SimpleNamespace

    from tipnet.accounts.middleware import NO_FACTOR_SECONDS

    client = _password_login(investigator)
    assert client.get("/").status_code == 200  # no device: remembered for this session
    TOTPDevice.objects.create(user=investigator, name="default", confirmed=True)
    later = time.time() + NO_FACTOR_SECONDS + 1
    monkeypatch.setattr(
        "django.core.cache.backends.locmem.time", SimpleNamespace(time=lambda: later)
    )
    assert client.get("/")["Location"] == "/accounts/2fa/verify/"
