def test_it_lists_networks(investigator, client_as, casc):
    body = client_as(investigator).get("/directory/networks/").content.decode()
    assert body.count('data-testid="network-row"') == 1
    assert 'href="/directory/networks/casc/"' in body


def test_the_network_page_lists_its_members(investigator, client_as, casc, uz_ngo):
    body = client_as(investigator).get("/directory/networks/casc/").content.decode()
    assert body.count('data-testid="member-row"') == 2
    assert "Istiqbol" not in body


def test_an_unknown_network_is_404(investigator, client_as, db):
    assert client_as(investigator).get("/directory/networks/nope/").status_code == 404


def test_the_country_list_shows_countries_with_a_guide(investigator, client_as, guide, kg):
    body = client_as(investigator).get("/directory/countries/").content.decode()
    assert body.count('data-testid="country-row"') == 1
    assert 'href="/directory/countries/UZ/"' in body


def test_the_guide_shows_authority_languages_and_entries_with_sources(
    investigator, client_as, guide
):
    body = client_as(investigator).get("/directory/countries/UZ/").content.decode()
    assert "General Prosecutor" in body.split('data-testid="guide-central-authority"')[1]
    assert "Uzbek, Russian" in body
    assert body.count('data-testid="guide-topic"') == 2
    assert "Minsk Convention 1993" in body and "UNODC SHERLOC" in body


def test_the_guide_flags_only_unverified_entries(investigator, client_as, guide):
    body = client_as(investigator).get("/directory/countries/uz/").content.decode()
    assert body.count('data-testid="unverified-badge"') == 1
    unverified = body.split('data-testid="unverified-badge"')[0].rsplit("<li", 1)[1]
    assert "Uzbek or Russian." in unverified


def test_a_country_without_a_guide_is_404(investigator, client_as, guide):
    assert client_as(investigator).get("/directory/countries/KG/").status_code == 404
