import pytest
from django.urls import reverse

from tipnet.audit.models import AuditEvent
from tipnet.cases.models import CaseGrant

from .factories import make_case

pytestmark = pytest.mark.django_db


def test_an_investigator_shares_a_case_with_the_prosecutors_office(
    client_as, investigator, prosecutor
):
    case = make_case(investigator)
    assert client_as(prosecutor).get(reverse("cases:detail", args=[case.pk])).status_code == 404
    response = client_as(investigator).post(
        reverse("cases:grant_add", args=[case.pk]),
        {"agency": "uz-gpo", "level": "read", "reason": "Indictment"},
    )
    assert response.status_code == 302
    assert client_as(prosecutor).get(reverse("cases:detail", args=[case.pk])).status_code == 200
    grant = CaseGrant.objects.get()
    client_as(investigator).post(reverse("cases:grant_revoke", args=[case.pk, grant.pk]))
    assert client_as(prosecutor).get(reverse("cases:detail", args=[case.pk])).status_code == 404
    tags = set(AuditEvent.objects.values_list("tag", flat=True))
    assert {"cases:grant:create", "cases:grant:revoke"} <= tags


def test_an_unknown_agency_is_explained_and_nothing_granted(client_as, investigator):
    case = make_case(investigator)
    response = client_as(investigator).post(
        reverse("cases:grant_add", args=[case.pk]),
        {"agency": "XX-NONE", "level": "read", "reason": "Test"},
    )
    assert 'data-testid="error-agency"' in response.text
    assert not CaseGrant.objects.exists()


def test_only_the_owning_agency_may_share(client_as, api_as, investigator, prosecutor, analyst):
    case = make_case(investigator)
    assert client_as(analyst).get(reverse("cases:grant_add", args=[case.pk])).status_code == 404
    response = api_as(prosecutor).post(
        f"/api/cases/{case.pk}/grants",
        {"agency": "UZ-GPO", "reason": "Give it to myself"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not CaseGrant.objects.exists()


def test_grants_through_the_api(api_as, investigator, prosecutor):
    case = make_case(investigator)
    client = api_as(investigator)
    response = client.post(
        f"/api/cases/{case.pk}/grants",
        {"username": prosecutor.username, "level": "write", "reason": "Joint work"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["username"] == prosecutor.username
    grant_id = response.json()["id"]
    assert api_as(prosecutor).get(f"/api/cases/{case.pk}").status_code == 200
    assert client.delete(f"/api/cases/{case.pk}/grants/{grant_id}").status_code == 204
    assert api_as(prosecutor).get(f"/api/cases/{case.pk}").status_code == 404
