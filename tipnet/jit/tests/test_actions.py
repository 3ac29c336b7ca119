"""The agreement's life on one node: proposal, signatures, sharing, withdrawal, amendment, end."""

import json

import pytest
from django.core.exceptions import ValidationError

from tipnet.exchange.models import OutboxMessage
from tipnet.jit import actions, receive
from tipnet.jit.enums import State
from tipnet.jit.models import Item
from tipnet.jit.tests.conftest import peer_signs, propose


def sent(message_type: str) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(type=message_type).order_by("id"))


def test_a_proposal_is_stored_hashed_and_queued_to_the_partner(proposal, prosecutor):
    assert proposal.state == State.PROPOSED
    assert len(proposal.text_sha256) == 64
    assert [m.recipient for m in sent("jit.agreement")] == ["AE-MOJ"]
    assert proposal.nodes() == ["UZ-GPO", "AE-MOJ"]
    assert proposal.members.filter(user=prosecutor).exists()


def test_a_proposal_to_an_unknown_node_stores_nothing(network, prosecutor, uz_case):
    with pytest.raises(ValidationError):
        propose(prosecutor, uz_case, partner="TR-EGM")
    assert not sent("jit.agreement")


def test_it_is_in_force_only_when_every_party_signed_the_current_version(
    network, proposal, prosecutor
):
    actions.do_sign(prosecutor, proposal)
    assert proposal.state == State.PROPOSED
    assert [m.recipient for m in sent("jit.signature")] == ["AE-MOJ"]
    receive.receive_signature("AE-MOJ", peer_signs(network, proposal))
    proposal.refresh_from_db()
    assert proposal.state == State.IN_FORCE


def test_an_investigator_cannot_sign(proposal, investigator):
    with pytest.raises(ValidationError):
        actions.do_sign(investigator, proposal)


def test_a_forged_signature_is_refused(network, proposal):
    forged = peer_signs(network, proposal, node="KG-GPO") | {"node": "AE-MOJ"}
    with pytest.raises(receive.Refused):
        receive.receive_signature("AE-MOJ", forged)
    assert not proposal.signatures.exists()


def test_a_signature_of_another_text_is_refused(network, proposal):
    other = peer_signs(network, proposal, text_sha256="0" * 64)
    with pytest.raises(receive.Refused):
        receive.receive_signature("AE-MOJ", other)


def test_an_amendment_needs_every_signature_again(network, in_force, prosecutor):
    old_hash = in_force.text_sha256
    actions.do_amend(prosecutor, in_force, purpose="Also the financiers in Dubai.")
    assert in_force.state == State.AMENDED and in_force.version == 2
    assert in_force.text_sha256 != old_hash
    with pytest.raises(ValidationError):
        actions.do_share_person(prosecutor, in_force, in_force.case.case_persons.first())


def test_nothing_is_shared_before_the_agreement_is_in_force(proposal, prosecutor):
    with pytest.raises(ValidationError):
        actions.do_add_task(prosecutor, proposal, "Interview the recruiter")


def test_a_shared_person_travels_with_roles_and_interpol_references(in_force, prosecutor):
    recruiter = in_force.case.case_persons.get(chain_role="recruiter")
    item = actions.do_share_person(prosecutor, in_force, recruiter)
    body = json.loads(item.body)
    assert body["chain_role"] == "recruiter"
    assert body["interpol"] == [{"kind": "interpol_notice", "value": "RED A-1234/5-2026"}]
    assert sent("jit.item")[-1].recipient == "AE-MOJ"


def test_victims_are_not_shared_in_the_chain(in_force, prosecutor):
    victim = in_force.case.case_persons.get(role="victim")
    with pytest.raises(ValidationError):
        actions.do_share_person(prosecutor, in_force, victim)


def _item_from_ae(agreement, uid="6f1d2c1e-0000-4000-8000-000000000001", revision=1):
    body = {"name": "Omar Exploiter", "latin_name": "Omar Exploiter", "role": "suspect"}
    body |= {"chain_role": "exploiter", "case_reference": "AE-MOJ-2026-1", "interpol": []}
    payload = {"agreement": str(agreement.uid), "uid": uid, "kind": "person"}
    return payload | {"revision": revision, "body": body}


def test_a_withdrawal_that_overtakes_its_item_still_wins(in_force):
    item = _item_from_ae(in_force)
    receive.receive_withdrawal("AE-MOJ", {**item, "body": None})
    receive.receive_item("AE-MOJ", item)
    stored = Item.objects.get(uid=item["uid"])
    assert stored.is_withdrawn and stored.body == ""


def test_an_item_from_a_node_that_is_not_a_party_is_refused(in_force):
    with pytest.raises(receive.Refused):
        receive.receive_item("KG-GPO", _item_from_ae(in_force))


def test_a_malformed_item_is_refused_and_nothing_stored(in_force):
    bad = _item_from_ae(in_force)
    bad["body"]["chain_role"] = "mastermind"
    with pytest.raises(receive.Refused):
        receive.receive_item("AE-MOJ", bad)
    assert not Item.objects.exists()


def test_after_the_end_nothing_more_is_shared(in_force, prosecutor):
    actions.do_end(prosecutor, in_force, "Both trials are over.")
    assert sent("jit.end")[-1].recipient == "AE-MOJ"
    with pytest.raises(ValidationError):
        actions.do_add_note(prosecutor, in_force, in_force.period_start, "Late note")
    with pytest.raises(receive.Refused):
        receive.receive_item("AE-MOJ", _item_from_ae(in_force))


def test_evidence_keeps_its_chain_of_custody(in_force, prosecutor):
    item = actions.do_log_evidence(
        prosecutor,
        in_force,
        "Phone of the recruiter",
        "ab" * 32,
        "Inspector Aliev",
        in_force.period_start,
    )
    item = actions.do_transfer_custody(
        prosecutor, item, "Forensic lab, Tashkent", in_force.period_start
    )
    assert json.loads(item.body)["custody"] == [
        {"to": "Forensic lab, Tashkent", "on": in_force.period_start.isoformat()}
    ]
    assert item.revision == 2


def test_a_person_received_under_no_further_dissemination_is_not_shared_in_the_chain(
    in_force, prosecutor, colleague
):
    from tipnet.cooperation.actions import do_attach_item
    from tipnet.cooperation.tests.conftest import RECRUITER, arrive, opening

    thread = arrive(opening("H2")).thread
    row = do_attach_item(prosecutor, thread.messages.get().items.get(), in_force.case)
    assert row.person.full_name == RECRUITER
    with pytest.raises(ValidationError, match="consent"):
        actions.do_share_person(prosecutor, in_force, row)
    assert not sent("jit.item")
