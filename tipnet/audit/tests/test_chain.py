from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from tipnet.audit.actions import record
from tipnet.audit.chain import event_hash
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


def _verify_problems() -> list[str]:
    """Every problem `tipnet audit verify` reports (it fails when there is any)."""
    errors = StringIO()
    with pytest.raises(CommandError, match="audit chain broken"):
        call_command("audit", "verify", stdout=StringIO(), stderr=errors)
    return errors.getvalue().splitlines()


def test_verify_catches_a_row_edited_by_hand(db):
    _three_events()
    _drop_triggers()
    with connection.cursor() as cur:
        cur.execute("UPDATE audit_auditevent SET actor = 'mallory' WHERE seq = 2")
    assert _verify_problems() == ["event #2: content does not match its hash"]


def test_verify_catches_a_deleted_row(db):
    _three_events()
    _drop_triggers()
    with connection.cursor() as cur:
        cur.execute("DELETE FROM audit_auditevent WHERE seq = 2")
    assert _verify_problems() == ["event #2 is missing"]


def test_verify_catches_a_rehashed_row_whose_link_no_longer_fits(db):
    _three_events()
    _drop_triggers()
    with connection.cursor() as cur:
        cur.execute("UPDATE audit_auditevent SET prev_hash = %s WHERE seq = 3", [GENESIS_HASH])
    assert "event #3: link to the previous event is broken" in _verify_problems()


def test_verify_names_every_break_not_only_the_first(db):
    [record(f"test:thing:step{i}", n=i) for i in range(10)]
    _drop_triggers()
    with connection.cursor() as cur:
        cur.execute("UPDATE audit_auditevent SET actor = 'mallory' WHERE seq IN (2, 9)")
        cur.execute("DELETE FROM audit_auditevent WHERE seq IN (4, 5, 7)")
    assert _verify_problems() == [
        "event #2: content does not match its hash",
        "events #4 to #5 are missing",
        "event #7 is missing",
        "event #9: content does not match its hash",
    ]


def test_verify_catches_an_edit_rehashed_and_relinked_up_to_the_end(db):
    # Whoever rewrites one event and every hash after it leaves the head row behind.
    events = _three_events()
    _drop_triggers()
    fields = events[2].chained_fields() | {"actor": "mallory"}
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE audit_auditevent SET actor = 'mallory', hash = %s WHERE seq = 3",
            [event_hash(fields)],
        )
    assert _verify_problems() == [
        "the chain's head names event #3, but the last stored event is #3 with another hash"
    ]


def test_verify_catches_removed_newest_events_while_the_head_still_names_them(db):
    _three_events()
    _drop_triggers()
    with connection.cursor() as cur:
        cur.execute("DELETE FROM audit_auditevent WHERE seq = 3")
    assert _verify_problems() == [
        "the chain's head names event #3, but the last stored event is #2"
    ]


def test_verify_catches_a_deleted_head_row(db):
    _three_events()
    with connection.cursor() as cur:
        cur.execute("DELETE FROM audit_audithead")
    assert _verify_problems() == ["the chain's head row is missing"]
