"""The person search's "why?" page: the linkage model's waterfall for a suggested person."""

import re

import pytest
from django.urls import reverse

from tipnet.linkage.pair import explain_pair

from .factories import add_person, make_case

pytestmark = pytest.mark.django_db


def _rows(text: str) -> dict[str, tuple[str, float]]:
    """comparison key -> (level shown, weight shown), from the page's table."""
    found = re.findall(
        r'data-comparison="([a-z_]+)"><td>[^<]*</td><td data-testid="explain-level">([^<]*)</td>'
        r'<td data-testid="explain-weight">([^<]*)</td>',
        text,
    )
    return {key: (level, float(weight)) for key, level, weight in found}


def test_the_search_links_to_the_explanation_of_each_name_match(client_as, investigator):
    case = make_case(investigator)
    row = add_person(investigator, case, "Улугбек Ходжаев", birth="1990-04-12", sex="male")
    page = client_as(investigator).get(reverse("cases:person_search"), {"q": "Ulugbek Xojayev"})
    url = reverse("cases:person_explain", args=[row.person.pk]) + "?q=Ulugbek%20Xojayev"
    assert f'href="{url}"' in page.text


def test_the_page_shows_each_comparisons_level_and_weight(client_as, investigator):
    case = make_case(investigator)
    row = add_person(investigator, case, "Улугбек Ходжаев", birth="1990-04-12", sex="male")
    url = reverse("cases:person_explain", args=[row.person.pk])
    response = client_as(investigator).get(url, {"q": "Ulugbek Xojayev"})
    assert response.status_code == 200
    shown = _rows(response.text)
    steps, probability = explain_pair(
        {"full_name": "Ulugbek Xojayev"},
        {"full_name": "Улугбек Ходжаев", "date_of_birth": "1990-04-12", "sex": "male"},
    )
    assert list(shown) == [step.comparison for step in steps]
    for step in steps:
        assert shown[step.comparison][1] == pytest.approx(step.match_weight, abs=0.005)
    # the name in two scripts is the same name; the search text has no date and no sex
    assert shown["full_name"][0] == "a spelling in common"
    assert shown["full_name"][1] > 5
    assert shown["date_of_birth"] == ("no date of birth on one side", 0.0)
    assert shown["sex"] == ("sex not known on one side", 0.0)
    assert f"Match probability: {probability:.4f}" in response.text


def test_a_different_name_reaches_a_lower_level_and_weight(client_as, investigator):
    case = make_case(investigator)
    row = add_person(investigator, case, "Улугбек Ходжаев")
    url = reverse("cases:person_explain", args=[row.person.pk])
    client = client_as(investigator)
    same = _rows(client.get(url, {"q": "Ulugbek Xojayev"}).text)["full_name"]
    other = _rows(client.get(url, {"q": "Dilnoza Rashidova"}).text)["full_name"]
    assert other[0] == "different"
    assert other[1] < 0 < same[1]


def test_the_labels_are_translated(client_as, investigator):
    case = make_case(investigator)
    row = add_person(investigator, case, "Улугбек Ходжаев")
    url = reverse("cases:person_explain", args=[row.person.pk])
    client = client_as(investigator)
    for language, word in (("ru", "Имя"), ("uz", "Ism")):
        client.cookies["django_language"] = language
        text = client.get(url, {"q": "Ulugbek Xojayev"}, HTTP_ACCEPT_LANGUAGE=language).text
        assert f"<td>{word}</td>" in text


def test_another_agencys_person_answers_404(client_as, investigator, outsider):
    case = make_case(investigator)
    row = add_person(investigator, case, "Улугбек Ходжаев")
    url = reverse("cases:person_explain", args=[row.person.pk])
    assert client_as(outsider).get(url, {"q": "Ulugbek Xojayev"}).status_code == 404


@pytest.mark.parametrize("path", ["0", "999999", "99999999999999999999", "-1", "x"])
def test_bad_ids_answer_404(client_as, investigator, path):
    response = client_as(investigator).get(f"/cases/persons/{path}/explain/", {"q": "Ulugbek"})
    assert response.status_code == 404


def test_no_search_text_is_a_clear_error(client_as, investigator):
    case = make_case(investigator)
    row = add_person(investigator, case, "Улугбек Ходжаев")
    url = reverse("cases:person_explain", args=[row.person.pk])
    response = client_as(investigator).get(url)
    assert response.status_code == 400
    assert 'data-testid="explain-error"' in response.text
