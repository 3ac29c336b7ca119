"""The dashboard, downloads and report: controlled tables only, for the roles that may see them."""

import io
from datetime import date

import pytest


@pytest.fixture
def some_data(build):
    for i in range(7):
        v = build.victim(date(2025, 3, 1 + i), birth_year=1990)
        build.decide(v, "identified", date(2025, 4, 1))
    v = build.victim(date(2026, 1, 10), sex="male", birth_year=2012, exploitation_forms=["begging"])
    build.decide(v, "presumed", date(2026, 1, 11))
    for i in range(6):
        build.case(date(2025, 2, 1 + i), [(date(2025, 5, 1), "investigation")])


def test_the_analyst_sees_the_funnel_and_suppressed_cells(client_as, analyst, some_data):
    page = client_as(analyst).get("/stats/", {"period": "2025 and Q1 2026"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="chart-cases_by_stage"' in html and "data:image/svg+xml" in html
    assert 'data-testid="suppressed"' in html
    # The one male child victim is never shown as 1.
    import re

    cells = [int(v) for v in re.findall(r"<td>(\d+)</td>", html)]
    assert cells and not [v for v in cells if 0 < v < 5]


@pytest.mark.parametrize("persona", ["investigator", "caseworker", "outsider"])
def test_other_roles_get_404(request, client_as, persona):
    user = request.getfixturevalue(persona)
    assert client_as(user).get("/stats/").status_code == 404
    assert client_as(user).get("/stats/download/", {"format": "csv"}).status_code == 404


def test_a_bad_period_is_refused_with_a_message(client_as, analyst):
    page = client_as(analyst).get("/stats/", {"period": "Q5 2025"})
    assert page.status_code == 400
    assert b'data-testid="period-error"' in page.content
    assert client_as(analyst).get("/stats/download/", {"format": "nope"}).status_code == 404


def test_the_xlsx_marks_suppressed_cells_and_has_no_small_number(client_as, analyst, some_data):
    from openpyxl import load_workbook

    response = client_as(analyst).get(
        "/stats/download/", {"format": "xlsx", "period": "2025 and Q1 2026"}
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    values = [c.value for s in book.worksheets[1:] for row in s.iter_rows() for c in row]
    assert "<5" in values
    assert not [v for v in values if isinstance(v, int) and 0 < v < 5]


def test_the_report_in_three_languages(client_as, analyst, some_data):
    from docx import Document
    from pypdf import PdfReader

    client = client_as(analyst)
    expected = {"en": "Definitions", "ru": "Определения", "uz": "Ta’riflar"}
    # One PDF (WeasyPrint is slow on a shared machine), the DOCX in every language.
    client.cookies["django_language"] = "ru"
    pdf = client.get("/stats/download/", {"format": "pdf", "period": "2025 and Q1 2026"})
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Определения" in text and "Цепочка правосудия: дела" in text
    assert "<5" in text and "Ячейки со значениями от 1 до 4" in text
    for lang, word in expected.items():
        client.cookies["django_language"] = lang
        doc = client.get("/stats/download/", {"format": "docx", "period": "2025 and Q1 2026"})
        document = Document(io.BytesIO(doc.content))
        paragraphs = "\n".join(p.text for p in document.paragraphs)
        assert word in paragraphs, lang
        cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
        assert "<5" in cells
        assert not [c for c in cells if c.isdigit() and 0 < int(c) < 5]


def test_the_api_answers_controlled_tables(api_as, analyst, some_data):
    response = api_as(analyst).get("/api/stats/tables", {"period": "2025 and Q1 2026"})
    assert response.status_code == 200
    cells = [v for t in response.json()["tables"] for row in t["cells"] for v in row]
    assert None in cells
    assert not [v for v in cells if isinstance(v, int) and v == int(v) and 0 < v < 5]
    bad = api_as(analyst).get("/api/stats/tables", {"period": "nonsense"})
    assert bad.status_code == 422 and "error" in bad.json()
