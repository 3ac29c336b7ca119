"""Analysts see a case's structured facts, never the free text that names people.

Each test puts a distinctive marker into every free-text field of a case and reads each surface
over HTTP: the marker must be absent for the analyst and present for the investigator.
"""

from datetime import date

import pytest
from django.urls import reverse

from tipnet.cases import actions

from .factories import add_person, make_case

pytestmark = pytest.mark.django_db

TITLE = "Zarina-TITLE-7731 recruited in Samarkand"
SUMMARY = "Zarina-SUMMARY-7731 was promised hotel work"
EVENT = "Zarina-EVENT-7731 called her sister"
STAGE_NOTE = "Zarina-STAGE-7731 statement taken"
DOCUMENT = "Zarina-DOC-7731 statement"
MARKERS = (TITLE, SUMMARY, EVENT, STAGE_NOTE, DOCUMENT)
API = "/api/cases/"


@pytest.fixture
def case(investigator):
    case = make_case(investigator, title=TITLE, summary=SUMMARY, opened_on=date(2026, 3, 1))
    actions.do_add_event(investigator, case, "interview", date(2026, 3, 2), EVENT)
    actions.do_change_stage(investigator, case, "investigation", date(2026, 3, 4), "", STAGE_NOTE)
    actions.do_upload_document(investigator, case, DOCUMENT, "s.pdf", b"%PDF-1.7\n")
    add_person(investigator, case, "Rustam Exampleov")
    add_person(investigator, case, "Zarina Exampleova", role="victim")
    return case


def leaked(text: str) -> list[str]:
    return [marker for marker in MARKERS if marker in text]


def test_the_case_page_withholds_free_text_from_an_analyst(client_as, investigator, analyst, case):
    url = reverse("cases:detail", args=[case.pk])
    text = client_as(analyst).get(url).text
    assert leaked(text) == []
    assert 'data-testid="free-text-withheld"' in text
    for fact in (case.reference, "Investigation", "2026-03-04", "Forced labour", "AE", "Recruiter"):
        assert fact in text
    assert 'data-testid="hidden-victims"' in text
    mine = client_as(investigator).get(url).text
    assert leaked(mine) == list(MARKERS)
    assert 'data-testid="free-text-withheld"' not in mine


def test_the_case_list_withholds_titles_from_an_analyst(client_as, investigator, analyst, case):
    text = client_as(analyst).get(reverse("cases:list")).text
    assert case.reference in text and leaked(text) == []
    assert 'data-testid="title-withheld"' in text
    assert TITLE in client_as(investigator).get(reverse("cases:list")).text


def test_the_case_search_does_not_match_a_withheld_title(
    client_as, api_as, investigator, analyst, case
):
    query = {"q": "Samarkand"}
    assert case.reference not in client_as(analyst).get(reverse("cases:list"), query).text
    assert api_as(analyst).get(API, query).json()["items"] == []
    assert case.reference in client_as(investigator).get(reverse("cases:list"), query).text
    assert api_as(investigator).get(API, query).json()["count"] == 1
    by_reference = api_as(analyst).get(API, {"q": case.reference}).json()
    assert [c["reference"] for c in by_reference["items"]] == [case.reference]


def test_the_api_case_has_null_free_text_for_an_analyst(api_as, investigator, analyst, case):
    response = api_as(analyst).get(f"{API}{case.pk}")
    assert leaked(response.content.decode()) == []
    body = response.json()
    assert body["title"] is None and body["summary"] is None and body["free_text_withheld"]
    assert body["stage"] == "investigation" and body["exploitation_forms"] == ["labour"]
    assert [leg["country"] for leg in body["route"]] == ["UZ", "AE"]
    assert body["persons_by_role"] == {"suspect": 1, "victim": 1}
    mine = api_as(investigator).get(f"{API}{case.pk}").json()
    assert (mine["title"], mine["summary"], mine["free_text_withheld"]) == (TITLE, SUMMARY, False)


def test_the_api_case_list_has_null_titles_for_an_analyst(api_as, investigator, analyst, case):
    response = api_as(analyst).get(API)
    assert leaked(response.content.decode()) == []
    assert [(c["reference"], c["title"]) for c in response.json()["items"]] == [
        (case.reference, None)
    ]
    assert api_as(investigator).get(API).json()["items"][0]["summary"] == SUMMARY


def test_the_api_timeline_has_null_descriptions_for_an_analyst(api_as, investigator, analyst, case):
    response = api_as(analyst).get(f"{API}{case.pk}/events")
    assert leaked(response.content.decode()) == []
    events = response.json()
    assert [(e["occurred_on"], e["stage_to"], e["description"]) for e in events] == [
        ("2026-03-01", "detection", None),
        ("2026-03-02", "", None),
        ("2026-03-04", "investigation", None),
    ]
    mine = [e["description"] for e in api_as(investigator).get(f"{API}{case.pk}/events").json()]
    assert mine[1:] == [EVENT, STAGE_NOTE]


def test_the_api_documents_stay_closed_to_an_analyst(api_as, investigator, analyst, case):
    response = api_as(analyst).get(f"{API}{case.pk}/documents")
    assert response.status_code == 404 and leaked(response.content.decode()) == []
    titles = [d["title"] for d in api_as(investigator).get(f"{API}{case.pk}/documents").json()]
    assert titles == [DOCUMENT]


def test_the_network_and_person_search_carry_no_free_text(client_as, api_as, analyst, case):
    client, api = client_as(analyst), api_as(analyst)
    surfaces = [
        client.get(reverse("cases:network", args=[case.pk])),
        api.get(f"{API}{case.pk}/network"),
        client.get(reverse("cases:person_search"), {"q": "Rustam Exampleov"}),
        api.get(f"{API}persons/search", {"q": "Rustam Exampleov"}),
    ]
    for response in surfaces:
        assert response.status_code == 200
        text = response.content.decode()
        assert case.reference in text and leaked(text) == []


def test_a_grant_by_name_lets_an_analyst_read_the_free_text(
    client_as, api_as, investigator, analyst, case
):
    actions.do_grant_case(investigator, case, user=analyst, reason="Review of the file")
    assert leaked(client_as(analyst).get(reverse("cases:detail", args=[case.pk])).text) == list(
        MARKERS
    )
    assert api_as(analyst).get(f"{API}{case.pk}").json()["summary"] == SUMMARY


@pytest.mark.parametrize("persona", ["prosecutor", "ca_officer", "caseworker"])
def test_other_operational_roles_granted_the_case_still_read_it(
    request, client_as, api_as, investigator, case, persona
):
    user = request.getfixturevalue(persona)
    actions.do_grant_case(investigator, case, agency=user.agency, reason="Joint work")
    page = client_as(user).get(reverse("cases:detail", args=[case.pk])).text
    assert SUMMARY in page and EVENT in page and DOCUMENT in page
    assert api_as(user).get(f"{API}{case.pk}").json()["title"] == TITLE


def test_the_withheld_note_is_translated(client_as, analyst, case):
    url = reverse("cases:detail", args=[case.pk])
    russian = client_as(analyst).get(url, headers={"Accept-Language": "ru"}).text
    assert "поэтому для вашей роли они скрыты" in russian and leaked(russian) == []
    uzbek = client_as(analyst).get(url, headers={"Accept-Language": "uz"}).text
    assert "rolingiz uchun yashirilgan" in uzbek
