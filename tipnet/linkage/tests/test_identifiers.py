import pytest

from tipnet.linkage.identifiers import (
    normalise_document,
    normalise_email,
    normalise_phone,
    parse_partial_date,
)


@pytest.mark.parametrize(
    ("raw", "region", "e164"),
    [
        ("+971 50 123 4567", None, "+971501234567"),
        ("00971501234567", None, "+971501234567"),
        ("050 123 4567 (AE)", None, "+971501234567"),
        ("050-123-4567 (ae)", None, "+971501234567"),
        ("90 123 45 67", "UZ", "+998901234567"),
        ("+998 (90) 123-45-67", "AE", "+998901234567"),
    ],
)
def test_phones_become_e164(raw, region, e164):
    assert normalise_phone(raw, region) == e164


@pytest.mark.parametrize(
    "raw",
    ["", "123", "not a phone", "+971 12", "050 123 4567", "1' OR '1'='1", "9" * 100],
)
def test_invalid_phones_are_refused_clearly(raw):
    with pytest.raises(ValueError, match="phone number"):
        normalise_phone(raw)


@pytest.mark.parametrize(
    ("raw", "country", "clean"),
    [
        ("aa 123-45.67", "uz", "AA1234567"),
        ("N/1234567", "AE", "N1234567"),
        ("FA0001", "KG", "FA0001"),
    ],
)
def test_documents_are_cleaned(raw, country, clean):
    assert normalise_document(raw, country) == clean


@pytest.mark.parametrize("country", ["", "XX", "UZB", "u", "'; DROP TABLE"])
def test_documents_need_a_valid_issuing_country(country):
    with pytest.raises(ValueError, match="country code"):
        normalise_document("AA1234567", country)


@pytest.mark.parametrize("raw", ["", "  -- ", "AA<script>", "AB№123", "A" * 31])
def test_invalid_document_numbers_are_refused(raw):
    with pytest.raises(ValueError, match="document number"):
        normalise_document(raw, "UZ")


def test_emails_are_trimmed_and_lowercased():
    assert normalise_email("  Gulnora.K@Example.UZ ") == "gulnora.k@example.uz"
    assert normalise_email("info@пример.рф") == "info@xn--e1afmkfd.xn--p1ai"


@pytest.mark.parametrize(
    "raw", ["", "no-at-sign", "a@b", "two@@signs.com", "a b@c.com", "x@" + "y" * 260 + ".com"]
)
def test_invalid_emails_are_refused(raw):
    with pytest.raises(ValueError, match="e-mail"):
        normalise_email(raw)


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("1990", (1990, None, None)),
        ("1990-05", (1990, 5, None)),
        ("1990-05-17", (1990, 5, 17)),
        ("17.05.1990", (1990, 5, 17)),
        ("05.1990", (1990, 5, None)),
        (" 2000-02-29 ", (2000, 2, 29)),
    ],
)
def test_partial_dates_are_parsed(text, parsed):
    assert parse_partial_date(text) == parsed


@pytest.mark.parametrize(
    "text",
    ["", "90", "1990-13", "1990-02-30", "31.04.1990", "1999-02-29", "0001", "17/05/90", "now"],
)
def test_malformed_or_impossible_dates_are_refused(text):
    with pytest.raises(ValueError):
        parse_partial_date(text)
