"""The user's agency is named in the reader's language, from its directory entry."""

import pytest

from tipnet.directory.models import Agency as DirectoryAgency
from tipnet.directory.models import Country

pytestmark = pytest.mark.django_db


@pytest.fixture
def named_in_three_languages(investigator):
    uz = Country.objects.get_or_create(code="UZ", defaults={"name_en": "Uzbekistan"})[0]
    entry = DirectoryAgency.objects.create(
        country=uz,
        kind="police",
        name_en="Ministry of Internal Affairs of the Republic of Uzbekistan",
        name_ru="Министерство внутренних дел Республики Узбекистан",
        name_local="O‘zbekiston Respublikasi Ichki ishlar vazirligi",
        local_language="uz",
    )
    investigator.agency.directory_agency = entry
    investigator.agency.save()
    return investigator


@pytest.mark.parametrize(
    ("language", "name"),
    [
        ("en", "Ministry of Internal Affairs of the Republic of Uzbekistan"),
        ("ru", "Министерство внутренних дел Республики Узбекистан"),
        ("uz", "O‘zbekiston Respublikasi Ichki ishlar vazirligi"),
    ],
)
def test_the_home_page_names_the_agency_in_the_reader_s_language(
    client_as, named_in_three_languages, language, name
):
    client = client_as(named_in_three_languages)
    page = client.get("/", headers={"accept-language": language}).text
    assert f'data-testid="home-agency">{name} (UZ-MVD)' in page
    profile = client.get("/accounts/profile/", headers={"accept-language": language}).text
    assert f"{name} (UZ-MVD)" in profile


def test_an_agency_without_a_directory_entry_keeps_its_own_name(client_as, investigator):
    page = client_as(investigator).get("/", headers={"accept-language": "ru"}).text
    assert 'data-testid="home-agency">Ministry of Internal Affairs (UZ-MVD)' in page
