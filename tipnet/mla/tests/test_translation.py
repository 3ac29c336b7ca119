"""A letter to a state that wants a translation says so and lists what to translate."""

import re

from django.urls import reverse

from tipnet.mla.translation import checklist_for, translation_fact


def _section(html: str) -> str:
    found = re.search(r'<section data-testid="translation">.*?</section>', html, re.S)
    return found[0] if found else ""


def test_every_translation_fact_names_a_source():
    for code in ("AE", "TR", "KZ"):
        fact = translation_fact(code)
        assert fact is not None and fact.source and fact.into


def test_a_letter_in_english_to_the_emirates_needs_an_arabic_translation(complete_to_ae):
    checklist = checklist_for(complete_to_ae)
    assert checklist.letter_needs_translation
    letter, *annexes = checklist.items
    assert (letter.into, letter.is_certified, letter.is_conditional) == (["ar"], True, False)
    assert [a.document for a in annexes] == [
        "Copy of the decision to open the case",
        "List of questions",
    ]


def test_a_russian_letter_to_kazakhstan_needs_only_its_annexes_checked(complete_to_kz):
    checklist = checklist_for(complete_to_kz)
    assert not checklist.letter_needs_translation
    assert all(item.is_conditional and item.into == ["kk", "ru"] for item in checklist.items)


def test_the_last_step_says_a_translation_is_required(complete_to_ae, prosecutor, client_as):
    url = reverse("mla:step", args=[complete_to_ae.pk, "check"])
    section = _section(client_as(prosecutor).get(url).content.decode())
    assert 'data-testid="translation-required"' in section
    assert "Arabic" in section and "certified" in section
    assert section.count('data-testid="translation-item"') == 3


def test_the_request_page_shows_the_checklist(complete_to_ae, prosecutor, client_as):
    page = client_as(prosecutor).get(reverse("mla:detail", args=[complete_to_ae.pk]))
    section = _section(page.content.decode())
    assert "United Arab Emirates" in section and "List of questions" in section


def test_the_russian_page_names_the_language_in_russian(complete_to_ae, prosecutor, client_as):
    client = client_as(prosecutor)
    client.cookies["django_language"] = "ru"
    url = reverse("mla:detail", args=[complete_to_ae.pk])
    section = _section(client.get(url, HTTP_ACCEPT_LANGUAGE="ru").content.decode())
    assert "рабский" in section and "Arabic" not in section
