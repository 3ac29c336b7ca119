from io import StringIO

from django.apps import apps
from django.core.management import call_command

from tipnet.accounts.demo import DEMO_PASSWORD, USERS
from tipnet.accounts.models import User


def _counts() -> dict[str, int]:
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.app_label in {"accounts", "audit", "directory", "cases"}
    }


def test_the_demo_loads_users_for_every_role_and_prints_their_logins(db):
    out = StringIO()
    call_command("demo", stdout=out)
    for username, *_ in USERS:
        assert User.objects.get(username=username).check_password(DEMO_PASSWORD)
    roles = set().union(*(u.role_codes() for u in User.objects.all()))
    assert roles == {
        "investigator",
        "prosecutor",
        "central_authority",
        "caseworker",
        "analyst",
        "node_admin",
    }
    assert DEMO_PASSWORD in out.getvalue() and "investigator" in out.getvalue()


def test_running_the_demo_twice_changes_nothing(db):
    call_command("demo", stdout=StringIO())
    first = _counts()
    call_command("demo", stdout=StringIO())
    assert _counts() == first
    assert first["audit.AuditEvent"] > 0


def test_demo_users_are_marked_fictional(db):
    call_command("demo", stdout=StringIO())
    assert all("fictional" in u.full_name for u in User.objects.all())
