"""A hotline call whose outcome is a case opens one at the agency it is passed to."""

import json

import pytest
from django.urls import reverse

from tipnet.cases.models import Case
from tipnet.victims.models import HotlineCall

pytestmark = pytest.mark.django_db

CALL = {"channel": "phone", "language": "ru", "caller_type": "relative", "urgency": "urgent"}
CALL |= {"summary": "Her daughter is held at a sewing workshop in Almaty", "outcome": "case"}


def test_the_call_opens_a_case_at_the_police_who_then_see_it(caseworker, investigator, client_as):
    response = client_as(caseworker).post(
        reverse("victims:hotline_new"), CALL | {"pass_to": "UZ-MVD"}
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.agency, case.stage) == (investigator.agency, "detection")
    assert case.summary == CALL["summary"]
    assert HotlineCall.objects.get().case == case
    assert case.reference in client_as(investigator).get(reverse("cases:list")).text
    assert case.reference in client_as(caseworker).get(reverse("victims:hotline")).text
    assert client_as(caseworker).get(reverse("cases:detail", args=[case.pk])).status_code == 404


def test_a_case_outcome_without_an_agency_is_refused_and_nothing_stored(caseworker, client_as):
    response = client_as(caseworker).post(reverse("victims:hotline_new"), CALL)
    assert response.status_code == 200
    assert "Name the agency" in response.content.decode()
    assert not HotlineCall.objects.exists() and not Case.objects.exists()


def test_a_report_cannot_be_passed_to_an_agency_that_opens_no_cases(
    caseworker, investigator, client_as
):
    response = client_as(caseworker).post(
        reverse("victims:hotline_new"), CALL | {"pass_to": caseworker.agency.code}
    )
    assert response.status_code == 200
    assert not HotlineCall.objects.exists() and not Case.objects.exists()


def test_the_api_passes_the_report_by_agency_code(caseworker, investigator, api_as):
    api = api_as(caseworker)

    def post(data):
        return api.post("/api/victims/hotline", json.dumps(data), content_type="application/json")

    refused = post(CALL)
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "invalid"
    assert not HotlineCall.objects.exists()
    created = post(CALL | {"pass_to": "UZ-MVD"})
    assert created.status_code == 201
    assert created.json()["case"] == Case.objects.get().reference
