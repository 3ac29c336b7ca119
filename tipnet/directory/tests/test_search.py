"""Directory search: words in any order, across scripts, and short forms from the data file."""

import pytest

from tipnet.directory.filters import filter_agencies, filter_contacts
from tipnet.directory.models import Agency, ContactPoint
from tipnet.directory.search import short_forms


def _found(q):
    return set(filter_agencies(Agency.objects.all(), q=q).values_list("name_en", flat=True))


GPO = "General Prosecutor's Office of the Republic of Uzbekistan"
KG_MVD = "Ministry of Internal Affairs of the Kyrgyz Republic"


@pytest.mark.parametrize(
    "query",
    [
        "Генпрокуратура",
        "генпрокуратура узбекистан",
        "prokuratura bosh",
        "прокуратура бош",
        "prokuratura generalnaya",
        "Office Prosecutor General",
        "GPO",
    ],
)
def test_it_finds_the_general_prosecutor_by_short_forms_and_words_in_any_order(
    gpo, kg_police, query
):
    assert _found(query) == {GPO}


@pytest.mark.parametrize("query", ["МВД", "mvd kyrgyz", "IIV", "внутренних кыргызской"])
def test_it_finds_the_ministry_of_internal_affairs_by_its_short_forms(gpo, kg_police, query):
    assert _found(query) == {KG_MVD}


def test_every_word_must_match(gpo, kg_police):
    assert _found("prokuratura kyrgyz") == set()


def test_a_short_form_still_matches_itself_as_written(uz):
    from tipnet.directory.actions import do_create_agency

    do_create_agency(None, {"country": uz, "kind": "international", "name_en": "IOM Tashkent"})
    assert _found("IOM") == {"IOM Tashkent"}


def test_contacts_are_found_by_their_agency_short_form_and_their_name_in_latin(
    dilshod, aibek, malika
):
    found = filter_contacts(ContactPoint.objects.all(), q="генпрокуратура dilshod")
    assert [c.name for c in found] == ["Дильшод Рахимов"]


def test_the_short_forms_file_reads_and_names_its_source():
    import yaml

    from tipnet.directory.search import SHORT_FORMS_FILE

    data = yaml.safe_load(SHORT_FORMS_FILE.read_text(encoding="utf-8"))
    assert data["source"]
    assert short_forms()["мвд"] and short_forms()["moj"]


def test_the_page_finds_an_agency_by_its_short_form(investigator, client_as, gpo, kg_police):
    body = client_as(investigator).get("/directory/agencies/", {"q": "Генпрокуратура"})
    assert body.content.decode().count('data-testid="agency-row"') == 1
