"""A victim's page names agencies and languages in the reader's language, never by code."""

import pytest

from tipnet.directory.actions import do_update_agency

from .conftest import consent

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "agency", "spoken"),
    [
        ("en", "Oydin shelter (fictional)", "Uzbek"),
        ("ru", "Приют «Ойдин» (вымышленный)", "Узбекский"),
        ("uz", "«Oydin» boshpanasi (to‘qima)", "O‘zbek"),
    ],
)
def test_a_consent_names_its_recipient_and_language_in_the_reader_s_language(
    client_as, caseworker, victim, shelter_dir, language, agency, spoken
):
    names = {"name_ru": "Приют «Ойдин» (вымышленный)", "name_uz": "«Oydin» boshpanasi (to‘qima)"}
    do_update_agency(None, shelter_dir, names)
    consent(victim, caseworker, "data_sharing", shelter_dir)
    page = client_as(caseworker).get(
        f"/victims/{victim.code}/", headers={"accept-language": language}
    )
    assert page.status_code == 200
    html = page.content.decode()
    start = html.index('data-testid="consent"')
    row = html[start : html.index("</li>", start)]
    assert f"({agency})" in row
    assert f" · {spoken}" in row and " · uz · " not in row
