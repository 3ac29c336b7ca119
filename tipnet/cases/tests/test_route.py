"""A case's route as typed in the form, the import file and the API: blank means "not known"."""

import pytest
from django.urls import reverse

from tipnet.cases.importer import import_file
from tipnet.cases.models import Case

from .factories import make_case

pytestmark = pytest.mark.django_db


def test_a_case_opened_with_a_blank_route_has_no_route(client_as, investigator):
    response = client_as(investigator).post(
        reverse("cases:create"), {"title": "X", "confidentiality": "confidential", "route": ""}
    )
    assert response.status_code == 302
    assert not Case.objects.get().route.exists()


def test_editing_a_case_to_a_blank_route_clears_it(client_as, investigator):
    case = make_case(investigator)
    response = client_as(investigator).post(
        reverse("cases:edit", args=[case.pk]),
        {"title": case.title, "confidentiality": "confidential", "route": "  "},
    )
    assert response.status_code == 302
    assert not case.route.exists()


def test_a_route_of_arrows_only_is_a_clear_form_error(client_as, investigator):
    response = client_as(investigator).post(
        reverse("cases:create"), {"title": "X", "confidentiality": "secret", "route": "→ →"}
    )
    assert response.status_code == 200
    assert 'data-testid="error-route"' in response.text
    assert "country codes" in response.text
    assert not Case.objects.exists()


def test_an_import_row_with_an_arrow_only_route_names_the_problem_not_python(investigator):
    data = "case_ref;title;opened_on;route\n1/25;Case;2025-01-02;->\n2/25;Other;2025-01-02;\n"
    report = import_file(investigator, "cases.csv", data.encode(), dry_run=True)
    assert report.problems == [(2, "route", "Write the route as country codes, such as UZ KZ RU.")]
