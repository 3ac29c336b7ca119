def _rows(response) -> int:
    assert response.status_code == 200
    return response.content.decode().count('data-testid="contact-row"')


def test_it_lists_contacts_with_the_filter_controls_the_browser_test_uses(
    investigator, client_as, dilshod, aibek
):
    response = client_as(investigator).get("/directory/contacts/")
    body = response.content.decode()
    assert _rows(response) == 2
    assert 'name="country"' in body and 'data-testid="filter-country"' in body
    assert 'name="language"' in body and 'data-testid="filter-language"' in body
    assert 'data-testid="filter-submit"' in body
    assert '<option value="ky">' in body and '<option value="KG">' in body


def test_it_filters_contacts_by_country(investigator, client_as, dilshod, aibek):
    response = client_as(investigator).get("/directory/contacts/", {"country": "KG"})
    assert _rows(response) == 1
    assert "Айбек Жумабаев" in response.content.decode()


def test_it_filters_contacts_by_language(investigator, client_as, dilshod, aibek, malika):
    client = client_as(investigator)
    assert _rows(client.get("/directory/contacts/", {"language": "ky"})) == 1
    assert _rows(client.get("/directory/contacts/", {"language": "uz"})) == 2
    assert _rows(client.get("/directory/contacts/", {"language": "en"})) == 2


def test_it_filters_contacts_by_agency_type(investigator, client_as, dilshod, aibek, malika):
    response = client_as(investigator).get("/directory/contacts/", {"kind": "ngo"})
    assert _rows(response) == 1
    assert "Malika Tursunova" in response.content.decode()


def test_it_filters_contacts_by_network(investigator, client_as, casc, dilshod, aibek, malika):
    response = client_as(investigator).get("/directory/contacts/", {"network": "casc"})
    assert _rows(response) == 2
    assert "Malika" not in response.content.decode()


def test_it_shows_only_24_7_contacts_when_asked(investigator, client_as, dilshod, aibek):
    response = client_as(investigator).get("/directory/contacts/", {"is_24_7": "on"})
    assert _rows(response) == 1
    assert "Дильшод Рахимов" in response.content.decode()


def test_it_combines_filters(investigator, client_as, dilshod, aibek, malika):
    query = {"country": "UZ", "language": "ru"}
    assert _rows(client_as(investigator).get("/directory/contacts/", query)) == 1


def test_it_searches_contacts_by_name_in_any_case_and_by_agency(
    investigator, client_as, dilshod, aibek
):
    client = client_as(investigator)
    assert _rows(client.get("/directory/contacts/", {"q": "дильшод"})) == 1
    assert _rows(client.get("/directory/contacts/", {"q": "kyrgyz"})) == 1


def test_the_contact_page_shows_phone_languages_and_fictional_badge(
    investigator, client_as, dilshod
):
    body = client_as(investigator).get(f"/directory/contacts/{dilshod.pk}/").content.decode()
    assert 'href="tel:+998712000101"' in body
    assert "Uzbek, Russian, English" in body
    assert 'data-testid="fictional-badge"' in body


def test_an_unknown_contact_is_404(investigator, client_as, db):
    assert client_as(investigator).get("/directory/contacts/424242/").status_code == 404


def test_the_list_names_the_languages_spoken_not_their_codes(investigator, client_as, dilshod):
    client = client_as(investigator)
    for language, names in [("en", "Uzbek, Russian, English"), ("ru", "узбекский, русский")]:
        page = client.get("/directory/contacts/", headers={"accept-language": language}).text
        assert f'data-testid="contact-languages">{names}' in page, language
