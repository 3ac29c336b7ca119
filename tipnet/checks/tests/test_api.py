"""The checks JSON API: asking from a case, the answers, refusals in the one error shape."""

from tipnet.checks.models import OutgoingCheck

from .conftest import add_person

BASE = "/api/checks/cases"


def test_an_investigator_checks_a_suspect_and_reads_the_pending_answers(
    checknet, suspect, investigator, uz_case, api_as
):
    client = api_as(investigator)
    body = {"persons": [suspect.pk], "nodes": ["all"], "legal_basis": "untoc_27"}
    created = client.post(f"{BASE}/{uz_case.pk}", data=body, content_type="application/json")
    assert created.status_code == 201, created.content
    assert sorted(c["node"] for c in created.json()) == ["AE-MOJ", "KG-GPO"]
    listed = client.get(f"{BASE}/{uz_case.pk}").json()
    assert {c["result"] for c in listed} == {"pending"}


def test_a_surname_alone_is_refused_in_the_one_error_shape(checknet, investigator, uz_case, api_as):
    row = add_person(investigator, uz_case, "Юсупов")
    body = {"persons": [row.pk], "nodes": ["all"], "legal_basis": "untoc_27"}
    answer = api_as(investigator).post(
        f"{BASE}/{uz_case.pk}", data=body, content_type="application/json"
    )
    assert answer.status_code == 422
    assert "surname alone" in answer.json()["error"]["details"][0]["message"]
    assert not OutgoingCheck.objects.exists()


def test_a_case_of_another_agency_answers_404(checknet, suspect, outsider, uz_case, api_as):
    body = {"persons": [suspect.pk], "nodes": ["all"], "legal_basis": "untoc_27"}
    client = api_as(outsider)
    answer = client.post(f"{BASE}/{uz_case.pk}", data=body, content_type="application/json")
    assert answer.status_code == 404 and answer.json()["error"]["code"] == "not_found"
    assert client.get(f"{BASE}/{uz_case.pk}").status_code == 404
