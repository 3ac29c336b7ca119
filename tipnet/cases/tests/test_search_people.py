"""The person search page: Uzbek Latin apostrophes, one-name notice, grouping and paging."""

import pytest
from django.urls import reverse

from tipnet.cases.queries import search_people

from .factories import add_person, make_case

pytestmark = pytest.mark.django_db

APOSTROPHES = ["'", "ʻ", "ʼ", "‘", "’"]


@pytest.mark.parametrize("mark", APOSTROPHES)
def test_uzbek_latin_with_any_apostrophe_finds_the_cyrillic_record(investigator, mark):
    case = make_case(investigator)
    add_person(investigator, case, "Улугбек Ходжаев")
    add_person(investigator, case, "Улугбек Каримов")
    found = search_people(investigator, f"Ulugbek Xo{mark}jayev")
    assert [g.person.full_name for g in found.groups] == ["Улугбек Ходжаев"]


def test_cyrillic_finds_the_uzbek_latin_record_too(investigator):
    case = make_case(investigator)
    add_person(investigator, case, "Ulugbek Xo'jayev")
    found = search_people(investigator, "Улугбек Ходжаев")
    assert [g.person.full_name for g in found.groups] == ["Ulugbek Xo'jayev"]


def test_a_patronymic_with_apostrophes_does_not_stop_a_match(investigator):
    case = make_case(investigator)
    add_person(investigator, case, "Ходжаев Улугбек Алишерович")
    found = search_people(investigator, "Ulugbek Alisher o‘g‘li Xo‘jayev")
    assert found.total == 1


def test_the_page_groups_cases_under_the_person(client_as, investigator):
    first, second = make_case(investigator), make_case(investigator, title="Second")
    row = add_person(investigator, first, "Ulugbek Xo'jayev")
    from tipnet.cases import actions

    actions.do_add_person_to_case(investigator, second, row.person, "witness", "", "")
    text = (
        client_as(investigator).get(reverse("cases:person_search"), {"q": "Улугбек Ходжаев"}).text
    )
    assert text.count('data-testid="person-group"') == 1
    assert text.count('data-testid="person-hit"') == 2
    assert first.reference in text and second.reference in text
    assert 'data-testid="one-name-notice"' not in text


def test_a_surname_alone_says_so_and_counts_every_page(client_as, investigator):
    case = make_case(investigator)
    names = ["Aziz", "Bobur", "Davron", "Farrux", "Jasur", "Kamol", "Laziz", "Murod"]
    for given in names * 3:
        add_person(investigator, case, f"{given} Karimov")
    client = client_as(investigator)
    text = client.get(reverse("cases:person_search"), {"q": "Karimov"}).text
    assert 'data-testid="one-name-notice"' in text
    assert "24 persons found" in text
    assert text.count('data-testid="person-group"') == 20
    rest = client.get(reverse("cases:person_search"), {"q": "Karimov", "page": "2"}).text
    assert rest.count('data-testid="person-group"') == 4
    assert "Page 2 of 2" in rest
    bad = client.get(reverse("cases:person_search"), {"q": "Karimov", "page": "x"})
    assert bad.status_code == 200
    full = client.get(reverse("cases:person_search"), {"q": "Aziz Karimov"}).text
    assert 'data-testid="one-name-notice"' not in full


def test_the_api_search_finds_the_cyrillic_record_from_uzbek_latin(api_as, investigator):
    case = make_case(investigator)
    add_person(investigator, case, "Улугбек Ходжаев")
    hits = api_as(investigator).get("/api/cases/persons/search", {"q": "Ulugbek Xo‘jayev"}).json()
    assert [h["full_name"] for h in hits] == ["Улугбек Ходжаев"]
