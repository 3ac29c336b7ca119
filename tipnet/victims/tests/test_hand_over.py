"""The hand-over of a returning victim carries only what the victim's consents allow."""

import json
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from tipnet.audit.models import AuditEvent
from tipnet.victims.actions import (
    do_add_goal,
    do_plan_return,
    do_prepare_hand_over,
    do_record_service,
    do_withdraw_consent,
)

from .conftest import FAMILY, NAME, consent


@pytest.fixture
def plan(caseworker, victim, shelter_dir):
    consent(victim, caseworker, "return")
    data = {"from_country": "AE", "to_country": "UZ", "receiving_service": shelter_dir}
    data |= {"travel_documents": "Certificate of return", "reception_point": "Tashkent airport"}
    data |= {"escort": "IOM officer", "travel_on": date.today() + timedelta(days=10)}
    plan = do_plan_return(caseworker, victim, data)
    service = {"kind": "medical", "provider_name": "Clinic", "started_on": date.today()}
    do_record_service(caseworker, victim, service)
    do_add_goal(caseworker, victim, "Find work near home")
    return plan


def test_without_other_consents_only_the_code_and_the_journey_travel(caseworker, victim, plan):
    payload = do_prepare_hand_over(caseworker, plan)
    assert payload["code"] == victim.code
    assert payload["return"]["reception_point"] == "Tashkent airport"
    assert payload["identity"] is None and payload["assistance"] is None
    text = json.dumps(payload, ensure_ascii=False)
    assert NAME not in text and FAMILY not in text and "998901234567" not in text


def test_consent_to_share_with_the_receiving_service_adds_the_identity(
    caseworker, victim, plan, shelter_dir
):
    consent(victim, caseworker, "data_sharing", recipient=shelter_dir)
    consent(victim, caseworker, "assistance")
    payload = do_prepare_hand_over(caseworker, plan)
    assert (payload["identity"]["given_name"], payload["identity"]["family_name"]) == (NAME, FAMILY)
    assert "phone" not in payload["identity"]
    assert [s["kind"] for s in payload["assistance"]["services"]] == ["medical"]
    assert payload["assistance"]["open_goals"] == ["Find work near home"]


def test_consent_naming_another_agency_shares_no_identity(caseworker, victim, plan, gpo_dir):
    consent(victim, caseworker, "data_sharing", recipient=gpo_dir)
    assert do_prepare_hand_over(caseworker, plan)["identity"] is None


def test_a_withdrawn_consent_is_no_longer_honoured(caseworker, victim, plan, shelter_dir):
    sharing = consent(victim, caseworker, "data_sharing", recipient=shelter_dir)
    do_withdraw_consent(caseworker, sharing)
    assert do_prepare_hand_over(caseworker, plan)["identity"] is None


def test_nothing_is_prepared_once_consent_to_return_is_withdrawn(caseworker, victim, plan):
    do_withdraw_consent(caseworker, victim.consents.get(purpose="return"))
    with pytest.raises(ValidationError, match="consented to return"):
        do_prepare_hand_over(caseworker, plan)
    assert not AuditEvent.objects.filter(tag="victims:return:prepare_hand_over").exists()


def test_preparing_is_audited_without_names(caseworker, victim, plan, shelter_dir):
    consent(victim, caseworker, "data_sharing", recipient=shelter_dir)
    do_prepare_hand_over(caseworker, plan)
    event = AuditEvent.objects.get(tag="victims:return:prepare_hand_over")
    assert event.detail["identity"] is True and event.detail["code"] == victim.code
    assert NAME not in json.dumps(event.detail, ensure_ascii=False)


def test_the_api_gives_the_body_to_the_caseworker_and_404_to_others(
    caseworker, shelter_worker, analyst, victim, plan, api_as
):
    url = f"/api/victims/{victim.code}/returns/{plan.pk}/hand-over"
    body = api_as(caseworker).get(url).json()
    assert body["type"] == "victims.hand_over" and body["identity"] is None
    for other in (shelter_worker, analyst):
        response = api_as(other).get(url)
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    done = api_as(caseworker).post(url)
    assert done.status_code == 200 and done.json()["handed_over_at"] is not None
    again = api_as(caseworker).post(url)
    assert again.status_code == 422 and "already" in again.json()["error"]["details"][0]["message"]


def test_the_page_shows_the_caseworker_what_the_receiving_service_gets(
    caseworker, shelter_worker, victim, plan, shelter_dir, client_as
):
    url = f"/victims/{victim.code}/return/{plan.pk}/hand-over/body/"
    page = client_as(caseworker).get(url).content.decode()
    assert 'data-testid="hand-over-identity"' in page and NAME not in page
    consent(victim, caseworker, "data_sharing", recipient=shelter_dir)
    consent(victim, caseworker, "assistance")
    page = client_as(caseworker).get(url).content.decode()
    assert NAME in page and "Medical care" in page and "Find work near home" in page
    assert client_as(shelter_worker).get(url).status_code == 404
