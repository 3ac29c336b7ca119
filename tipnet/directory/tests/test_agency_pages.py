import pytest
from django.test import Client

from tipnet.directory.models import Agency


def test_an_anonymous_visitor_is_sent_to_the_login_page(db):
    response = Client().get("/directory/agencies/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_index_links_to_every_list(investigator, client_as):
    body = client_as(investigator).get("/directory/").content.decode()
    for url in ["agencies", "contacts", "networks", "countries", "events"]:
        assert f'href="/directory/{url}/"' in body


def test_it_lists_agencies(investigator, client_as, gpo, kg_police):
    body = client_as(investigator).get("/directory/agencies/").content.decode()
    assert body.count('data-testid="agency-row"') == 2


@pytest.mark.parametrize(
    "query", ["Prosecutor", "прокуратура", "ПРОКУРАТУРА", "bosh prokuraturasi"]
)
def test_it_searches_agencies_over_all_three_names(investigator, client_as, gpo, kg_police, query):
    body = client_as(investigator).get("/directory/agencies/", {"q": query}).content.decode()
    assert body.count('data-testid="agency-row"') == 1
    assert "General Prosecutor" in body


def test_it_filters_agencies_by_country(investigator, client_as, gpo, kg_police):
    body = client_as(investigator).get("/directory/agencies/", {"country": "KG"}).content.decode()
    assert body.count('data-testid="agency-row"') == 1
    assert "Kyrgyz Republic" in body


def test_it_filters_agencies_by_type(investigator, client_as, gpo, kg_police):
    body = client_as(investigator).get("/directory/agencies/", {"kind": "police"}).content.decode()
    assert body.count('data-testid="agency-row"') == 1
    assert "Internal Affairs" in body


def test_it_filters_agencies_by_network(investigator, client_as, casc, uz_ngo):
    body = client_as(investigator).get("/directory/agencies/", {"network": "casc"}).content
    assert body.decode().count('data-testid="agency-row"') == 2
    assert "Istiqbol" not in body.decode()


def test_an_unknown_filter_value_is_ignored_not_an_error(investigator, client_as, gpo):
    response = client_as(investigator).get("/directory/agencies/", {"country": "ZZ"})
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="agency-row"') == 1


def test_it_paginates_agencies(investigator, client_as, uz, settings):
    settings.TIPNET_PAGE_SIZE = 2
    Agency.objects.bulk_create(
        Agency(country=uz, kind="ngo", name_en=f"NGO {i}", search_text=f"ngo {i}") for i in range(5)
    )
    client = client_as(investigator)
    first = client.get("/directory/agencies/").content.decode()
    last = client.get("/directory/agencies/", {"page": 3}).content.decode()
    assert first.count('data-testid="agency-row"') == 2
    assert last.count('data-testid="agency-row"') == 1
    assert 'data-testid="page-next"' in first


def test_the_agency_page_shows_three_names_contacts_and_networks(
    investigator, client_as, gpo, dilshod, casc
):
    body = client_as(investigator).get(f"/directory/agencies/{gpo.pk}/").content.decode()
    assert "General Prosecutor&#x27;s Office of the Republic of Uzbekistan" in body
    assert "Генеральная прокуратура Республики Узбекистан" in body
    assert "O‘zbekiston Respublikasi Bosh prokuraturasi" in body
    assert "Дильшод Рахимов" in body
    assert 'data-testid="fictional-badge"' in body
    assert body.count('data-testid="agency-network"') == 1


def test_an_unknown_agency_is_404(investigator, client_as, db):
    assert client_as(investigator).get("/directory/agencies/999999/").status_code == 404


def test_the_agency_name_follows_the_interface_language(investigator, client_as, gpo):
    client = client_as(investigator)
    client.post("/i18n/setlang/", {"language": "uz", "next": "/"})
    body = client.get("/directory/agencies/").content.decode()
    assert "O‘zbekiston Respublikasi Bosh prokuraturasi" in body


def test_htmx_gets_only_the_results(investigator, client_as, gpo):
    response = client_as(investigator).get(
        "/directory/agencies/", headers={"HX-Request": "true", "HX-Target": "results"}
    )
    body = response.content.decode()
    assert 'data-testid="agency-row"' in body
    assert "<html" not in body
