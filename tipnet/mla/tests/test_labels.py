"""MLA pages name languages, channels, instruments and bases, never their codes."""

import re

from django.urls import reverse

from tipnet.mla import actions


def _text(html: str) -> str:
    """The page's visible text: no tags, so codes inside attributes do not count."""
    return re.sub(r"<[^>]+>", " ", html)


def test_the_basis_step_names_the_language_and_channel(draft_to_ae, prosecutor, client_as):
    actions.do_update_request(prosecutor, draft_to_ae, "authority", {"conducting_authority": "X"})
    url = reverse("mla:step", args=[draft_to_ae.pk, "basis"])
    page = client_as(prosecutor).get(url).content.decode()
    languages = re.search(r'data-testid="letter-languages">([^<]*)<', page)[1]
    channel = re.search(r'data-testid="letter-channel">([^<]*)<', page)[1]
    assert languages == "English"
    assert channel.startswith("Through") or channel.startswith("Directly")
    assert "central_authority" not in _text(page) and "direct_competent" not in _text(page)


def test_the_request_page_names_the_letter_language_and_unverified_instrument(
    complete_to_ae, prosecutor, client_as
):
    page = client_as(prosecutor).get(reverse("mla:detail", args=[complete_to_ae.pk]))
    text = page.content.decode()
    assert re.search(r'data-testid="letter-language">English<', text)
    assert "AE: UN Convention against Transnational Organized Crime" in text


def test_the_treaty_page_names_instruments_channels_and_bases(treaties, prosecutor, client_as):
    page = _text(client_as(prosecutor).get(reverse("mla:treaties")).content.decode())
    assert "Chisinau Convention on Legal Assistance (2002)" in page
    assert "Minsk Convention 1993" in page  # a deadline row
    for code in ("CHISINAU_2002", "MINSK_1993", "direct_competent", "central_authority"):
        assert code not in page
    assert "Russian" in page


def test_the_treaty_page_is_named_in_russian(treaties, prosecutor, client_as):
    client = client_as(prosecutor)
    client.cookies["django_language"] = "ru"
    page = client.get(reverse("mla:treaties"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Русский" in page or "русский" in page.lower()
    assert "<title>" in page and "<table" not in page.split("<title>")[1].split("</title>")[0]


def test_the_basis_rule_is_shown_in_the_readers_language(complete_to_ae, prosecutor, client_as):
    from django.utils.translation import gettext, override

    from tipnet.mla.models import MlaRequest

    rule = "No treaty binds the pair: UNTOC art. 18, paras 9-29 apply."
    with override("ru"):
        stored_in_russian = gettext(rule)
    assert stored_in_russian != rule
    MlaRequest.objects.filter(pk=complete_to_ae.pk).update(basis_rule=stored_in_russian)
    client = client_as(prosecutor)
    url = reverse("mla:detail", args=[complete_to_ae.pk])
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'data-testid="basis-rule">{rule}<' in english
    client.cookies["django_language"] = "uz"
    uzbek = client.get(url, HTTP_ACCEPT_LANGUAGE="uz").content.decode()
    with override("uz"):
        assert gettext(rule) != rule
        assert f'data-testid="basis-rule">{gettext(rule)}<' in uzbek
