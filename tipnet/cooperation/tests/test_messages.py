"""Sending and receiving police messages on one node: what is queued, stored and refused."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tipnet.cases import actions as cases
from tipnet.cooperation import actions
from tipnet.cooperation.models import Consent, Item, Message, Thread
from tipnet.exchange.models import OutboxMessage

from .conftest import RECRUITER, arrive, opening

PDF = b"%PDF-1.4\n% statement (fictional)\n%%EOF\n"


def test_a_request_from_a_case_carries_the_ticked_persons_and_is_queued(network, officer, case):
    ident = case.suspect_row.person.identifiers.get()
    thread = actions.do_send(
        officer,
        case,
        kind="request",
        recipient="AE-MOJ",
        subject="Who holds this phone in Dubai?",
        priority="urgent",
        handling_code="H1",
        person_ids=[case.suspect_row.pk],
        identifier_ids=[ident.pk],
        files=[("statement.pdf", PDF)],
    )
    message = thread.messages.get()
    outbox = OutboxMessage.objects.get(message_id=message.outbox_id)
    assert (outbox.type, outbox.recipient, outbox.state) == (
        "cooperation.message",
        "AE-MOJ",
        "queued",
    )
    assert outbox.conversation_id == str(thread.uid)
    data = json.loads(message.items.get().data)
    assert data["full_name"] == "Rustam Karimov (fictional)"
    assert data["identifiers"] == [{"kind": "phone", "value": "+998901234567", "country": ""}]
    # Urgent police requests default to eight hours.
    assert 7.9 < (thread.deadline - thread.created_at).total_seconds() / 3600 <= 8


def test_the_subject_text_and_persons_are_sealed_at_rest(network, officer, case):
    thread = actions.do_send(
        officer,
        case,
        kind="spontaneous",
        recipient="KG-GPO",
        subject="Karimov travels to Osh",
        body="Karimov left on Tuesday.",
        person_ids=[case.suspect_row.pk],
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT subject FROM cooperation_thread WHERE id = %s", [thread.pk])
        assert "Karimov" not in cursor.fetchone()[0]
        cursor.execute("SELECT data FROM cooperation_item")
        assert "Karimov" not in cursor.fetchone()[0]


def test_a_person_not_in_the_case_or_a_file_of_another_type_is_refused(network, officer, case):
    other = cases.do_create_case(officer, title="Other", summary="x", route=[("UZ", "origin")])
    stranger = cases.do_add_person_to_case(
        officer, other, cases.do_create_person(officer, full_name="Someone Else"), "witness"
    )
    with pytest.raises(ValidationError) as refused:
        actions.do_send(
            officer, case, kind="request", recipient="AE-MOJ", subject="s", person_ids=[stranger.pk]
        )
    assert "persons" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        actions.do_send(
            officer,
            case,
            kind="request",
            recipient="AE-MOJ",
            subject="s",
            files=[("run.exe", b"MZ\x90\x00binary")],
        )
    assert "files" in refused.value.message_dict
    with pytest.raises(ValidationError):
        actions.do_send(officer, case, kind="request", recipient="XX-NONE", subject="s")
    assert not Thread.objects.exists() and not OutboxMessage.objects.exists()


def test_an_incoming_message_is_stored_once_and_the_inbox_copy_is_sealed(network, officer):
    from tipnet.exchange.envelope import Message as Envelope
    from tipnet.exchange.handlers import stored_payload

    payload = opening("H2")
    first = arrive(payload)
    again = arrive(payload)
    assert first.pk == again.pk and Message.objects.count() == 1
    assert first.thread.agency == officer.agency and first.thread.direction == "incoming"
    kept = stored_payload(
        Envelope(
            type="cooperation.message", sender="KG-GPO", recipient="UZ-GPO", payload=dict(payload)
        )
    )
    assert RECRUITER not in json.dumps(kept) and "sealed" in kept["items"]


def test_a_reply_before_its_thread_waits_and_a_bad_payload_is_refused(network, officer):
    from tipnet.cooperation.inbound import NotYet

    reply = opening(kind="reply")
    with pytest.raises(NotYet):
        arrive(reply)
    with pytest.raises(ValueError, match="handling code"):
        arrive(opening("H9"))
    with pytest.raises(ValueError):
        arrive({**opening(), "surprise": 1})
    assert not Thread.objects.exists()


def test_restricted_information_cannot_be_forwarded_exported_or_shared(
    network, officer, case, restricted, uz_mvd
):
    item = Item.objects.get(message__thread=restricted)
    row = actions.do_attach_item(officer, item, case)
    assert row.person.full_name == RECRUITER
    assert row.person.identifiers.get().normalised == "+998935550101"
    with pytest.raises(ValidationError, match="consent"):
        actions.do_forward(officer, restricted, recipient="AE-MOJ")
    with pytest.raises(ValidationError, match="consent"):
        actions.do_export(officer, restricted)
    with pytest.raises(ValidationError, match="consent"):
        cases.do_grant_case(officer, case, agency=uz_mvd, reason="joint work")
    with pytest.raises(ValidationError, match="consent"):
        actions.do_send(
            officer, case, kind="spontaneous", recipient="AE-MOJ", subject="s", person_ids=[row.pk]
        )


def test_the_senders_consent_lifts_the_restriction(network, officer, case, restricted, uz_mvd):
    actions.do_attach_item(officer, Item.objects.get(message__thread=restricted), case)
    actions.do_request_consent(officer, restricted, "To share with the Ministry's police.")
    restricted.refresh_from_db()
    assert restricted.consent == Consent.REQUESTED
    answer = opening(kind="consent_granted", thread=str(restricted.uid), items=[])
    arrive(answer, message_type="cooperation.consent")
    restricted.refresh_from_db()
    assert restricted.consent == Consent.GRANTED
    cases.do_grant_case(officer, case, agency=uz_mvd, reason="joint work")
    assert actions.do_export(officer, restricted)[0].endswith(".json")


def test_h3_lets_the_case_be_shared_with_the_prosecution_only(network, officer, case, uz_mvd):
    from conftest import make_user

    thread = arrive(opening("H3")).thread
    actions.do_attach_item(officer, Item.objects.get(message__thread=thread), case)
    with pytest.raises(ValidationError, match="only to Prosecutor"):
        cases.do_grant_case(officer, case, agency=uz_mvd, reason="police")
    police = make_user("mvd_investigator", uz_mvd, "investigator")
    with pytest.raises(ValidationError, match="only to Prosecutor"):
        cases.do_grant_case(officer, case, user=police, reason="police")
    make_user("mvd_prosecutor", uz_mvd, "prosecutor")
    cases.do_grant_case(officer, case, agency=uz_mvd, reason="prosecution")
    with pytest.raises(ValidationError):
        actions.do_forward(officer, thread, recipient="AE-MOJ")
    with pytest.raises(ValidationError):
        actions.do_export(officer, thread)


def test_attachments_are_sealed_at_rest_and_read_back_in_clear(network, officer, case):
    thread = actions.do_send(
        officer,
        case,
        kind="spontaneous",
        recipient="KG-GPO",
        subject="Statement",
        files=[("statement.pdf", PDF)],
    )
    stored = thread.messages.get().files.get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT content FROM cooperation_attachment WHERE id = %s", [stored.pk])
        raw = bytes(cursor.fetchone()[0])
    assert b"statement (fictional)" not in raw and raw.startswith(b"nacl1:")
    stored.refresh_from_db()
    assert stored.content == PDF


def test_the_migration_seals_files_stored_in_clear(network, officer, case):
    from tipnet.lib.sealedfields import encrypt_binary_columns

    thread = actions.do_send(
        officer, case, kind="spontaneous", recipient="KG-GPO", subject="s", files=[("a.pdf", PDF)]
    )
    stored = thread.messages.get().files.get()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cooperation_attachment SET content = %s", [PDF])
    encrypt_binary_columns(connection.schema_editor(), "cooperation_attachment", ["content"])
    encrypt_binary_columns(connection.schema_editor(), "cooperation_attachment", ["content"])
    stored.refresh_from_db()
    assert stored.content == PDF


def test_a_forward_keeps_the_files_that_came_with_the_thread(network, officer):
    from tipnet.exchange.envelope import Attachment as WireFile

    thread = arrive(opening("H0"), files=[WireFile("statement.pdf", "application/pdf", PDF)]).thread
    forward = actions.do_forward(officer, thread, recipient="AE-MOJ")
    sent = forward.messages.get()
    assert [(f.filename, f.content) for f in sent.files.all()] == [("statement.pdf", PDF)]
    outbox = OutboxMessage.objects.get(message_id=sent.outbox_id)
    assert outbox.recipient == "AE-MOJ" and outbox.attachment_names == ["statement.pdf"]
    assert forward.forwarded_from == thread
