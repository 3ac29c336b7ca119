"""Letters of request rendered to PDF and DOCX, their text extracted to check every element."""

import io

import pytest
from docx import Document
from pypdf import PdfReader

from tipnet.mla.letters import render


def pdf_text(content: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages
    )


def docx_text(content: bytes) -> str:
    return " ".join(" ".join(p.text.split()) for p in Document(io.BytesIO(content)).paragraphs)


EXTRACT = {"pdf": pdf_text, "docx": docx_text}
# The elements of UNTOC 18(15) (and art. 7 for CIS bases) as typed in by fill_draft.
ELEMENTS = [
    "General Prosecutor's Office of the Republic of Uzbekistan",
    "Investigation department, General Prosecutor's Office",
    "Trafficking in persons for labour",
    "Three women were recruited with false job offers.",
    "Art. 135 of the Criminal Code",
    "Employment contracts and salary records",
    "Rustamov Akmal Bakhodirovich",
    "Samarkand",
    "To prove the exploitation of the victims",
    "Certified copies, with a certificate of authenticity.",
    "p.prosecutor@example.org",
    "Copy of the decision to open the case",
    "Deputy Prosecutor General (fictional)",
]
ENGLISH = [
    "Request for mutual legal assistance in a criminal matter",
    "UNTOC, article 18",
    "Summary of the facts",
    "Persons concerned",
    "Annexes",
    "Signature",
    "kept confidential",
]
GPO_RU = "Генеральная прокуратура Республики Узбекистан"
RUSSIAN = [
    "Запрос о правовой помощи по уголовному делу",
    "Минская конвенция",
    "Краткое изложение фактов",
    "Лица, которых касается запрос",
    "Приложения",
    "Подпись",
    "конфиденциальн",
]


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_english_letter_to_the_uae_has_every_element(complete_to_ae, prosecutor, fmt):
    name, _type, content = render(complete_to_ae, fmt, "en", reader=prosecutor)
    text = EXTRACT[fmt](content)
    assert name == f"{complete_to_ae.reference}-en.{fmt}"
    missing = [e for e in [*ELEMENTS, *ENGLISH, complete_to_ae.case_number] if e not in text]
    assert missing == []


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_russian_letter_to_kazakhstan_is_in_russian_with_every_element(
    complete_to_kz, prosecutor, fmt
):
    assert complete_to_kz.language == "ru"
    _name, _type, content = render(complete_to_kz, fmt, "ru", reader=prosecutor)
    text = EXTRACT[fmt](content)
    # The requesting office is a directory agency: the Russian letter gives its Russian name.
    elements = [e for e in ELEMENTS if e != ELEMENTS[0]] + [GPO_RU]
    missing = [e for e in [*elements, *RUSSIAN, complete_to_kz.case_number] if e not in text]
    assert missing == []
    assert "Request for mutual legal assistance" not in text
    assert ELEMENTS[0] not in text


def test_cyrillic_typed_in_renders_in_the_pdf(complete_to_kz, prosecutor):
    from tipnet.mla.actions import do_update_request

    do_update_request(prosecutor, complete_to_kz, "facts", {"facts": "Гулнора была завербована."})
    text = pdf_text(render(complete_to_kz, "pdf", "ru", reader=prosecutor)[2])
    assert "Гулнора была завербована." in text


def test_a_letter_in_an_unsupported_language_or_format_is_refused(complete_to_ae, prosecutor):
    with pytest.raises(ValueError, match="written in"):
        render(complete_to_ae, "pdf", "fr", reader=prosecutor)
    with pytest.raises(ValueError, match="rendered as"):
        render(complete_to_ae, "odt", "en", reader=prosecutor)
