"""The person search page: Uzbek Latin apostrophes, one-name notice, grouping, paging, and
the ranking in SQL with its limit."""

import pytest
from django.urls import reverse

from tipnet.cases import queries
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


def _namesakes(investigator, case):
    """A Latin Xo'jayev recorded first, then three Cyrillic Ходжаевs (newer records)."""
    first = add_person(investigator, case, "Bobur Xo'jayev").person
    for given in ("Алишер", "Далер", "Рустам"):
        add_person(investigator, case, f"{given} Ходжаев")
    return first


def test_a_person_matching_more_of_the_query_ranks_first(monkeypatch, investigator):
    case = make_case(investigator)
    latin = _namesakes(investigator, case)
    # "Xo'jayev" has a key of its Uzbek Latin x and one of kh: the Latin record holds both, the
    # Cyrillic ones only the second. With room for two, the older Latin record is still kept.
    monkeypatch.setattr(queries, "RANKED_LIMIT", 2)
    found = search_people(investigator, "Xo'jayev")
    assert found.groups[0].person == latin
    assert found.total == 2 and found.more


def test_a_name_of_two_words_finds_only_persons_holding_both(investigator):
    case = make_case(investigator)
    _namesakes(investigator, case)
    add_person(investigator, case, "Рустам Каримов")
    add_person(investigator, case, "Dilnoza Xo'jayeva")
    found = search_people(investigator, "Rustam Xo'jayev")
    # Only the Cyrillic Рустам Ходжаев holds a key of both words; the other Rustam and the
    # other Xo'jayevs hold one word each.
    assert [g.person.full_name for g in found.groups] == ["Рустам Ходжаев"]
    ranked = search_people(investigator, "Bobur Xo'jayev Rustam")
    assert ranked.total == 0


def test_of_two_words_the_record_written_as_searched_ranks_first(monkeypatch, investigator):
    case = make_case(investigator)
    add_person(investigator, case, "Бобур Ходжаев")
    latin = add_person(investigator, case, "Bobur Xo'jayev").person
    add_person(investigator, case, "Бобур Ходжаев")
    monkeypatch.setattr(queries, "RANKED_LIMIT", 1)
    found = search_people(investigator, "Bobur Xo'jayev")
    # The Latin record holds both keys of Xo'jayev, the Cyrillic ones only one: it is kept
    # though a newer record would come first among equals.
    assert [g.person for g in found.groups] == [latin]
    assert found.more


def test_a_search_that_finds_more_than_it_lists_says_so_on_every_page(
    monkeypatch, client_as, investigator
):
    _namesakes(investigator, make_case(investigator))
    monkeypatch.setattr(queries, "RANKED_LIMIT", 3)
    client = client_as(investigator)
    text = client.get(reverse("cases:person_search"), {"q": "Xo'jayev", "page": "9"}).text
    assert "More than 3 persons found" in text
    assert 'data-testid="more-notice"' in text
    assert text.count('data-testid="person-group"') == 3
    assert 'data-testid="page-next"' not in text
    last = search_people(investigator, "Xo'jayev", page=9, per_page=2)
    assert (last.page, last.pages, len(last.groups), last.more) == (2, 2, 1, True)
    monkeypatch.setattr(queries, "RANKED_LIMIT", 4)
    text = client.get(reverse("cases:person_search"), {"q": "Xo'jayev"}).text
    assert "4 persons found" in text
    assert 'data-testid="more-notice"' not in text


def test_persons_a_user_may_not_see_neither_fill_the_list_nor_count_as_more(
    monkeypatch, investigator, outsider
):
    own = add_person(investigator, make_case(investigator), "Алишер Ходжаев").person
    other = make_case(outsider)
    for given in ("Bobur", "Daler"):  # newer, and holding more of the query's keys
        add_person(outsider, other, f"{given} Xo'jayev", role="victim")
        add_person(outsider, other, f"{given} Xo'jayev", role="suspect")
    monkeypatch.setattr(queries, "RANKED_LIMIT", 1)
    found = search_people(investigator, "Xo'jayev")
    assert [g.person for g in found.groups] == [own]
    assert not found.more


def test_a_sealed_victim_is_found_and_ranked_by_the_keyed_keys(monkeypatch, investigator):
    case = make_case(investigator)
    victim = add_person(investigator, case, "Bobur Xo'jayev", role="victim").person
    add_person(investigator, case, "Алишер Ходжаев")
    victim.refresh_from_db()
    assert victim.is_sealed
    monkeypatch.setattr(queries, "RANKED_LIMIT", 1)
    found = search_people(investigator, "Xo'jayev")
    assert [g.person for g in found.groups] == [victim] and found.more


def test_the_api_search_lists_the_person_matching_more_of_the_query(
    monkeypatch, api_as, investigator
):
    _namesakes(investigator, make_case(investigator))
    monkeypatch.setattr(queries, "SEARCH_LIMIT", 1)
    hits = api_as(investigator).get("/api/cases/persons/search", {"q": "Xo'jayev"}).json()
    assert [h["full_name"] for h in hits] == ["Bobur Xo'jayev"]
