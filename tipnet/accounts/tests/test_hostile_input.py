import pytest

from tipnet.accounts.models import User

HOSTILE = [
    "<script>alert(1)</script> Ali",
    "Robert'); DROP TABLE accounts_user; --",
    "Гулнора Karimova كريموفا กุลนารา",
]


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_are_stored_intact_and_rendered_escaped(node_admin, uz_mvd, client_as, name):
    client = client_as(node_admin)
    data = {
        "username": "hostile",
        "full_name": name,
        "agency": uz_mvd.id,
        "roles": ["analyst"],
        "password": "Long-enough-pass-42",
    }
    assert client.post("/accounts/users/new/", data).status_code == 302
    assert User.objects.get(username="hostile").full_name == name
    body = client.get("/accounts/users/").content.decode()
    assert "<script>alert(1)</script>" not in body
    if "<script>" in name:
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert User.objects.count() == 2


def test_a_name_with_control_characters_is_refused_clearly(node_admin, uz_mvd, client_as):
    data = {
        "username": "hostile",
        "full_name": "Gulnora \u0007bell\u001b[31m red",
        "agency": uz_mvd.id,
        "roles": ["analyst"],
        "password": "Long-enough-pass-42",
    }
    response = client_as(node_admin).post("/accounts/users/new/", data)
    assert response.status_code == 200
    assert "Remove the control characters (U+0007, U+001B)" in response.content.decode()
    assert not User.objects.filter(username="hostile").exists()


def test_a_megabyte_field_is_refused_with_a_clear_error(node_admin, uz_mvd, client_as):
    data = {
        "username": "big",
        "full_name": "x" * 1_000_000,
        "agency": uz_mvd.id,
        "roles": ["analyst"],
        "password": "Long-enough-pass-42",
    }
    response = client_as(node_admin).post("/accounts/users/new/", data)
    assert response.status_code == 200
    assert "at most 255 characters" in response.content.decode()
    assert not User.objects.filter(username="big").exists()


def test_a_null_byte_is_refused(node_admin, uz_mvd, client_as):
    data = {
        "username": "nul",
        "full_name": "A\x00B",
        "agency": uz_mvd.id,
        "roles": ["analyst"],
        "password": "Long-enough-pass-42",
    }
    response = client_as(node_admin).post("/accounts/users/new/", data)
    assert "Null characters are not allowed" in response.content.decode()
    assert not User.objects.filter(username="nul").exists()


def test_an_agency_id_that_does_not_exist_is_refused(node_admin, client_as):
    data = {
        "username": "ghost",
        "agency": 999999,
        "roles": ["analyst"],
        "password": "Long-enough-pass-42",
    }
    response = client_as(node_admin).post("/accounts/users/new/", data)
    assert response.status_code == 200
    assert not User.objects.filter(username="ghost").exists()


def test_a_user_form_without_a_csrf_token_is_refused(node_admin, uz_mvd):
    from django.test import Client

    from conftest import login_client

    client = login_client(node_admin)
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = client.cookies
    data = {
        "username": "nocsrf",
        "agency": uz_mvd.id,
        "roles": ["analyst"],
        "password": "Long-enough-pass-42",
    }
    assert strict.post("/accounts/users/new/", data).status_code == 403
    assert not User.objects.filter(username="nocsrf").exists()
