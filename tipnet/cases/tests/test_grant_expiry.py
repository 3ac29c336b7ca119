from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tipnet.cases import actions
from tipnet.cases.models import CaseGrant

from .factories import make_case

pytestmark = pytest.mark.django_db


def _grant(client, case, **extra):
    data = {"agency": "UZ-GPO", "level": "read", "reason": "Indictment", **extra}
    return client.post(reverse("cases:grant_add", args=[case.pk]), data)


def test_a_grant_runs_until_the_end_of_the_date_entered(client_as, investigator, prosecutor):
    case = make_case(investigator)
    last_day = timezone.localdate() + timedelta(days=30)
    assert _grant(client_as(investigator), case, expires_on=last_day.isoformat()).status_code == 302
    grant = CaseGrant.objects.get()
    assert grant.expires_on == last_day
    assert timezone.localtime(grant.expires_at).date() == last_day + timedelta(days=1)
    page = client_as(investigator).get(reverse("cases:detail", args=[case.pk])).text
    assert f"until {last_day.isoformat()}" in page
    shown = client_as(prosecutor).get(reverse("cases:detail", args=[case.pk])).text
    assert 'data-testid="my-grant-end"' in shown and last_day.isoformat() in shown


def test_a_grant_until_today_still_opens_the_case_today(client_as, investigator, prosecutor):
    case = make_case(investigator)
    today = timezone.localdate().isoformat()
    assert _grant(client_as(investigator), case, expires_on=today).status_code == 302
    assert client_as(prosecutor).get(reverse("cases:detail", args=[case.pk])).status_code == 200


@pytest.mark.parametrize("value", ["2020-01-01", "2026-13-01", "in 30 days", "30"])
def test_a_past_or_malformed_expiry_is_explained_and_nothing_granted(
    client_as, investigator, prosecutor, value
):
    case = make_case(investigator)
    response = _grant(client_as(investigator), case, expires_on=value)
    assert 'data-testid="error-expires_on"' in response.text
    assert not CaseGrant.objects.exists()


def test_the_api_takes_the_expiry_as_a_date_and_refuses_a_past_one(
    api_as, investigator, prosecutor
):
    case = make_case(investigator)
    url = f"/api/cases/{case.pk}/grants"
    body = {"agency": "UZ-GPO", "reason": "Indictment", "expires_on": "2020-01-01"}
    response = api_as(investigator).post(url, body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "expires_on"
    last_day = timezone.localdate() + timedelta(days=7)
    body["expires_on"] = last_day.isoformat()
    response = api_as(investigator).post(url, body, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["expires_on"] == last_day.isoformat()


def test_an_expired_grant_no_longer_opens_the_case(client_as, investigator, prosecutor):
    case = make_case(investigator)
    grant = actions.do_grant_case(
        investigator, case, agency=prosecutor.agency, reason="x", expires_on=timezone.localdate()
    )
    CaseGrant.objects.filter(pk=grant.pk).update(expires_at=timezone.now())
    assert client_as(prosecutor).get(reverse("cases:detail", args=[case.pk])).status_code == 404
