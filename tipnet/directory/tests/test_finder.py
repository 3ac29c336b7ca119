"""The executing-authority finder: country, measure and place give the competent authority."""

import pytest

from tipnet.directory.actions import do_create_agency
from tipnet.directory.finder import find, kinds_for, table
from tipnet.directory.models import Agency
from tipnet.mla.measures import MEASURES


@pytest.fixture
def samarkand_police(uz):
    data = {
        "country": uz,
        "kind": "police",
        "name_en": "Samarkand Regional Department of Internal Affairs",
        "region": "Samarkand",
    }
    return do_create_agency(None, data)


def test_bank_records_in_uzbekistan_go_to_the_prosecutors_office(gpo, samarkand_police):
    answer = find(Agency.objects.all(), "UZ", "records")
    assert answer.kind == "prosecutor"
    assert answer.agencies == [gpo]


def test_a_search_in_a_city_goes_to_the_local_police_first(gpo, samarkand_police):
    answer = find(Agency.objects.all(), "UZ", "search", "Самарканд")
    assert answer.kind == "police"
    assert answer.local == [samarkand_police]


def test_a_kind_the_directory_lacks_falls_back_to_the_next(gpo):
    # UZ: search is executed by the police, then the prosecutor; the test holds no police.
    assert kinds_for("UZ", "search") == ["police", "prosecutor"]
    assert find(Agency.objects.all(), "UZ", "search").agencies == [gpo]


def test_a_country_without_its_own_row_uses_the_default(kg_police):
    assert kinds_for("KG", "examination") == table()["default"]["examination"]
    assert find(Agency.objects.all(), "KG", "examination").agencies == [kg_police]


def test_every_measure_has_a_default_row():
    assert set(table()["default"]) == set(MEASURES)


def test_the_page_answers_with_the_authority_and_its_contacts(
    investigator, client_as, gpo, dilshod
):
    query = {"country": "UZ", "measure": "records", "region": "Tashkent"}
    body = client_as(investigator).get("/directory/finder/", query).content.decode()
    assert 'data-testid="finder-national"' in body
    assert "General Prosecutor" in body and dilshod.name in body
    assert "Source:" in body


def test_the_page_refuses_an_unknown_measure_with_a_message(investigator, client_as, gpo):
    response = client_as(investigator).get("/directory/finder/", {"country": "UZ", "measure": "x"})
    assert response.status_code == 200
    assert 'data-testid="error-measure"' in response.content.decode()
    assert 'data-testid="finder-answer"' not in response.content.decode()


def test_the_directory_index_links_to_the_finder(investigator, client_as):
    body = client_as(investigator).get("/directory/").content.decode()
    assert 'href="/directory/finder/"' in body
