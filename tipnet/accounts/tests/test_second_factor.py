from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD


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


def test_a_node_admin_confirms_a_device_with_a_right_code(node_admin, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = (
        0  # the wrong code below would otherwise delay the right one
    )
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


def test_repeated_wrong_codes_are_throttled(investigator):
    device = TOTPDevice.objects.create(user=investigator, name="default", confirmed=True)
    client = _password_login(investigator)
    bad = "123456" if _code(device) != "123456" else "654321"
    client.post("/accounts/2fa/verify/", {"code": bad})
    client.post("/accounts/2fa/verify/", {"code": _code(device)})
    assert client.get("/").status_code == 302
