import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tipnet.accounts.models import User
from tipnet.audit.models import AuditEvent

GOOD = {
    "username": "new_officer",
    "full_name": "Тестовый Пользователь",
    "roles": ["investigator", "prosecutor"],
    "password": "Long-enough-pass-42",
}


def test_a_node_admin_creates_a_user_with_several_roles(node_admin, uz_mvd, client_as):
    response = client_as(node_admin).post("/accounts/users/new/", {**GOOD, "agency": uz_mvd.id})
    assert response.status_code == 302
    user = User.objects.get(username="new_officer")
    assert user.role_codes() == {"investigator", "prosecutor"}
    assert user.full_name == "Тестовый Пользователь"
    assert AuditEvent.objects.filter(tag="accounts:user:create", object_id=str(user.pk)).exists()


def test_a_weak_password_is_refused_and_nothing_is_stored(node_admin, uz_mvd, client_as):
    data = {**GOOD, "agency": uz_mvd.id, "password": "123"}
    response = client_as(node_admin).post("/accounts/users/new/", data)
    assert response.status_code == 200
    assert "too short" in response.content.decode()
    assert not User.objects.filter(username="new_officer").exists()


def test_an_unknown_role_is_refused(node_admin, uz_mvd, client_as):
    data = {**GOOD, "agency": uz_mvd.id, "roles": ["superuser"]}
    response = client_as(node_admin).post("/accounts/users/new/", data)
    assert response.status_code == 200
    assert not User.objects.filter(username="new_officer").exists()


def test_others_do_not_see_the_user_pages(investigator, client_as):
    client = client_as(investigator)
    assert client.get("/accounts/users/").status_code == 404
    assert client.post("/accounts/users/new/", GOOD).status_code == 404


def test_createuser_makes_a_user_from_the_command_line(uz_mvd, monkeypatch):
    monkeypatch.setenv("TIPNET_PASSWORD", "Command-line-pass-7")
    call_command("createuser", "cli_user", "--agency", "UZ-MVD", "--role", "analyst")
    assert User.objects.get(username="cli_user").role_codes() == {"analyst"}


def test_createuser_refuses_an_unknown_agency(db, monkeypatch):
    monkeypatch.setenv("TIPNET_PASSWORD", "Command-line-pass-7")
    with pytest.raises(CommandError, match="no agency"):
        call_command("createuser", "cli_user", "--agency", "XX-NONE", "--role", "analyst")
    assert not User.objects.filter(username="cli_user").exists()
