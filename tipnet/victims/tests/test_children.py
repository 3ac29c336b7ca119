"""The child pathway: under-18 detection, the required guardian referral, best-interest steps
and stricter sharing of a child's identity."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tipnet.directory.actions import do_create_agency
from tipnet.directory.models import Country
from tipnet.victims.actions import do_create_offer, do_decide_referral, do_plan_return, do_refer
from tipnet.victims.children import is_child
from tipnet.victims.models import RepatriationPlan, SopStep

from .conftest import consent

TODAY = date.today()


@pytest.fixture
def child(victim):
    victim.birth_year = TODAY.year - 15
    victim.save(update_fields=["birth_year"])
    return victim


@pytest.fixture
def child_protection(db):
    uz = Country.objects.get(code="UZ")
    data = {"country": uz, "kind": "ngo", "name_en": "Tashkent guardianship office (fictional)"}
    return do_create_offer(None, do_create_agency(None, data), "child_protection", "Tashkent")


def _return_data(service):
    data = {"from_country": "AE", "to_country": "UZ", "receiving_service": service}
    return data | {
        "travel_documents": "Certificate",
        "reception_point": "Airport",
        "travel_on": TODAY,
    }


@pytest.mark.parametrize(("age", "expected"), [(None, False), (10, True), (18, True), (19, False)])
def test_a_victim_who_may_be_under_18_is_presumed_a_child(victim, age, expected):
    victim.birth_year = None if age is None else TODAY.year - age
    assert is_child(victim) is expected


def test_the_child_page_requires_a_guardian_and_lists_best_interest_steps(
    caseworker, child, victim, client_as, child_protection
):
    assert SopStep.objects.filter(for_children=True).count() == 5
    client = client_as(caseworker)
    text = client.get(f"/victims/{child.code}/").content.decode()
    assert 'data-testid="child-pathway"' in text
    assert "Required: refer the child" in text
    assert "Best-interest determination before any return" in text
    consent(child, caseworker, "assistance")
    do_refer(caseworker, child, child_protection, "Unaccompanied, 15 years old")
    text = client.get(f"/victims/{child.code}/").content.decode()
    assert "Required: refer the child" not in text
    assert "Tashkent guardianship office" in text


def test_an_adult_page_has_no_child_pathway(caseworker, victim, client_as):
    victim.birth_year = TODAY.year - 30
    victim.save(update_fields=["birth_year"])
    text = client_as(caseworker).get(f"/victims/{victim.code}/").content.decode()
    assert 'data-testid="child-pathway"' not in text
    assert "Best-interest determination" not in text


def test_a_childs_return_needs_the_guardian_referral(
    caseworker, child, shelter_dir, child_protection
):
    consent(child, caseworker, "return")
    consent(child, caseworker, "assistance")
    with pytest.raises(ValidationError, match="child-protection"):
        do_plan_return(caseworker, child, _return_data(shelter_dir))
    assert not RepatriationPlan.objects.exists()
    do_refer(caseworker, child, child_protection, "Unaccompanied")
    assert do_plan_return(caseworker, child, _return_data(shelter_dir)).pk


def test_a_childs_identity_goes_to_a_provider_only_after_the_guardian_accepts(
    caseworker, child, offer, shelter_dir, child_protection
):
    consent(child, caseworker, "assistance")
    consent(child, caseworker, "data_sharing", shelter_dir)
    with pytest.raises(ValidationError, match="accepted the referral"):
        do_refer(caseworker, child, offer, "Shelter", shares_identity=True)
    assert do_refer(caseworker, child, offer, "Shelter, without the name").pk
    guardian = do_refer(caseworker, child, child_protection, "Unaccompanied")
    do_decide_referral(caseworker, guardian, True, "")
    assert do_refer(caseworker, child, offer, "Shelter, named", shares_identity=True).pk
