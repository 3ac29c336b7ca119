"""This node (UZ-GPO) answers the queries of a partner (AE-MOJ, in memory) as its policy says."""

import base64
import uuid

from django.test import override_settings

from tipnet.checks import actions, index, link
from tipnet.checks.models import Alert, Hit, IncomingCheck, OutgoingCheck, Result
from tipnet.exchange import envelope
from tipnet.exchange.actions import do_receive_message
from tipnet.exchange.models import InboxMessage, OutboxWire

from .conftest import add_person, install_check_key


def _query(key, name="Shuhrat Yusupov", birth="1985-03-14", **overrides) -> dict:
    encoded = index.encode(key, name, birth, "male", [])
    fields = ["given_name", "surname", "birth_date", "sex"]
    return {
        "schema": link.QUERY_SCHEMA,
        "query_id": str(uuid.uuid4()),
        "kind": "person",
        "epoch": encoded.epoch,
        "encoding": index.encoding_version(),
        "name_clk": base64.b64encode(encoded.name_clk).decode(),
        "person_clk": base64.b64encode(encoded.person_clk).decode(),
        "tokens": encoded.tokens,
        "fields": fields,
        "purpose": {"case": "ab" * 32, "legal_basis": "untoc_27"},
    } | overrides


def _ask(net, payload) -> IncomingCheck:
    status, _answer = do_receive_message(
        net.wire(sender="AE-MOJ", type=link.QUERY, payload=payload)
    )
    assert status == 200
    return IncomingCheck.objects.get(uid=payload["query_id"])


def _answers(net) -> list[dict]:
    private = net.peers["AE-MOJ"].encryption
    opened = []
    for row in OutboxWire.objects.filter(outbox__type=link.ANSWER):
        opened.append(envelope.decrypt(envelope.parse(bytes(row.wire)), private).payload)
    return opened


def test_a_latin_query_finds_the_cyrillic_suspect_and_answers_a_reference(checknet, suspect):
    incoming = _ask(checknet, _query(checknet.check_key))
    hit = Hit.objects.get(incoming=incoming)
    assert incoming.result == Result.HIT and hit.person_id == suspect.person_id
    (answer,) = _answers(checknet)
    assert answer["result"] == "hit" and answer["reference"] == hit.reference
    assert answer["strength"] == "strong" and answer["valid_days"] == 30
    assert "Юсупов" not in str(answer) and "1985" not in str(answer)


def test_another_person_is_no_hit(checknet, suspect):
    incoming = _ask(checknet, _query(checknet.check_key, name="Timur Rakhimov"))
    assert incoming.result == Result.NO_HIT and not Hit.objects.exists()
    assert _answers(checknet)[0] == {
        "schema": link.ANSWER_SCHEMA,
        "query_id": str(incoming.uid),
        "result": "no_hit",
    }


def test_a_victim_is_never_found_by_a_person_check(checknet, uz_case, investigator):
    add_person(investigator, uz_case, "Шухрат Юсупов", role="victim")
    assert _ask(checknet, _query(checknet.check_key)).result == Result.NO_HIT


def test_a_missing_person_check_finds_a_victim_only_when_the_policy_allows(
    checknet, uz_case, investigator
):
    add_person(investigator, uz_case, "Шухрат Юсупов", role="victim")
    refused = _ask(checknet, _query(checknet.check_key, kind="missing"))
    assert (refused.result, refused.reason) == (Result.REFUSED, "not_answered")
    actions.do_set_policy(investigator, ["suspect"], answer_missing=True, hold_hits=False)
    assert _ask(checknet, _query(checknet.check_key, kind="missing")).result == Result.HIT


def test_refusals_name_their_reason_and_a_query_without_a_case_raises_an_alert(checknet, suspect):
    key = checknet.check_key
    cases = [
        (_query(key, purpose={"case": "", "legal_basis": "untoc_27"}), "no_case"),
        (_query(key, fields=["surname"]), "too_few_fields"),
        (_query(key, epoch=key.epoch - 1), "epoch_expired"),
        (_query(key, epoch=key.epoch + 1), "epoch_unknown"),
        (_query(key, encoding=index.encoding_version() - 1), "encoding_version"),
        (_query(key, name_clk=base64.b64encode(b"short").decode()), "malformed"),
    ]
    for payload, reason in cases:
        incoming = _ask(checknet, payload)
        assert (incoming.result, incoming.reason) == (Result.REFUSED, reason)
    assert {a["reason"] for a in _answers(checknet)} == {r for _p, r in cases}
    assert Alert.objects.get(kind="no_case").sender == "AE-MOJ"
    assert Alert.objects.get(kind="refused").count == 5
    assert not Hit.objects.exists()


def test_a_query_from_a_node_that_sends_no_encoding_version_is_refused_by_version(
    checknet, suspect
):
    payload = _query(checknet.check_key)
    del payload["encoding"]  # a node from before encodings had versions: version 1
    incoming = _ask(checknet, payload)
    assert (incoming.result, incoming.reason) == (Result.REFUSED, "encoding_version")
    assert not Hit.objects.exists()


@override_settings(TIPNET_CHECKS_NODE_DAILY=2, TIPNET_CHECKS_ALERT_BURST=2)
def test_a_node_over_its_daily_quota_is_refused_and_a_burst_alerts_the_admin(checknet, suspect):
    results = [_ask(checknet, _query(checknet.check_key)) for _i in range(3)]
    assert [r.result for r in results] == [Result.HIT, Result.HIT, Result.REFUSED]
    assert results[-1].reason == "over_quota"
    assert Alert.objects.filter(kind="burst", sender="AE-MOJ", is_open=True).exists()


def test_a_held_hit_is_answered_only_after_an_officer_confirms_it(checknet, suspect, investigator):
    actions.do_set_policy(investigator, ["suspect"], answer_missing=False, hold_hits=True)
    incoming = _ask(checknet, _query(checknet.check_key))
    assert incoming.result == Result.HELD and _answers(checknet) == []
    hit = Hit.objects.get(incoming=incoming)
    actions.do_review_hit(investigator, hit, "confirmed")
    (answer,) = _answers(checknet)
    assert answer["result"] == "hit" and answer["reference"] == hit.reference


def test_a_rejected_held_hit_is_answered_no_hit(checknet, suspect, investigator):
    actions.do_set_policy(investigator, ["suspect"], answer_missing=False, hold_hits=True)
    hit = Hit.objects.get(incoming=_ask(checknet, _query(checknet.check_key)))
    actions.do_review_hit(investigator, hit, "rejected")
    assert _answers(checknet)[0]["result"] == "no_hit"


def test_an_answer_is_recorded_only_from_the_node_that_was_asked(
    checknet, suspect, investigator, uz_case
):
    (check,) = actions.do_check(investigator, uz_case, [suspect], ["AE-MOJ"], "tip_10")
    answer = {"schema": link.ANSWER_SCHEMA, "query_id": str(check.uid), "result": "no_hit"}
    do_receive_message(checknet.wire(sender="KG-GPO", type=link.ANSWER, payload=answer))
    assert InboxMessage.objects.get(type=link.ANSWER).state == "failed"
    check.refresh_from_db()
    assert check.result == Result.PENDING
    hit = answer | {"result": "hit", "reference": "Xy12", "strength": "strong", "valid_days": 30}
    do_receive_message(checknet.wire(sender="AE-MOJ", type=link.ANSWER, payload=hit))
    check = OutgoingCheck.objects.get(pk=check.pk)
    assert (check.result, check.reference, check.reference_is_valid) == ("hit", "Xy12", True)


def test_a_query_under_the_previous_epoch_is_refused_after_a_rotation(checknet, suspect):
    old = checknet.check_key
    install_check_key(checknet, rotate=True)
    incoming = _ask(checknet, _query(old))
    assert (incoming.result, incoming.reason) == (Result.REFUSED, "epoch_expired")
