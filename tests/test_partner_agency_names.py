"""A partner node of the demo network names its own agency in the reader's language."""

import pytest
from django.utils.html import escape

from tipnet.accounts.models import User
from tipnet.demo_network import load_partner

pytestmark = pytest.mark.django_db

KG_GPO = "Prosecutor General's Office of the Kyrgyz Republic"


@pytest.mark.parametrize(
    ("language", "name"),
    [
        ("en", KG_GPO),
        ("ru", "Генеральная прокуратура Кыргызской Республики"),
        ("uz", "Qirg‘iziston Respublikasi Bosh prokuraturasi"),
    ],
)
def test_the_kyrgyz_prosecutor_s_home_page_names_the_office_in_the_reader_s_language(
    client, language, name
):
    load_partner("KG-GPO", "KG", KG_GPO)
    client.force_login(User.objects.get(username="prosecutor"))
    page = client.get("/", headers={"accept-language": language}).content.decode()
    assert f'data-testid="home-agency">{escape(name)} (KG-GPO)' in page
