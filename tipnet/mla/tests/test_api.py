"""The MLA JSON API: drafting, submitting, transitions, letters, registers and access."""

import ast
from pathlib import Path

import pytest

from tipnet.mla import actions, api
from tipnet.mla.enums import State
from tipnet.mla.models import MlaRequest

BASE = "/api/mla"


def error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()["error"]
    assert body["code"] == code and body["message"]
    return body


def test_the_resolver_answers_bases_language_and_channel(treaties, prosecutor, api_as):
    body = api_as(prosecutor).get(f"{BASE}/resolve?requesting=UZ&requested=KZ").json()
    assert [b["code"] for b in body["bases"]] == ["MINSK_1993", "UNTOC_18"]
    assert body["languages"] == ["ru"] and body["central_authority"].startswith("Prosecutor")


def test_a_draft_is_made_checked_and_submitted_over_the_api(treaties, prosecutor, uz_case, api_as):
    client = api_as(prosecutor)
    created = client.post(
        f"{BASE}/requests",
        {"case_id": uz_case.pk, "requested_state": "AE"},
        content_type="application/json",
    )
    assert created.status_code == 201
    rid = created.json()["id"]
    gaps = client.patch(
        f"{BASE}/requests/{rid}/steps/authority",
        {"conducting_authority": ""},
        content_type="application/json",
    ).json()
    assert {g["field"] for g in gaps} == {"conducting_authority"}
    refused = client.post(f"{BASE}/requests/{rid}/submit")
    fields = {d["field"] for d in error(refused, 422, "invalid")["details"]}
    assert {"conducting_authority", "purpose", "measures"} <= fields
    from .conftest import fill_draft

    fill_draft(prosecutor, MlaRequest.objects.get(pk=rid))
    assert client.get(f"{BASE}/requests/{rid}/check").json() == []
    submitted = client.post(f"{BASE}/requests/{rid}/submit").json()
    assert submitted["state"] == State.SUBMITTED and submitted["next_transitions"] == ["withdraw"]
    pdf = client.get(f"{BASE}/requests/{rid}/letter?format=pdf")
    assert pdf.content.startswith(b"%PDF")


def test_measures_and_persons_are_added_and_removed(draft_to_ae, prosecutor, api_as):
    client = api_as(prosecutor)
    url = f"{BASE}/requests/{draft_to_ae.pk}"
    measure = client.post(
        f"{url}/measures",
        {"kind": "other", "fields": {"description": "x"}},
        content_type="application/json",
    )
    assert measure.status_code == 201
    error(
        client.post(
            f"{url}/measures", {"kind": "nope", "fields": {}}, content_type="application/json"
        ),
        422,
        "invalid",
    )
    person = client.post(
        f"{url}/persons",
        {"kind": "witness", "full_name": "Karimova Dilnoza"},
        content_type="application/json",
    )
    assert person.status_code == 201
    assert client.delete(f"{url}/persons/{person.json()['id']}").status_code == 204
    assert client.delete(f"{url}/measures/{measure.json()['id']}").status_code == 204
    assert not draft_to_ae.persons.exists() and not draft_to_ae.measures.exists()


def test_an_unknown_step_field_is_refused_and_nothing_changes(draft_to_ae, prosecutor, api_as):
    response = api_as(prosecutor).patch(
        f"{BASE}/requests/{draft_to_ae.pk}/steps/facts",
        {"state": "executed"},
        content_type="application/json",
    )
    error(response, 422, "invalid")
    draft_to_ae.refresh_from_db()
    assert draft_to_ae.state == State.DRAFT


def test_a_deadline_in_the_past_is_refused_over_the_api(draft_to_ae, prosecutor, api_as):
    response = api_as(prosecutor).patch(
        f"{BASE}/requests/{draft_to_ae.pk}/steps/urgency",
        {"urgency": "urgent", "deadline": "2001-01-01", "deadline_reason": "trial"},
        content_type="application/json",
    )
    assert "past" in error(response, 422, "invalid")["details"][0]["message"]


def test_an_illegal_transition_answers_409_and_changes_nothing(complete_to_ae, prosecutor, api_as):
    req = actions.do_submit(prosecutor, complete_to_ae)
    actions.do_withdraw(prosecutor, req, reason="No longer needed")
    response = api_as(prosecutor).post(
        f"{BASE}/requests/{req.pk}/transitions/withdraw",
        {"reason": "again"},
        content_type="application/json",
    )
    assert "cannot be moved" in error(response, 409, "conflict")["message"]
    req.refresh_from_db()
    assert req.state == State.WITHDRAWN


def test_a_refusal_without_reasons_answers_409(complete_to_ae, prosecutor, ca_officer, api_as):
    req = actions.do_submit(prosecutor, complete_to_ae)
    MlaRequest.objects.filter(pk=req.pk).update(direction="incoming", state="under_assessment")
    response = api_as(ca_officer).post(
        f"{BASE}/requests/{req.pk}/transitions/refuse",
        {"ground": "untoc_18_21_b", "no_consultation_reason": "none"},
        content_type="application/json",
    )
    assert "reasons" in error(response, 409, "conflict")["message"]


@pytest.mark.parametrize("persona", ["outsider", "caseworker", "analyst", "investigator"])
def test_others_get_404_for_another_agencys_request(complete_to_ae, api_as, request, persona):
    client = api_as(request.getfixturevalue(persona))
    error(client.get(f"{BASE}/requests/{complete_to_ae.pk}"), 404, "not_found")
    error(client.post(f"{BASE}/requests/{complete_to_ae.pk}/submit"), 404, "not_found")


def test_a_case_of_another_agency_cannot_be_drafted_from(treaties, uz_case, ca_officer, api_as):
    response = api_as(ca_officer).post(
        f"{BASE}/requests",
        {"case_id": uz_case.pk, "requested_state": "AE"},
        content_type="application/json",
    )
    error(response, 404, "not_found")
    assert not MlaRequest.objects.exists()


def test_a_state_without_central_authority_answers_422(treaties, prosecutor, uz_case, api_as):
    response = api_as(prosecutor).post(
        f"{BASE}/requests",
        {"case_id": uz_case.pk, "requested_state": "FR"},
        content_type="application/json",
    )
    assert "central authority" in error(response, 422, "invalid")["details"][0]["message"]


def test_the_register_and_the_dashboard(complete_to_ae, prosecutor, analyst, api_as):
    actions.do_submit(prosecutor, complete_to_ae)
    rows = api_as(prosecutor).get(f"{BASE}/requests?direction=outgoing&country=AE").json()
    assert [r["reference"] for r in rows["items"]] == [complete_to_ae.reference]
    error(api_as(prosecutor).get(f"{BASE}/requests?direction=incoming"), 404, "not_found")
    counts = api_as(analyst).get(f"{BASE}/dashboard").json()
    assert counts["by_state"] == [{"direction": "outgoing", "state": "submitted", "n": 1}]
    error(api_as(analyst).get(f"{BASE}/requests"), 404, "not_found")


def test_node_admins_edit_treaty_facts_and_deadlines(treaties, node_admin, prosecutor, api_as):
    body = {"status": "party", "source": "CIS depositary, checked", "is_verified": True}
    url = f"{BASE}/treaties/TJ/CHISINAU_2002"
    error(api_as(prosecutor).put(url, body, content_type="application/json"), 404, "not_found")
    assert api_as(node_admin).put(url, body, content_type="application/json").status_code == 200
    assert "CHISINAU_2002" in [
        b["code"]
        for b in api_as(prosecutor)
        .get(f"{BASE}/resolve?requesting=KZ&requested=TJ")
        .json()["bases"]
    ]
    days = {"acknowledge_days": 5, "decide_days": 20, "execute_days": 60}
    put = api_as(node_admin).put(
        f"{BASE}/deadlines/UNTOC_18", days, content_type="application/json"
    )
    assert put.json()["acknowledge_days"] == 5
    bad = {**days, "decide_days": 0}
    error(
        api_as(node_admin).put(f"{BASE}/deadlines/UNTOC_18", bad, content_type="application/json"),
        422,
        "invalid",
    )


def test_a_person_of_another_case_cannot_be_picked(draft_to_ae, prosecutor, api_as):
    from tipnet.cases.actions import do_add_person_to_case, do_create_case, do_create_person

    other = do_create_case(prosecutor, title="Another case")
    person = do_create_person(prosecutor, full_name="Alimov Timur")
    row = do_add_person_to_case(prosecutor, other, person, "suspect")
    response = api_as(prosecutor).post(
        f"{BASE}/requests/{draft_to_ae.pk}/persons",
        {"kind": "suspect", "case_person_id": row.pk},
        content_type="application/json",
    )
    error(response, 404, "not_found")
    assert not draft_to_ae.persons.exists()


def test_node_admins_add_a_bilateral_treaty_that_the_resolver_then_applies(
    treaties, node_admin, prosecutor, api_as
):
    body = {
        "code": "uz-ae-2030",
        "states": ["UZ", "AE"],
        "title": "UZ-AE MLA treaty (fictional)",
        "source": "Ministry of Justice register (fictional)",
        "languages": ["en"],
        "channels": ["central_authority"],
    }
    url = f"{BASE}/treaties/bilateral"
    error(api_as(prosecutor).post(url, body, content_type="application/json"), 404, "not_found")
    assert api_as(node_admin).post(url, body, content_type="application/json").status_code == 201
    error(api_as(node_admin).post(url, body, content_type="application/json"), 409, "conflict")
    bad = {**body, "code": "uz-xx-1", "states": ["UZ", "XX"]}
    error(api_as(node_admin).post(url, bad, content_type="application/json"), 422, "invalid")
    result = api_as(prosecutor).get(f"{BASE}/resolve?requesting=UZ&requested=AE").json()
    assert [b["code"] for b in result["bases"]] == ["BILATERAL:uz-ae-2030", "UNTOC_18"]
    assert result["channel"] == "central_authority"


def _names_imported(path: Path) -> set[str]:
    """Every module or name part an import of `path` mentions (`from .views import x`: views, x)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import | ast.ImportFrom):
            dotted = [getattr(node, "module", None) or "", *(a.name for a in node.names)]
            names.update(part for name in dotted for part in name.split("."))
    return names


def test_the_api_takes_nothing_from_the_pages_module():
    assert "views" not in _names_imported(Path(api.__file__))


def test_a_draft_submitted_on_paper_over_the_api_queues_nothing(
    network, complete_to_ae, prosecutor, api_as
):
    from tipnet.exchange.models import OutboxMessage

    answer = api_as(prosecutor).post(f"{BASE}/requests/{complete_to_ae.pk}/submit?paper=true")
    assert answer.status_code == 200 and answer.json()["state"] == State.SUBMITTED
    complete_to_ae.refresh_from_db()
    assert complete_to_ae.is_off_network and not OutboxMessage.objects.exists()
