"""Services, goals, follow-ups, hand-over and the link to a case, over HTTP."""

from datetime import date, timedelta

from tipnet.cases.actions import do_create_case
from tipnet.victims.actions import do_plan_return
from tipnet.victims.models import FollowUp, Goal, ServiceDelivery, Victim

from .conftest import consent

TODAY = date.today()


def test_a_service_is_recorded_and_one_ending_before_it_starts_is_refused(
    caseworker, victim, client_as
):
    client = client_as(caseworker)
    url = f"/victims/{victim.code}/services/new/"
    data = {"kind": "medical", "provider_name": "City clinic No. 5", "started_on": TODAY}
    bad = client.post(url, data | {"ended_on": TODAY - timedelta(days=3)})
    assert "cannot end before it starts" in bad.content.decode()
    assert not ServiceDelivery.objects.exists()
    assert client.post(url, data).status_code == 302
    assert ServiceDelivery.objects.get().kind == "medical"


def test_goals_and_follow_ups_make_the_plan(caseworker, victim, client_as):
    client = client_as(caseworker)
    base = f"/victims/{victim.code}/"
    client.post(base + "goals/new/", {"text": "Finish sewing course", "target_on": TODAY})
    goal = Goal.objects.get()
    client.post(base + f"goals/{goal.pk}/achieved/")
    assert Goal.objects.get().is_achieved
    client.post(base + "follow-ups/new/", {"due_on": TODAY, "purpose": "Home visit"})
    follow_up = FollowUp.objects.get()
    client.post(base + f"follow-ups/{follow_up.pk}/done/", {"outcome": "Doing well"})
    follow_up.refresh_from_db()
    assert follow_up.done_at is not None and follow_up.outcome == "Doing well"
    assert "Home visit" not in client.get("/victims/").content.decode()


def test_another_victims_goal_cannot_be_reached_through_this_victim(caseworker, victim, client_as):
    from tipnet.victims.actions import do_add_goal, do_register_victim

    other = do_register_victim(caseworker, {"given_name": "Other"})
    goal = do_add_goal(caseworker, other, "Housing")
    response = client_as(caseworker).post(f"/victims/{victim.code}/goals/{goal.pk}/achieved/")
    assert response.status_code == 404
    assert not Goal.objects.get().is_achieved


def test_the_hand_over_is_recorded_once(caseworker, victim, shelter_dir, client_as):
    consent(victim, caseworker, "return")
    data = {"from_country": "AE", "to_country": "UZ", "receiving_service": shelter_dir}
    data |= {"travel_documents": "Certificate", "reception_point": "Airport", "travel_on": TODAY}
    plan = do_plan_return(caseworker, victim, data)
    client = client_as(caseworker)
    client.post(f"/victims/{victim.code}/return/{plan.pk}/hand-over/")
    plan.refresh_from_db()
    first = plan.handed_over_at
    assert first is not None
    client.post(f"/victims/{victim.code}/return/{plan.pk}/hand-over/")
    plan.refresh_from_db()
    assert plan.handed_over_at == first


def test_a_victim_links_only_to_a_case_the_caseworker_may_read(
    caseworker, investigator, victim, uz_ngo, client_as
):
    foreign = do_create_case(investigator, title="Recruitment to Dubai")
    own = do_create_case(investigator, title="Sewing workshop", agency=uz_ngo)
    client = client_as(caseworker)
    url = f"/victims/{victim.code}/case/"
    response = client.post(url, {"reference": foreign.reference})
    assert "No case with this reference" in response.content.decode()
    assert Victim.objects.get().case is None
    client.post(url, {"reference": own.reference})
    assert Victim.objects.get().case == own
    assert own.reference in client.get(f"/victims/{victim.code}/").content.decode()


def test_a_hotline_referral_opens_a_record_and_asks_for_consent_first(caseworker, client_as):
    data = {"channel": "walk_in", "language": "uz", "caller_type": "person", "urgency": "urgent"}
    data |= {"summary": "Needs a place to stay tonight", "outcome": "referral"}
    response = client_as(caseworker).post("/victims/hotline/new/", data)
    victim = Victim.objects.get()
    assert response["Location"] == f"/victims/{victim.code}/consent/"
