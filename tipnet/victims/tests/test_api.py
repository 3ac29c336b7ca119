"""The victims API: the same rules as the pages, the one JSON error shape, no names leaking."""

import json
from datetime import date

import pytest

from tipnet.audit.models import AuditEvent
from tipnet.victims.models import Consent, Referral, Victim

from .conftest import NAME, consent

TODAY = date.today().isoformat()


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_the_whole_flow_over_the_api(caseworker, shelter_worker, offer, shelter_dir, api_as):
    api = api_as(caseworker)
    response = post(api, "/api/victims/", {"given_name": NAME, "phone": "+998901234567"})
    assert response.status_code == 201
    code = response.json()["code"]
    assert response.json()["name"] == NAME
    screening = post(api, f"/api/victims/{code}/screenings", {"indicators": ["debt_bondage"]})
    assert screening.json()["status"] == "presumed"
    given = {"purpose": "assistance", "given_on": TODAY, "language": "ru", "explained_by": "K."}
    assert post(api, f"/api/victims/{code}/consents", given).status_code == 201
    referral = post(api, f"/api/victims/{code}/referrals", {"offer_id": offer.pk, "reason": "Bed"})
    assert referral.status_code == 201
    shelter = api_as(shelter_worker)
    incoming = shelter.get("/api/victims/referrals").json()["items"]
    assert [(r["code"], r["name"]) for r in incoming] == [(code, None)]
    rid = incoming[0]["id"]
    decided = post(shelter, f"/api/victims/referrals/{rid}/decision", {"decision": "accept"})
    assert decided.json()["status"] == "accepted"


def test_a_referral_without_consent_answers_the_one_error_shape(caseworker, victim, offer, api_as):
    response = post(
        api_as(caseworker),
        f"/api/victims/{victim.code}/referrals",
        {"offer_id": offer.pk, "reason": "x"},
    )
    assert response.status_code == 422
    body = response.json()["error"]
    assert body["code"] == "invalid" and body["message"] == "The request is not valid."
    refusal = "The victim has not given (or has withdrawn) consent to assistance and referral."
    assert body["details"] == [{"field": "", "message": refusal}]  # a refusal of no one field
    assert not Referral.objects.exists()


def test_a_referral_to_an_unknown_service_is_refused(caseworker, victim, api_as):
    consent(victim, caseworker, "assistance")
    response = post(
        api_as(caseworker),
        f"/api/victims/{victim.code}/referrals",
        {"offer_id": 424242, "reason": "x"},
    )
    assert (
        response.status_code == 422
        and "service" in response.json()["error"]["details"][0]["message"]
    )


def test_the_referring_side_cannot_decide_its_own_referral(caseworker, victim, offer, api_as):
    consent(victim, caseworker, "assistance")
    api = api_as(caseworker)
    rid = post(api, f"/api/victims/{victim.code}/referrals", {"offer_id": offer.pk, "reason": "x"})
    response = post(
        api, f"/api/victims/referrals/{rid.json()['id']}/decision", {"decision": "accept"}
    )
    assert response.status_code == 404
    assert Referral.objects.get().status == "pending"


def test_identified_without_authority_is_refused(caseworker, victim, api_as):
    data = {"status": "identified", "decided_on": TODAY}
    response = post(api_as(caseworker), f"/api/victims/{victim.code}/status", data)
    assert response.status_code == 422
    assert Victim.objects.get().status == "potential"


@pytest.mark.parametrize("persona", ["analyst", "outsider", "shelter_worker", "ca_officer"])
def test_other_users_get_404_and_analysts_list_codes_only(request, persona, victim, api_as):
    api = api_as(request.getfixturevalue(persona))
    response = api.get(f"/api/victims/{victim.code}")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert AuditEvent.objects.filter(tag="victims:victim:denied").exists()
    listing = api.get("/api/victims/")
    if persona == "analyst":
        assert listing.json()["items"][0]["code"] == victim.code
        assert NAME not in listing.content.decode()
        assert api.get("/api/victims/stats").json()["total"] == 1
    elif persona == "shelter_worker":  # a caseworker elsewhere lists only their own agency's
        assert listing.json()["items"] == []
    else:
        assert listing.status_code == 404


def test_withdrawn_consent_over_the_api_blocks_the_next_referral(caseworker, victim, offer, api_as):
    given = consent(victim, caseworker, "assistance")
    api = api_as(caseworker)
    assert (
        post(api, f"/api/victims/{victim.code}/consents/{given.pk}/withdraw", {}).status_code == 200
    )
    assert Consent.objects.get().withdrawn_at is not None
    response = post(
        api, f"/api/victims/{victim.code}/referrals", {"offer_id": offer.pk, "reason": "x"}
    )
    assert response.status_code == 422


def test_oversized_and_malformed_payloads_are_refused(caseworker, api_as):
    api = api_as(caseworker)
    assert post(api, "/api/victims/", {"given_name": "x" * 201}).status_code == 422
    assert post(api, "/api/victims/", {"given_name": "A", "nationality": "ZZ"}).status_code == 422
    assert post(api, "/api/victims/", {"given_name": "A", "sex": "robot"}).status_code == 422
    bad = api.post("/api/victims/", "{not json", content_type="application/json")
    assert bad.status_code in (400, 422) and "error" in bad.json()
    assert not Victim.objects.exists()


def test_hotline_calls_are_counted_per_channel_and_outcome(caseworker, analyst, api_as):
    api = api_as(caseworker)
    call = {"channel": "phone", "language": "uz", "caller_type": "anonymous", "urgency": "routine"}
    call |= {"summary": "Job offer in Dubai looks false", "outcome": "information"}
    assert post(api, "/api/victims/hotline", call).status_code == 201
    assert post(api, "/api/victims/hotline", call | {"channel": "web"}).status_code == 201
    counts = api_as(analyst).get("/api/victims/stats").json()["calls_by_channel_and_outcome"]
    assert sorted((c["key"]["channel"], c["count"]) for c in counts) == [("phone", 1), ("web", 1)]


def test_a_consent_cannot_be_withdrawn_through_another_victims_code(
    caseworker, shelter_worker, victim, api_as
):
    from tipnet.victims.actions import do_register_victim

    other = do_register_victim(shelter_worker, {"given_name": "Other agency's person"})
    foreign = consent(other, shelter_worker, "assistance")
    url = f"/api/victims/{victim.code}/consents/{foreign.pk}/withdraw"
    assert post(api_as(caseworker), url, {}).status_code == 404
    url = f"/api/victims/{other.code}/consents/{foreign.pk}/withdraw"
    assert post(api_as(caseworker), url, {}).status_code == 404
    assert Consent.objects.get(pk=foreign.pk).withdrawn_at is None


def test_an_analyst_gets_no_year_of_birth_or_registration_time(analyst, caseworker, api_as):
    from tipnet.victims.actions import do_register_victim

    do_register_victim(caseworker, {"given_name": NAME, "birth_year": 1994, "nationality": "TJ"})
    row = api_as(analyst).get("/api/victims/").json()["items"][0]
    assert (row["nationality"], row["birth_year"], row["registered_at"]) == ("TJ", None, None)
    own = api_as(caseworker).get("/api/victims/").json()["items"][0]
    assert own["birth_year"] == 1994 and own["registered_at"] is not None


@pytest.mark.parametrize("code", ["referrals", "hand-overs"])
def test_a_victim_code_that_spells_another_path_gets_404_not_405(caseworker, api_as, code):
    # Numeric ids are matched as numbers, so "/referrals/case" is no referral's path.
    answer = post(api_as(caseworker), f"/api/victims/{code}/case", {"reference": "X-1"})
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "not_found"
