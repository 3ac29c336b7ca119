"""The assistance plan, SOP checklist and case link through the API, with the pages' rules."""

import json
from datetime import date, timedelta

import pytest

from tipnet.cases.actions import do_create_case
from tipnet.victims.actions import do_create_sop_step, do_register_victim
from tipnet.victims.models import FollowUp, Goal, ServiceDelivery

pytestmark = pytest.mark.django_db

TODAY = date.today()


def post(client, url, data=None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def test_services_goals_and_follow_ups_make_the_plan(caseworker, victim, api_as):
    api, base = api_as(caseworker), f"/api/victims/{victim.code}"
    service = {"kind": "shelter", "provider_name": "Oydin", "started_on": TODAY.isoformat()}
    assert post(api, f"{base}/services", service).status_code == 201
    goal = post(api, f"{base}/goals", {"text": "Vocational course"}).json()["goals"][0]
    assert post(api, f"{base}/goals/{goal['id']}/achieve").json()["goals"][0]["is_achieved"]
    due = (TODAY + timedelta(days=3)).isoformat()
    follow = post(api, f"{base}/follow-ups", {"due_on": due, "purpose": "Call"}).json()
    fid = follow["follow_ups"][0]["id"]
    done = post(api, f"{base}/follow-ups/{fid}/done", {"outcome": "Reached, well"})
    assert done.json()["follow_ups"][0]["done_at"] is not None
    assert [s["kind"] for s in api.get(f"{base}/plan").json()["services"]] == ["shelter"]


def test_a_service_ending_before_it_starts_is_refused_and_not_stored(caseworker, victim, api_as):
    service = {"kind": "medical", "provider_name": "Clinic", "started_on": TODAY.isoformat()}
    service["ended_on"] = (TODAY - timedelta(days=1)).isoformat()
    response = post(api_as(caseworker), f"/api/victims/{victim.code}/services", service)
    assert response.status_code == 422 and response.json()["error"]["code"] == "invalid"
    assert not ServiceDelivery.objects.exists()


def test_the_sop_checklist_is_ticked_once(caseworker, victim, api_as):
    step = do_create_sop_step(None, 1, "Explain rights", 2)
    api, url = api_as(caseworker), f"/api/victims/{victim.code}/sop/{step.pk}/done"
    assert post(api, url).json()["sop"][0]["done_at"] is not None
    assert post(api, url).status_code == 422


def test_another_agencys_victim_plan_answers_404_and_stores_nothing(
    caseworker, shelter_worker, victim, api_as
):
    api, base = api_as(shelter_worker), f"/api/victims/{victim.code}"
    assert api.get(f"{base}/plan").status_code == 404
    assert post(api, f"{base}/goals", {"text": "x"}).status_code == 404
    due = TODAY.isoformat()
    assert post(api, f"{base}/follow-ups", {"due_on": due, "purpose": "x"}).status_code == 404
    assert not Goal.objects.exists() and not FollowUp.objects.exists()
    other = do_register_victim(shelter_worker, {"given_name": "Someone else"})
    goal = post(api, f"/api/victims/{other.code}/goals", {"text": "Theirs"}).json()["goals"][0]
    mine = f"/api/victims/{victim.code}/goals/{goal['id']}/achieve"
    assert post(api_as(caseworker), mine).status_code == 404
    assert not Goal.objects.get().is_achieved


def test_a_victim_links_only_to_a_case_the_caseworker_may_read(
    caseworker, investigator, victim, uz_ngo, api_as
):
    foreign = do_create_case(investigator, title="Recruitment to Dubai")
    own = do_create_case(investigator, title="Sewing workshop", agency=uz_ngo)
    api, url = api_as(caseworker), f"/api/victims/{victim.code}/case"
    refused = post(api, url, {"reference": foreign.reference})
    assert refused.status_code == 422
    assert refused.json()["error"]["details"][0]["field"] == "reference"
    victim.refresh_from_db()
    assert victim.case_id is None
    assert post(api, url, {"reference": own.reference}).json()["case"] == own.reference
