"""The knowledge-exchange part of the directory's JSON API: verification, follow-ups, what an
event produced, and the executing-authority finder."""

from django.utils import timezone

from tipnet.cases.actions import do_create_case
from tipnet.directory.models import EventOutcome, FollowUp

API = "/api/directory"


def _error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == code
    return body["error"]


def test_an_administrator_verifies_a_contact(node_admin, api_as, dilshod):
    response = api_as(node_admin).post(f"{API}/contacts/{dilshod.pk}/verify")
    assert response.status_code == 200
    assert response.json() == {
        "id": dilshod.pk,
        "verified_on": timezone.localdate().isoformat(),
        "is_stale": False,
    }


def test_others_may_not_verify_a_contact(investigator, api_as, dilshod):
    _error(api_as(investigator).post(f"{API}/contacts/{dilshod.pk}/verify"), 404, "not_found")


def test_follow_ups_are_added_listed_and_closed(node_admin, investigator, api_as, workshop, aibek):
    admin = api_as(node_admin)
    payload = {"text": "Send the checklist", "owner_id": aibek.pk, "due_on": "2025-06-30"}
    created = admin.post(f"{API}/events/{workshop.pk}/follow-ups", payload, "application/json")
    assert created.status_code == 201 and created.json()["status"] == "open"
    item = created.json()["id"]
    url = f"{API}/events/{workshop.pk}/follow-ups/{item}"
    assert admin.post(url, {"status": "done"}, "application/json").json()["status"] == "done"
    listed = api_as(investigator).get(f"{API}/events/{workshop.pk}/follow-ups").json()
    assert [(f["text"], f["status"]) for f in listed] == [("Send the checklist", "done")]


def test_a_follow_up_is_refused_with_a_clear_error(node_admin, api_as, workshop, malika):
    admin = api_as(node_admin)
    url = f"{API}/events/{workshop.pk}/follow-ups"
    _error(
        admin.post(url, {"text": "X", "owner_id": malika.pk}, "application/json"), 422, "invalid"
    )
    _error(admin.post(url, {"text": "X", "status": "later"}, "application/json"), 422, "invalid")
    _error(admin.post(url, {"text": ""}, "application/json"), 422, "invalid")
    assert not FollowUp.objects.exists()


def test_produced_records_are_linked_and_listed_within_the_callers_access(
    investigator, outsider, api_as, workshop
):
    case = do_create_case(investigator, title="Case from the workshop")
    url = f"{API}/events/{workshop.pk}/produced"
    payload = {"kind": "case", "reference": case.reference}
    _error(api_as(outsider).post(url, payload, "application/json"), 422, "invalid")
    created = api_as(investigator).post(url, payload, "application/json")
    assert created.status_code == 201 and created.json()["url"] == f"/cases/{case.pk}/"
    assert [r["object_id"] for r in api_as(investigator).get(url).json()] == [case.pk]
    assert api_as(outsider).get(url).json() == []
    assert EventOutcome.objects.count() == 1


def test_the_finder_answers_and_validates(investigator, api_as, gpo):
    client = api_as(investigator)
    answer = client.get(f"{API}/finder", {"country": "UZ", "measure": "records"}).json()
    assert answer["kind"] == "prosecutor" and [a["id"] for a in answer["national"]] == [gpo.pk]
    _error(client.get(f"{API}/finder", {"country": "UZ", "measure": "x"}), 422, "invalid")
    _error(client.get(f"{API}/finder", {"country": "Uzb", "measure": "records"}), 422, "invalid")
