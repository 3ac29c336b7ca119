"""The victims pages over HTTP: the NRM flow, consent refusals, and who sees names."""

from datetime import date, timedelta

import pytest

from tipnet.audit.models import AuditEvent
from tipnet.victims.actions import do_add_follow_up, do_create_sop_step, do_refer
from tipnet.victims.models import Consent, Referral, RepatriationPlan, Victim

from .conftest import NAME, consent

TODAY = date.today().isoformat()


def test_a_caseworker_registers_screens_consents_refers_and_the_shelter_accepts(
    caseworker, shelter_worker, offer, shelter_dir, client_as
):
    client = client_as(caseworker)
    data = {"given_name": NAME, "family_name": "Rakhimova", "phone": "+998 90 123 45 67"}
    response = client.post("/victims/new/", data | {"sex": "female", "nationality": "uz"})
    victim = Victim.objects.get()
    assert response.status_code == 302 and victim.phone == "+998901234567"
    base = f"/victims/{victim.code}/"
    client.post(base + "screen/", {"indicators": ["documents_confiscated", "debt_bondage"]})
    assert Victim.objects.get().status == "presumed"
    consent_data = {"purpose": "assistance", "given_on": TODAY, "language": "uz"}
    client.post(base + "consent/", consent_data | {"explained_by": "K. Caseworker"})
    response = client.post(base + "refer/", {"offer": offer.pk, "reason": "Needs a safe place"})
    assert response.status_code == 302
    referral = Referral.objects.get()
    shelter = client_as(shelter_worker)
    page = shelter.get(f"/victims/referrals/{referral.pk}/").content.decode()
    assert victim.code in page and NAME not in page
    assert victim.code in shelter.get("/victims/").content.decode()
    shelter.post(f"/victims/referrals/{referral.pk}/", {"decision": "accept", "response": ""})
    assert Referral.objects.get().status == "accepted"
    body = client.get(base).content.decode()
    assert NAME in body and "Accepted" in body


def test_a_referral_without_consent_is_refused_with_a_message(caseworker, victim, offer, client_as):
    response = client_as(caseworker).post(
        f"/victims/{victim.code}/refer/", {"offer": offer.pk, "reason": "Shelter"}
    )
    assert response.status_code == 200
    assert "consent to assistance" in response.content.decode()
    assert not Referral.objects.exists()


def test_a_referral_to_a_service_that_does_not_exist_is_refused(caseworker, victim, client_as):
    consent(victim, caseworker, "assistance")
    response = client_as(caseworker).post(
        f"/victims/{victim.code}/refer/", {"offer": 999999, "reason": "Shelter"}
    )
    assert 'data-testid="error-offer"' in response.content.decode()
    assert not Referral.objects.exists()


def test_withdrawing_consent_over_http_stops_referrals(caseworker, victim, offer, client_as):
    given = consent(victim, caseworker, "assistance")
    client = client_as(caseworker)
    client.post(f"/victims/{victim.code}/consent/{given.pk}/withdraw/")
    assert Consent.objects.get().withdrawn_at is not None
    response = client.post(f"/victims/{victim.code}/refer/", {"offer": offer.pk, "reason": "x"})
    assert "withdrawn" in response.content.decode()
    assert not Referral.objects.exists()


def test_identified_without_authority_is_refused(caseworker, victim, client_as):
    data = {"status": "identified", "authority": "", "decided_on": TODAY}
    response = client_as(caseworker).post(f"/victims/{victim.code}/status/", data)
    assert "competent authority" in response.content.decode()
    assert Victim.objects.get().status == "potential"


def test_a_return_without_receiving_service_is_refused(caseworker, victim, client_as):
    consent(victim, caseworker, "return")
    data = {"from_country": "AE", "to_country": "UZ", "travel_documents": "Return certificate"}
    data |= {"reception_point": "Tashkent airport", "travel_on": TODAY}
    response = client_as(caseworker).post(f"/victims/{victim.code}/return/", data)
    assert "receives the victim" in response.content.decode()
    assert not RepatriationPlan.objects.exists()


@pytest.mark.parametrize("persona", ["analyst", "investigator", "outsider", "shelter_worker"])
def test_others_get_404_on_a_victim_page_and_it_is_audited(request, persona, victim, client_as):
    client = client_as(request.getfixturevalue(persona))
    for suffix in ["", "edit/", "consent/", "refer/"]:
        assert client.get(f"/victims/{victim.code}/{suffix}").status_code == 404
    assert AuditEvent.objects.filter(tag="victims:victim:denied").count() == 4


def test_an_analyst_sees_codes_and_aggregates_never_names(analyst, victim, client_as):
    client = client_as(analyst)
    listing = client.get("/victims/all/").content.decode()
    assert victim.code in listing and NAME not in listing
    stats = client.get("/victims/stats/").content.decode()
    assert "Potential victim" in stats and NAME not in stats
    assert client.get("/victims/", follow=True).status_code == 200


def test_people_without_a_victims_role_see_nothing(investigator, victim, client_as):
    client = client_as(investigator)
    for url in ["/victims/all/", "/victims/stats/", "/victims/hotline/", "/victims/new/"]:
        assert client.get(url).status_code == 404


def test_the_home_page_lists_victims_due_follow_ups_and_pending_referrals(
    caseworker, victim, offer, client_as
):
    consent(victim, caseworker, "assistance")
    do_refer(caseworker, victim, offer, "Needs a safe place")
    do_add_follow_up(caseworker, victim, date.today() + timedelta(days=2), "Call after clinic")
    do_add_follow_up(caseworker, victim, date.today() + timedelta(days=30), "Far away")
    body = client_as(caseworker).get("/victims/").content.decode()
    assert NAME in body and "Call after clinic" in body and "Far away" not in body
    assert "Oydin shelter" in body


def test_the_sop_checklist_shows_deadlines_and_can_be_ticked(
    caseworker, node_admin, victim, client_as
):
    client_as(node_admin).post("/victims/sop/", {"order": 1, "title": "Risk check", "due_days": 3})
    step = do_create_sop_step(None, 2, "Legal aid offered", 7)
    client = client_as(caseworker)
    assert "Risk check" in client.get(f"/victims/{victim.code}/").content.decode()
    client.post(f"/victims/{victim.code}/sop/{step.pk}/done/")
    assert victim.sop_done.filter(step=step).exists()
    assert (
        client.post("/victims/sop/", {"order": 3, "title": "x", "due_days": 1}).status_code == 404
    )


def test_hotline_intake_opens_a_screening_and_counts_per_channel(caseworker, client_as):
    client = client_as(caseworker)
    data = {"channel": "phone", "language": "ru", "caller_type": "relative", "urgency": "urgent"}
    data |= {"summary": "Sister's passport taken in Dubai", "outcome": "screening"}
    response = client.post("/victims/hotline/new/", data | {"person_name": "Dilnoza"})
    victim = Victim.objects.get()
    assert response["Location"] == f"/victims/{victim.code}/screen/"
    client.post("/victims/hotline/new/", data | {"outcome": "information"})
    page = client.get("/victims/hotline/").content.decode()
    assert "Phone call" in page and "Screening opened" in page and "Information given" in page


@pytest.mark.parametrize(
    "value", ["<script>alert(1)</script>", "'; DROP TABLE victims_victim; --", "Дильшод دلشاد"]
)
def test_hostile_names_are_stored_intact_and_shown_escaped(caseworker, client_as, value):
    client = client_as(caseworker)
    client.post("/victims/new/", {"given_name": value, "sex": "unknown"})
    victim = Victim.objects.get()
    assert victim.given_name == value
    body = client.get(f"/victims/{victim.code}/").content.decode()
    assert "<script>alert(1)" not in body


def test_oversized_and_control_character_input_is_refused(caseworker, client_as):
    client = client_as(caseworker)
    response = client.post("/victims/new/", {"given_name": "x" * 5000, "sex": "unknown"})
    assert 'data-testid="error-given_name"' in response.content.decode()
    response = client.post("/victims/new/", {"given_name": "Bell\x07", "sex": "unknown"})
    assert 'data-testid="error-given_name"' in response.content.decode()
    response = client.post("/victims/new/", {"given_name": "A", "phone": "12", "sex": "male"})
    assert 'data-testid="error-phone"' in response.content.decode()
    assert not Victim.objects.exists()


def test_the_victim_list_is_paginated_with_its_total(caseworker, client_as, settings):
    from tipnet.victims.actions import do_register_victim

    settings.TIPNET_PAGE_SIZE = 2
    codes = {do_register_victim(caseworker, {"given_name": f"P{i}"}).code for i in range(3)}
    client = client_as(caseworker)
    first = client.get("/victims/all/").content.decode()
    second = client.get("/victims/all/", {"page": 2}).content.decode()
    assert first.count('data-testid="victim-row"') == 2
    assert second.count('data-testid="victim-row"') == 1
    assert 'data-testid="result-count">3 victims<' in first
    assert {c for c in codes if c in first + second} == codes


def test_the_shelter_sees_the_name_only_when_consent_names_it(
    caseworker, shelter_worker, victim, offer, shelter_dir, client_as
):
    consent(victim, caseworker, "assistance")
    consent(victim, caseworker, "data_sharing", shelter_dir)
    client = client_as(caseworker)
    data = {"offer": offer.pk, "reason": "Shelter", "shares_identity": "on"}
    client.post(f"/victims/{victim.code}/refer/", data)
    referral = Referral.objects.get()
    assert referral.shares_identity
    page = client_as(shelter_worker).get(f"/victims/referrals/{referral.pk}/").content.decode()
    assert NAME in page


def test_only_the_receiving_side_may_decide_a_referral(
    caseworker, victim, offer, outsider, client_as
):
    consent(victim, caseworker, "assistance")
    referral = do_refer(caseworker, victim, offer, "Needs a safe place")
    url = f"/victims/referrals/{referral.pk}/"
    assert client_as(caseworker).post(url, {"decision": "accept"}).status_code == 404
    assert client_as(outsider).post(url, {"decision": "accept"}).status_code == 404
    assert Referral.objects.get().status == "pending"
    assert AuditEvent.objects.filter(tag="victims:referral:denied").count() == 1


def test_a_node_administrator_retires_a_sop_step(node_admin, caseworker, victim, client_as):
    step = do_create_sop_step(None, 1, "Risk check", 3)
    assert client_as(caseworker).post(f"/victims/sop/{step.pk}/retire/").status_code == 404
    client_as(node_admin).post(f"/victims/sop/{step.pk}/retire/")
    step.refresh_from_db()
    assert not step.is_active
    assert (
        "Risk check" not in client_as(caseworker).get(f"/victims/{victim.code}/").content.decode()
    )
