"""Who sees a victim: own caseworkers the identity; analysts and other agencies codes at most."""

import pytest
from django.http import Http404

from conftest import make_user
from tipnet.audit.models import AuditEvent
from tipnet.victims.access import (
    access_referral,
    access_victim_by_code,
    access_victims,
    can_see_identity,
    referral_identity,
)
from tipnet.victims.actions import do_refer, do_withdraw_consent

from .conftest import NAME, consent


def test_the_registering_caseworker_sees_the_identity(caseworker, victim):
    assert access_victim_by_code(caseworker, victim.code) == victim
    assert can_see_identity(caseworker, victim)


def test_an_analyst_lists_codes_but_never_opens_a_victim(analyst, victim):
    assert list(access_victims(analyst)) == [victim]
    assert not can_see_identity(analyst, victim)
    with pytest.raises(Http404):
        access_victim_by_code(analyst, victim.code)


@pytest.mark.parametrize("persona", ["investigator", "outsider", "ca_officer", "prosecutor"])
def test_other_agencies_get_404_and_the_attempt_is_audited(request, persona, victim):
    user = request.getfixturevalue(persona)
    with pytest.raises(Http404):
        access_victim_by_code(user, victim.code)
    event = AuditEvent.objects.get(tag="victims:victim:denied")
    assert event.actor == user.username and event.detail == {"code": victim.code}


def test_a_caseworker_of_another_agency_gets_the_same_404_as_for_no_victim(shelter_worker, victim):
    for code in [victim.code, "V-00000000"]:
        with pytest.raises(Http404):
            access_victim_by_code(shelter_worker, code)
    assert AuditEvent.objects.filter(tag="victims:victim:denied").count() == 1


def test_the_receiving_shelter_sees_the_code_and_the_name_only_with_consent(
    caseworker, shelter_worker, victim, offer, shelter_dir
):
    consent(victim, caseworker, "assistance")
    referral = do_refer(caseworker, victim, offer, "Needs a safe place")
    assert access_referral(shelter_worker, referral.pk) == referral
    assert referral_identity(shelter_worker, referral) is None
    sharing = consent(victim, caseworker, "data_sharing", shelter_dir)
    shared = do_refer(caseworker, victim, offer, "Shelter", shares_identity=True)
    assert NAME in referral_identity(shelter_worker, shared)
    do_withdraw_consent(caseworker, sharing)
    assert referral_identity(shelter_worker, shared) is None


def test_a_referral_is_invisible_to_anyone_but_both_ends(
    caseworker, victim, offer, investigator, analyst, uz_ngo
):
    consent(victim, caseworker, "assistance")
    referral = do_refer(caseworker, victim, offer, "Needs a safe place")
    colleague = make_user("second_caseworker", uz_ngo, "caseworker")
    assert access_referral(colleague, referral.pk) == referral
    for user in [investigator, analyst]:
        with pytest.raises(Http404):
            access_referral(user, referral.pk)
