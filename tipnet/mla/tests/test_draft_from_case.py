import pytest
from django.urls import reverse

from tipnet.cases.tests.factories import make_case
from tipnet.mla.models import MlaRequest

pytestmark = pytest.mark.django_db


def test_a_prosecutor_drafts_a_request_from_the_case_page(client_as, prosecutor):
    case = make_case(prosecutor, title="Recruitment for Dubai hotels")
    page = client_as(prosecutor).get(reverse("cases:detail", args=[case.pk])).text
    link = f"{reverse('mla:new')}?case={case.pk}"
    assert f'href="{link}" data-testid="case-draft-mla"' in page
    response = client_as(prosecutor).get(link)
    assert response.status_code == 200
    assert f'name="case" value="{case.pk}"' in response.text
    assert case.reference in response.text


def test_an_investigator_is_not_offered_to_draft(client_as, investigator):
    case = make_case(investigator)
    page = client_as(investigator).get(reverse("cases:detail", args=[case.pk])).text
    assert 'data-testid="case-draft-mla"' not in page


@pytest.mark.parametrize("case_id", ["other", "987654321", "abc", "-1", "1 OR 1=1"])
def test_another_agencys_or_a_bad_case_id_answers_404_and_prefills_nothing(
    client_as, prosecutor, outsider, case_id
):
    theirs = make_case(outsider, title="Bishkek recruitment")
    value = str(theirs.pk) if case_id == "other" else case_id
    response = client_as(prosecutor).get(reverse("mla:new"), {"case": value})
    assert response.status_code == 404
    assert theirs.reference not in response.text
    response = client_as(prosecutor).post(
        f"{reverse('mla:new')}?case={value}", {"case": value, "requested_state": "AE"}
    )
    assert response.status_code == 404
    assert not MlaRequest.objects.exists()
