"""Letters and pages name agencies in the reader's language, and states by their names."""

import re

from django.urls import reverse

from tipnet.mla.letters import render_html


def _meta(html: str) -> str:
    return html.split('<div class="meta">')[1].split("</div>")[0]


def test_the_russian_letter_names_both_agencies_in_russian(complete_to_kz):
    meta = _meta(render_html(complete_to_kz, "ru"))
    assert "Генеральная прокуратура Республики Узбекистан" in meta
    assert "Генеральная прокуратура Республики Казахстан" in meta
    assert "Prosecutor" not in meta


def test_the_english_letter_keeps_the_english_names(complete_to_kz):
    meta = _meta(render_html(complete_to_kz, "en"))
    assert "General Prosecutor&#x27;s Office of the Republic of Uzbekistan" in meta


def test_a_name_not_in_the_directory_is_kept_as_written(complete_to_kz, prosecutor):
    from tipnet.mla import actions

    actions.do_update_request(
        prosecutor,
        complete_to_kz,
        "state",
        {"requested_state": "KZ", "requested_authority": "Almaty city prosecutor (fictional)"},
    )
    assert "Almaty city prosecutor (fictional)" in _meta(render_html(complete_to_kz, "ru"))


def test_the_uzbek_page_names_the_agency_and_states_in_uzbek(complete_to_kz, prosecutor, client_as):
    client = client_as(prosecutor)
    client.cookies["django_language"] = "uz"
    url = reverse("mla:detail", args=[complete_to_kz.pk])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="uz").content.decode()
    authority = re.search(r'data-testid="requesting-authority">([^<]*)<', html)[1]
    assert authority == "O‘zbekiston Respublikasi Bosh prokuraturasi"
    requested = re.search(r'data-testid="requested-state">([^<]*)<', html)[1]
    assert requested not in ("KZ", "Kazakhstan") and requested.startswith("Qozog")
