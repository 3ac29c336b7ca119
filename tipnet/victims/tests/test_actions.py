"""The rules of the NRM at the level of actions: consent gates, authorities, nothing partial."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tipnet.audit.models import AuditEvent
from tipnet.victims.actions import (
    do_decide_referral,
    do_decide_status,
    do_log_call,
    do_plan_return,
    do_refer,
    do_register_victim,
    do_screen,
    do_withdraw_consent,
)
from tipnet.victims.models import Referral, RepatriationPlan, Status, StatusDecision, Victim

from .conftest import NAME, consent


def test_a_referral_without_consent_is_refused_and_nothing_is_stored(caseworker, victim, offer):
    with pytest.raises(ValidationError, match="consent"):
        do_refer(caseworker, victim, offer, "Needs a safe place")
    assert not Referral.objects.exists()


def test_a_referral_after_withdrawal_is_refused(caseworker, victim, offer):
    given = consent(victim, caseworker, "assistance")
    do_refer(caseworker, victim, offer, "Needs a safe place")
    do_withdraw_consent(caseworker, given)
    with pytest.raises(ValidationError, match="consent"):
        do_refer(caseworker, victim, offer, "Again")
    assert Referral.objects.count() == 1


def test_a_pending_referral_cannot_be_accepted_once_consent_is_withdrawn(
    caseworker, shelter_worker, victim, offer
):
    given = consent(victim, caseworker, "assistance")
    referral = do_refer(caseworker, victim, offer, "Needs a safe place")
    do_withdraw_consent(caseworker, given)
    with pytest.raises(ValidationError):
        do_decide_referral(shelter_worker, referral, True, "")
    referral.refresh_from_db()
    assert referral.status == "pending"


def test_sharing_identity_needs_consent_naming_that_provider(
    caseworker, victim, offer, shelter_dir, gpo_dir
):
    consent(victim, caseworker, "assistance")
    consent(victim, caseworker, "data_sharing", gpo_dir)
    with pytest.raises(ValidationError, match="identity"):
        do_refer(caseworker, victim, offer, "Shelter", shares_identity=True)
    consent(victim, caseworker, "data_sharing", shelter_dir)
    assert do_refer(caseworker, victim, offer, "Shelter", shares_identity=True).shares_identity


def test_a_referral_to_no_service_is_refused(caseworker, victim):
    consent(victim, caseworker, "assistance")
    with pytest.raises(ValidationError, match="service"):
        do_refer(caseworker, victim, None, "Shelter")


def test_declining_needs_reasons_and_a_decision_is_final(caseworker, shelter_worker, victim, offer):
    consent(victim, caseworker, "assistance")
    referral = do_refer(caseworker, victim, offer, "Needs a safe place")
    with pytest.raises(ValidationError, match="reasons"):
        do_decide_referral(shelter_worker, referral, False, "  ")
    do_decide_referral(shelter_worker, referral, False, "No bed free until March")
    with pytest.raises(ValidationError):
        do_decide_referral(shelter_worker, referral, True, "")
    assert Referral.objects.get().status == "declined"


def test_identified_status_needs_an_authority(caseworker, victim):
    with pytest.raises(ValidationError, match="authority"):
        do_decide_status(caseworker, victim, Status.IDENTIFIED, " ", date.today())
    assert Victim.objects.get().status == Status.POTENTIAL
    assert not StatusDecision.objects.exists()
    do_decide_status(caseworker, victim, Status.IDENTIFIED, "MVD Tashkent", date.today())
    assert Victim.objects.get().status == Status.IDENTIFIED


def test_a_decision_cannot_be_dated_in_the_future(caseworker, victim):
    with pytest.raises(ValidationError, match="future"):
        do_decide_status(caseworker, victim, "presumed", "", date.today() + timedelta(days=2))
    assert not StatusDecision.objects.exists()
    assert Victim.objects.get().status == Status.POTENTIAL


def test_screening_with_a_strong_indicator_makes_a_potential_victim_presumed(caseworker, victim):
    screening = do_screen(caseworker, victim, ["documents_confiscated"])
    assert screening.suggested_status == "presumed"
    assert Victim.objects.get().status == "presumed"


def test_screening_with_one_weak_indicator_leaves_the_status(caseworker, victim):
    assert do_screen(caseworker, victim, ["excessive_hours"]).suggested_status == "potential"
    assert Victim.objects.get().status == "potential"


def test_screening_refuses_unknown_indicators(caseworker, victim):
    with pytest.raises(ValidationError, match="Unknown"):
        do_screen(caseworker, victim, ["excessive_hours", "<script>"])


def test_a_return_needs_consent_and_a_receiving_service(caseworker, victim, shelter_dir):
    plan = {"from_country": "AE", "to_country": "UZ", "receiving_service": shelter_dir}
    plan |= {"travel_documents": "Certificate of return", "reception_point": "Tashkent airport"}
    plan |= {"travel_on": date.today() + timedelta(days=10)}
    with pytest.raises(ValidationError, match="consented"):
        do_plan_return(caseworker, victim, plan)
    consent(victim, caseworker, "return")
    with pytest.raises(ValidationError, match="receives"):
        do_plan_return(caseworker, victim, plan | {"receiving_service": None})
    assert not RepatriationPlan.objects.exists()
    assert do_plan_return(caseworker, victim, plan).to_country == "UZ"


def test_audit_events_carry_codes_never_names(caseworker, victim, offer):
    consent(victim, caseworker, "assistance")
    do_refer(caseworker, victim, offer, "Needs a safe place")
    events = AuditEvent.objects.filter(tag__startswith="victims:")
    assert {e.tag for e in events} >= {"victims:victim:create", "victims:referral:create"}
    assert all(NAME not in str(e.detail) for e in events)
    assert events.filter(detail__code=victim.code).count() >= 2


def test_a_hotline_call_can_open_a_screening(caseworker):
    data = {"channel": "messenger", "language": "ru", "caller_type": "person"}
    data |= {"summary": "Passport taken by employer", "urgency": "urgent", "outcome": "screening"}
    call = do_log_call(caseworker, data, person_name="Dilnoza")
    assert call.victim is not None and call.victim.given_name == "Dilnoza"
    assert call.victim.agency_id == caseworker.agency_id


def test_a_back_dated_registration_keeps_its_date_and_a_future_one_is_refused(caseworker):
    earlier = timezone.now() - timedelta(days=400)
    victim = do_register_victim(caseworker, {"sex": "female"}, registered_at=earlier)
    victim.refresh_from_db()
    assert victim.registered_at == earlier
    event = AuditEvent.objects.get(tag="victims:victim:create", object_id=str(victim.pk))
    assert event.detail["registered_at"] == earlier.isoformat()
    count = Victim.objects.count()
    with pytest.raises(ValidationError, match="future"):
        do_register_victim(
            caseworker, {"sex": "male"}, registered_at=timezone.now() + timedelta(days=1)
        )
    assert Victim.objects.count() == count
