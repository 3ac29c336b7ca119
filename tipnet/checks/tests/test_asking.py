"""Asking: what a query carries, and what is refused before anything is stored or sent."""

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from tipnet.audit.models import AuditEvent
from tipnet.checks import actions, link
from tipnet.checks.models import OutgoingCheck
from tipnet.exchange import envelope
from tipnet.exchange.models import OutboxMessage, OutboxWire
from tipnet.linkage.encoding import ENCODING_VERSION

from .conftest import add_person


def _refused(*args, **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        actions.do_check(*args, **kwargs)
    assert not OutgoingCheck.objects.exists() and not OutboxMessage.objects.exists()
    return " ".join(caught.value.messages)


def test_a_check_queues_one_query_per_node_with_encodings_only(
    checknet, suspect, investigator, uz_case
):
    made = actions.do_check(investigator, uz_case, [suspect], ["all"], "untoc_27")
    assert sorted(c.node for c in made) == ["AE-MOJ", "KG-GPO"]
    wire = OutboxWire.objects.get(outbox__recipient="AE-MOJ").wire
    message = envelope.decrypt(envelope.parse(bytes(wire)), checknet.peers["AE-MOJ"].encryption)
    payload = message.payload
    assert set(payload) == {
        "schema",
        "query_id",
        "kind",
        "epoch",
        "encoding",
        "name_clk",
        "person_clk",
        "tokens",
        "fields",
        "purpose",
    }
    assert payload["encoding"] == ENCODING_VERSION
    assert payload["purpose"] == {"case": link.case_id(uz_case), "legal_basis": "untoc_27"}
    text = str(payload)
    for secret in ("Шухрат", "Юсупов", "Shuhrat", "1985-03-14", uz_case.reference):
        assert secret not in text
    assert AuditEvent.objects.filter(tag="checks:query:send").count() == 2


def test_a_surname_alone_is_refused(checknet, investigator, uz_case):
    row = add_person(investigator, uz_case, "Юсупов")
    assert "surname alone" in _refused(investigator, uz_case, [row], ["all"], "untoc_27")


def test_a_surname_with_an_identifier_is_enough(checknet, investigator, uz_case):
    row = add_person(investigator, uz_case, "Юсупов", phone="+998 90 123 45 67")
    assert len(actions.do_check(investigator, uz_case, [row], ["AE-MOJ"], "untoc_27")) == 1


def test_a_check_needs_a_case_a_legal_basis_and_a_member_node(
    checknet, suspect, investigator, uz_case
):
    assert "from a case" in _refused(investigator, None, [suspect], ["all"], "untoc_27")
    assert "legal basis" in _refused(investigator, uz_case, [suspect], ["all"], "")
    message = _refused(investigator, uz_case, [suspect], ["TJ-NONE"], "untoc_27")
    assert "Not a member of the network: TJ-NONE" in message


def test_a_node_without_the_check_key_cannot_ask(network, suspect, investigator, uz_case):
    assert "no network check key" in _refused(investigator, uz_case, [suspect], ["all"], "tip_10")


@override_settings(TIPNET_CHECKS_USER_DAILY=3)
def test_a_user_over_the_daily_quota_is_refused(checknet, suspect, investigator, uz_case):
    actions.do_check(investigator, uz_case, [suspect], ["all"], "untoc_27")
    with pytest.raises(ValidationError, match="daily quota"):
        actions.do_check(investigator, uz_case, [suspect], ["all"], "untoc_27")
    assert OutgoingCheck.objects.count() == 2


def test_a_victim_is_checked_only_as_missing(checknet, investigator, uz_case):
    row = add_person(investigator, uz_case, "Гулнора Каримова", role="victim", sex="female")
    assert "missing or trafficked" in _refused(investigator, uz_case, [row], ["all"], "tip_10")
