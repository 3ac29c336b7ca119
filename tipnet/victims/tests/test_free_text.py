"""An analyst reads no free text about victims: not on the victims pages, not in the API, not
in the case a hotline report opens. Each surface is read over HTTP with a distinctive marker."""

import pytest

from tipnet.victims.actions import do_log_call, do_refer, do_screen, do_update_victim

from .conftest import consent

pytestmark = pytest.mark.django_db

CONTACT = "Nodira-CONTACT-5520 lives with her aunt"
SCREENING = "Nodira-SCREEN-5520 passport kept by employer"
REFERRAL = "Nodira-REFER-5520 needs a safe place"
CALL = "Nodira-CALL-5520 reported by her brother"
MARKERS = (CONTACT, SCREENING, REFERRAL, CALL)


@pytest.fixture
def written(caseworker, victim, offer):
    do_update_victim(caseworker, victim, {"contact_notes": CONTACT})
    do_screen(caseworker, victim, ["documents_confiscated"], SCREENING)
    consent(victim, caseworker, "assistance")
    do_refer(caseworker, victim, offer, REFERRAL)
    data = {"channel": "phone", "language": "uz", "caller_type": "relative", "urgency": "urgent"}
    do_log_call(caseworker, data | {"summary": CALL, "outcome": "information"})
    return victim


def leaked(text: str) -> list[str]:
    return [marker for marker in MARKERS if marker in text]


def test_the_analysts_victims_pages_carry_no_free_text(client_as, analyst, caseworker, written):
    client = client_as(analyst)
    for url in ("/victims/", "/victims/all/", "/victims/stats/"):
        response = client.get(url, follow=True)
        assert response.status_code == 200 and leaked(response.text) == []
    assert written.code in client.get("/victims/all/").text
    for url in (f"/victims/{written.code}/", "/victims/hotline/"):
        assert client.get(url).status_code == 404
    own = client_as(caseworker)
    assert leaked(own.get(f"/victims/{written.code}/").text + own.get("/victims/hotline/").text)


def test_the_analysts_victims_api_carries_no_free_text(api_as, analyst, caseworker, written):
    api = api_as(analyst)
    for url in ("/api/victims/", "/api/victims/stats", "/api/victims/referrals"):
        response = api.get(url)
        assert response.status_code == 200 and leaked(response.content.decode()) == []
    for url in (f"/api/victims/{written.code}/plan", "/api/victims/hotline"):
        assert api.get(url).status_code == 404
    referrals = api_as(caseworker).get("/api/victims/referrals").content.decode()
    assert REFERRAL in referrals


def test_a_case_opened_from_a_call_hides_the_report_from_an_analyst(
    client_as, api_as, caseworker, investigator, analyst
):
    data = {"channel": "phone", "language": "uz", "caller_type": "relative", "urgency": "urgent"}
    data |= {"summary": CALL, "outcome": "case"}
    call = do_log_call(caseworker, data, pass_to=investigator.agency)
    assert leaked(client_as(analyst).get(f"/cases/{call.case_id}/").text) == []
    assert api_as(analyst).get(f"/api/cases/{call.case_id}").json()["summary"] is None
    assert CALL in client_as(investigator).get(f"/cases/{call.case_id}/").text
