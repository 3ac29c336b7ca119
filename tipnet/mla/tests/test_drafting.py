"""Drafting a request: prefill from the case, step validation, completeness per basis, submit."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tipnet.exchange.models import OutboxMessage
from tipnet.mla import actions
from tipnet.mla.completeness import final_check, gaps_for
from tipnet.mla.enums import State
from tipnet.mla.resolver import resolve

from .conftest import fill_draft


def test_a_draft_is_prefilled_from_the_case_and_the_resolver(draft_to_ae, uz_case):
    req = draft_to_ae
    assert (req.case_number, req.facts, req.subject) == (
        uz_case.reference,
        uz_case.summary,
        uz_case.title,
    )
    assert (req.legal_basis, req.language, req.channel) == ("UNTOC_18", "en", "diplomatic")
    assert req.requested_authority == "Ministry of Justice of the United Arab Emirates"


def test_a_state_with_no_known_central_authority_is_refused(treaties, prosecutor, uz_case):
    with pytest.raises(ValidationError, match="central authority"):
        actions.do_create_request(prosecutor, uz_case, requested_state="FR")


def test_a_basis_the_pair_does_not_support_is_refused_and_nothing_changes(draft_to_ae, prosecutor):
    with pytest.raises(ValidationError, match="does not support"):
        actions.do_update_request(prosecutor, draft_to_ae, "basis", {"legal_basis": "MINSK_1993"})
    draft_to_ae.refresh_from_db()
    assert draft_to_ae.legal_basis == "UNTOC_18"


def test_a_deadline_in_the_past_is_refused_and_nothing_changes(draft_to_ae, prosecutor):
    past = timezone.localdate() - timedelta(days=1)
    with pytest.raises(ValidationError, match="past"):
        actions.do_update_request(
            prosecutor,
            draft_to_ae,
            "urgency",
            {"urgency": "urgent", "deadline": past, "deadline_reason": "x"},
        )
    draft_to_ae.refresh_from_db()
    assert (draft_to_ae.urgency, draft_to_ae.deadline) == ("routine", None)


def test_an_oversized_field_is_refused(draft_to_ae, prosecutor):
    with pytest.raises(ValidationError, match="At most"):
        actions.do_update_request(prosecutor, draft_to_ae, "facts", {"facts": "x" * 20001})


def test_an_unknown_measure_is_refused(draft_to_ae, prosecutor):
    with pytest.raises(ValidationError):
        actions.do_add_measure(prosecutor, draft_to_ae, "torture", {})
    assert not draft_to_ae.measures.exists()


def test_each_step_reports_its_missing_essentials(draft_to_ae, prosecutor):
    actions.do_update_request(prosecutor, draft_to_ae, "facts", {"facts": "", "purpose": ""})
    res = resolve("UZ", "AE")
    assert {g.field for g in gaps_for(draft_to_ae, "facts", res)} == {"facts", "purpose"}
    assert [g.field for g in gaps_for(draft_to_ae, "assistance", res)] == ["measures"]
    actions.do_add_measure(prosecutor, draft_to_ae, "videoconference", {"witness": "A"})
    fields = {g.field for g in gaps_for(draft_to_ae, "assistance", res)}
    assert fields == {"videoconference.proposed_date", "videoconference.technical_contact"}


def test_under_untoc_persons_need_only_a_name(complete_to_ae):
    person = complete_to_ae.persons.get()
    actions.do_update_person(None, complete_to_ae, person, {"birth_date": "", "occupation": ""})
    assert final_check(complete_to_ae, resolve("UZ", "AE")) == []


def test_under_minsk_the_case_number_personal_data_and_confidentiality_are_required(
    complete_to_kz, prosecutor
):
    req = complete_to_kz
    assert req.legal_basis == "MINSK_1993"
    assert final_check(req, resolve("UZ", "KZ")) == []
    actions.do_update_request(prosecutor, req, "authority", {"case_number": ""})
    actions.do_update_request(prosecutor, req, "urgency", {"confidentiality": ""})
    actions.do_update_person(prosecutor, req, req.persons.get(), {"parents_names": ""})
    fields = {g.field for g in final_check(req, resolve("UZ", "KZ"))}
    assert fields == {"case_number", "confidentiality", "parents_names"}


def test_under_chisinau_parents_names_are_not_required(treaties, uz_case, kg_mvd, client):
    from conftest import make_user

    kz = type(kg_mvd).objects.create(code="KZ-GPO", name="Prosecutor (KZ)", country="KZ")
    officer = make_user("kairat_prosecutor", kz, "prosecutor")
    req = fill_draft(officer, actions.do_create_request(officer, uz_case, requested_state="KG"))
    assert req.legal_basis == "CHISINAU_2002"
    actions.do_update_person(officer, req, req.persons.get(), {"parents_names": ""})
    assert final_check(req, resolve("KZ", "KG")) == []
    actions.do_update_person(officer, req, req.persons.get(), {"occupation": ""})
    assert [g.field for g in final_check(req, resolve("KZ", "KG"))] == ["occupation"]


def test_submit_refuses_an_incomplete_draft_and_changes_nothing(draft_to_ae, prosecutor):
    with pytest.raises(ValidationError) as info:
        actions.do_submit(prosecutor, draft_to_ae)
    assert any("18(15)(f)" in m for m in info.value.messages)
    draft_to_ae.refresh_from_db()
    assert draft_to_ae.state == State.DRAFT and not draft_to_ae.files.exists()


def test_submit_attaches_the_letter_and_sends_the_whole_request(
    network, complete_to_ae, prosecutor
):
    req = actions.do_submit(prosecutor, complete_to_ae)
    assert req.state == State.SUBMITTED and req.submitted_at is not None
    sent = OutboxMessage.objects.get()
    assert (sent.type, sent.conversation_id) == ("mla.request", str(req.uid))
    assert sent.attachment_names == [f"{req.reference}.pdf"]
    assert req.files.get(kind="letter").sha256


def test_a_submitted_request_can_no_longer_be_edited(complete_to_ae, prosecutor):
    req = actions.do_submit(prosecutor, complete_to_ae)
    with pytest.raises(ValidationError, match="draft"):
        actions.do_update_request(prosecutor, req, "facts", {"facts": "changed"})


def test_choosing_untoc_between_cis_states_writes_the_letter_in_russian_to_the_central_authority(
    complete_to_kz, prosecutor
):
    req = actions.do_update_request(
        prosecutor, complete_to_kz, "basis", {"legal_basis": "UNTOC_18"}
    )
    assert (req.legal_basis, req.language, req.channel) == ("UNTOC_18", "ru", "central_authority")
    assert "supplementary" in req.basis_rule


def test_a_typed_requested_authority_is_kept_while_the_state_stays(draft_to_ae, prosecutor):
    data = {"requested_state": "AE", "requested_authority": "International Cooperation Dept."}
    req = actions.do_update_request(prosecutor, draft_to_ae, "state", data)
    assert req.requested_authority == "International Cooperation Dept."
    req = actions.do_update_request(prosecutor, req, "state", {"requested_state": "TH"})
    assert req.requested_authority == "Office of the Attorney General of Thailand"
    assert (req.legal_basis, req.channel, req.counterpart_node) == (
        "UNTOC_18",
        "central_authority",
        "",
    )
