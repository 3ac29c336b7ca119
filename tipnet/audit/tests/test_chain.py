import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from tipnet.audit.actions import record
from tipnet.audit.models import GENESIS_HASH, AppendOnlyError, AuditEvent


def _three_events(actor=None):
    return [record(f"test:thing:step{i}", actor=actor, n=i) for i in range(3)]


def _drop_triggers():
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("DROP TRIGGER audit_event_append_only ON audit_auditevent")
        else:
            cur.execute("DROP TRIGGER audit_event_no_update")
            cur.execute("DROP TRIGGER audit_event_no_delete")


def test_each_event_links_to_the_one_before(db):
    first, second, third = _three_events()
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert [e.seq for e in (first, second, third)] == [1, 2, 3]


def test_an_event_records_actor_agency_and_object(investigator):
    event = record("accounts:user:touch", actor=investigator, obj=investigator)
    assert (event.actor, event.agency) == (investigator.username, "UZ-MVD")
    assert (event.object_type, event.object_id) == ("accounts.user", str(investigator.pk))


def test_a_tag_must_have_three_parts(db):
    with pytest.raises(ValueError, match="app:subject:action"):
        record("bad-tag")


def test_verify_passes_on_an_intact_chain(db, capsys):
    _three_events()
    call_command("audit", "verify")
    assert "3 events verified" in capsys.readouterr().out


def test_the_model_refuses_changes_and_deletion(db):
    event = _three_events()[0]
    event.tag = "x:y:z"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_the_database_refuses_raw_updates(db):
    _three_events()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE audit_auditevent SET actor = 'mallory'")
    assert not AuditEvent.objects.filter(actor="mallory").exists()


def test_verify_catches_a_row_edited_by_hand(db):
    _three_events()
    _drop_triggers()
    with connection.cursor() as cur:
        cur.execute("UPDATE audit_auditevent SET actor = 'mallory' WHERE seq = 2")
    with pytest.raises(CommandError, match=r"broken at event #2: content does not match"):
        call_command("audit", "verify")


def test_verify_catches_a_deleted_row(db):
    _three_events()
    _drop_triggers()
    with connection.cursor() as cur:
        cur.execute("DELETE FROM audit_auditevent WHERE seq = 2")
    with pytest.raises(CommandError, match=r"broken at event #2: event #2 is missing"):
        call_command("audit", "verify")


def test_verify_catches_a_rehashed_row_whose_link_no_longer_fits(db):
    _three_events()
    _drop_triggers()
    with connection.cursor() as cur:
        cur.execute("UPDATE audit_auditevent SET prev_hash = %s WHERE seq = 3", [GENESIS_HASH])
    with pytest.raises(CommandError, match=r"broken at event #3: link to the previous"):
        call_command("audit", "verify")
