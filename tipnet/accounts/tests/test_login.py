from django.test import Client

from conftest import PASSWORD
from tipnet.audit.models import AuditEvent


def _login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_it_logs_in_with_the_right_password(investigator):
    client = Client()
    response = _login(client, investigator.username, PASSWORD)
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(
        tag="accounts:session:login", actor=investigator.username
    ).exists()


def test_it_refuses_a_wrong_password(investigator):
    client = Client()
    response = _login(client, investigator.username, "nope")
    assert response.status_code == 200
    assert "User name or password is wrong." in response.content.decode()
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(tag="accounts:session:login_failed").count() == 1


def test_it_sends_anonymous_visitors_to_the_login_page(db):
    response = Client().get("/directory/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_locks_the_login_after_repeated_failures(investigator, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, investigator.username, "wrong-password")
    locked = _login(client, investigator.username, PASSWORD)
    assert locked.status_code == 429
    assert 'data-testid="locked"' in locked.content.decode()
    assert Client().get("/").status_code == 302


def test_it_does_not_follow_a_next_url_to_another_site(investigator):
    client = Client()
    response = client.post(
        "/accounts/login/",
        {"username": investigator.username, "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


def test_it_stores_passwords_with_argon2(investigator):
    assert investigator.password.startswith("argon2$")


def test_logout_needs_a_post_and_ends_the_session(client_as, investigator):
    client = client_as(investigator)
    assert client.get("/accounts/logout/").status_code == 405
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302


def test_the_login_form_needs_a_csrf_token(investigator):
    client = Client(enforce_csrf_checks=True)
    response = _login(client, investigator.username, PASSWORD)
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(tag="accounts:session:login").exists()
