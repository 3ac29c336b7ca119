import io
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from tipnet.cases.importer import import_file
from tipnet.cases.models import Case, CasePerson, Identifier

pytestmark = pytest.mark.django_db

GOOD = (
    "case_ref;title;opened_on;route;exploitation_forms;stage;full_name;role;chain_role;birth;"
    "citizenships;phone\n"
    "17/2025;Recruitment to Moscow;2025-03-01;UZ KZ RU;labour;investigation;Шухрат Юсупов;"
    "suspect;recruiter;1980;UZ;+998 90 123 45 67\n"
    "17/2025;;;;;;Gulnora Karimova;victim;;~1999;UZ;\n"
    "18/2025;Dubai clubs;2025-04-02;UZ AE;sexual;;;;;;;\n"
)


def test_a_dry_run_reports_and_writes_nothing(investigator):
    report = import_file(investigator, "cases.csv", GOOD.encode(), dry_run=True)
    assert report.is_valid and not report.written
    assert (report.rows, report.cases, report.persons) == (3, 2, 2)
    assert not Case.objects.exists()


def test_a_real_run_writes_cases_persons_and_stages(investigator):
    report = import_file(investigator, "cases.csv", GOOD.encode(), dry_run=False)
    assert report.written
    case = Case.objects.get(title="Recruitment to Moscow")
    assert case.stage == "investigation"
    assert [leg.country for leg in case.route.all()] == ["UZ", "KZ", "RU"]
    assert case.case_persons.count() == 2
    assert Identifier.objects.get().normalised == "+998901234567"


def test_every_problem_is_reported_by_row_and_column_and_nothing_written(investigator):
    bad = (
        "case_ref,title,opened_on,route,full_name,role,birth,phone\n"
        "1,A,2025-02-30,UZ XX,Test Person,boss,1990-13,12\n"
        "2,'; DROP TABLE cases_case; --,2025-01-01,UZ,,,,\n"
    )
    report = import_file(investigator, "bad.csv", bad.encode(), dry_run=False)
    cells = {(row, column) for row, column, _ in report.problems}
    assert {(2, "opened_on"), (2, "route"), (2, "role"), (2, "birth"), (2, "phone")} <= cells
    assert not report.written
    assert not Case.objects.exists()


def test_a_missing_column_is_named(investigator):
    report = import_file(investigator, "x.csv", b"case_ref,title\n1,A\n", dry_run=True)
    [(row, column, message)] = report.problems
    assert (row, column) == (1, "opened_on")
    assert message.startswith("This column is missing.") and "case_ref, title, opened_on" in message


def test_an_unreadable_file_gets_a_clear_problem(investigator):
    report = import_file(investigator, "x.xlsx", b"MZ\x90\x00not a workbook", dry_run=True)
    assert report.problems[0][0] == 0 and not report.is_valid


def test_xlsx_is_read_too(investigator):
    book = Workbook()
    sheet = book.active
    sheet.append(["case_ref", "title", "opened_on", "route", "full_name", "role"])
    sheet.append(["K-1", "Antalya hotels", date(2025, 5, 5), "KG TR", "Айгерим Саидова", "victim"])
    buffer = io.BytesIO()
    book.save(buffer)
    report = import_file(investigator, "cases.xlsx", buffer.getvalue(), dry_run=False)
    assert report.written
    assert CasePerson.objects.get().person.latin_name == "Aygerim Saidova"
    assert Case.objects.get().opened_on == date(2025, 5, 5)


def test_the_command_checks_then_imports(investigator, tmp_path: Path):
    path = tmp_path / "cases.csv"
    path.write_text(GOOD, encoding="utf-8")
    out = io.StringIO()
    call_command(
        "cases", "import", str(path), "--dry-run", "--as", investigator.username, stdout=out
    )
    assert "nothing written" in out.getvalue()
    assert not Case.objects.exists()
    call_command("cases", "import", str(path), "--as", investigator.username, stdout=out)
    assert Case.objects.count() == 2
    path.write_text("case_ref,title,opened_on\n1,,bad\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("cases", "import", str(path), "--as", investigator.username, stdout=out)
    assert "row 2\tcolumn opened_on" in out.getvalue()


def test_the_import_page_shows_the_report(client_as, investigator, analyst):
    upload = SimpleUploadedFile("cases.csv", GOOD.encode(), "text/csv")
    response = client_as(investigator).post(
        reverse("cases:import"), {"file": upload, "dry_run": "on"}
    )
    assert 'data-testid="import-summary"' in response.text
    assert not Case.objects.exists()
    assert client_as(analyst).get(reverse("cases:import")).status_code == 404


def test_the_api_checks_then_imports_and_reports_problems_by_row_and_column(
    api_as, investigator, analyst
):
    from tipnet.audit.models import AuditEvent

    client = api_as(investigator)

    def send(data: bytes, dry_run: bool):
        upload = SimpleUploadedFile("cases.csv", data, "text/csv")
        return client.post("/api/cases/import", {"file": upload, "dry_run": dry_run})

    checked = send(GOOD.encode(), True)
    assert checked.status_code == 200
    assert checked.json() == {
        "dry_run": True,
        "written": False,
        "rows": 3,
        "cases": 2,
        "persons": 2,
    }
    assert not Case.objects.exists()
    bad = GOOD.replace("UZ KZ RU", "UZ XX RU")
    refused = send(bad.encode(), False)
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "invalid"
    details = refused.json()["error"]["details"]
    assert [d["field"] for d in details] == ["rows.2.route"]
    assert "XX" in details[0]["message"]
    assert not Case.objects.exists()
    assert send(GOOD.encode(), False).json()["written"] is True
    assert Case.objects.count() == 2
    assert AuditEvent.objects.filter(tag="cases:import:run").count() == 3
    upload = SimpleUploadedFile("cases.csv", GOOD.encode(), "text/csv")
    denied = api_as(analyst).post("/api/cases/import", {"file": upload, "dry_run": False})
    assert denied.status_code == 404 and Case.objects.count() == 2


# Words a user understands: what is wrong and how to fix it, never a parser's own text.
PYTHON_WORDS = ("Error", "Exception", "Traceback", "codec", "invalid literal", "NoneType", "b'")


def _problems(investigator, name: str, data: bytes) -> list[tuple[int, str, str]]:
    report = import_file(investigator, name, data, dry_run=False)
    assert not report.written and not Case.objects.exists()
    for _row, _column, message in report.problems:
        assert not any(word in message for word in PYTHON_WORDS), message
    return report.problems


def test_a_date_that_is_not_in_the_calendar_says_how_to_write_it(investigator):
    data = b"case_ref,title,opened_on\n1,A,2025-02-30\n2,B,01.03.2025\n"
    problems = _problems(investigator, "x.csv", data)
    assert [(r, c) for r, c, _m in problems] == [(2, "opened_on"), (3, "opened_on")]
    assert "2025-02-30" in problems[0][2] and "not a day of the calendar" in problems[0][2]
    assert "01.03.2025" in problems[1][2] and "YYYY-MM-DD" in problems[1][2]


def test_an_unknown_code_lists_the_codes_allowed(investigator):
    data = b"case_ref,title,opened_on,full_name,role,stage\n1,A,2025-01-01,X Y,boss,court\n"
    problems = {(r, c): m for r, c, m in _problems(investigator, "x.csv", data)}
    assert "“boss”" in problems[(2, "role")]
    assert "victim, suspect, witness, other" in problems[(2, "role")]
    assert "detection, investigation, prosecution, trial" in problems[(2, "stage")]


def test_a_phone_that_cannot_be_read_says_how_to_write_it(investigator):
    data = b"case_ref,title,opened_on,full_name,phone\n1,A,2025-01-01,X Y,12\n"
    [(row, column, message)] = _problems(investigator, "x.csv", data)
    assert (row, column) == (2, "phone") and "+998 90 123 45 67" in message


def test_a_file_in_another_encoding_is_told_to_save_as_utf8(investigator):
    data = "case_ref;title;opened_on\n1;Вербовка;2025-01-01\n".encode("cp1251")
    [(row, _column, message)] = _problems(investigator, "x.csv", data)
    assert row == 0 and "UTF-8" in message and "CSV UTF-8" in message


def test_an_empty_file_and_a_header_without_rows_are_named(investigator):
    assert "empty" in _problems(investigator, "x.csv", b"")[0][2]
    assert "empty" in _problems(investigator, "x.csv", b"\r\n \n")[0][2]
    [(row, _c, message)] = _problems(investigator, "x.csv", b"case_ref,title,opened_on\n")
    assert row == 2 and "no data rows" in message


def test_a_damaged_workbook_or_another_kind_of_file_gets_a_clear_problem(investigator):
    [(_r, _c, message)] = _problems(investigator, "x.xlsx", b"PK\x03\x04broken zip")
    assert "Excel workbook" in message
    [(_r, _c, message)] = _problems(investigator, "cases.xls", b"\xd0\xcf\x11\xe0")
    assert "CSV (.csv) and Excel (.xlsx)" in message and ".xls." in message
    report = import_file(investigator, "upload", b"case_ref,title,opened_on\n1,A,2025-01-01\n")
    assert report.is_valid  # no extension: read as CSV


def test_an_oversized_file_names_the_limit(investigator):
    data = b"case_ref,title,opened_on\n" + b"1,A,2025-01-01\n" * 100
    report = import_file(investigator, "x.csv", data, dry_run=False, max_bytes=1024 * 1024 // 2)
    assert report.is_valid is True  # under the limit
    Case.objects.all().delete()
    report = import_file(investigator, "x.csv", data, dry_run=False, max_bytes=1024)
    [(row, _c, message)] = report.problems
    assert row == 0 and "larger than" in message and not Case.objects.exists()


def test_too_many_rows_are_refused(investigator, settings, monkeypatch):
    monkeypatch.setattr("tipnet.cases.importer.MAX_ROWS", 3)
    data = b"case_ref,title,opened_on\n" + b"1,A,2025-01-01\n" * 4
    [(_r, _c, message)] = _problems(investigator, "x.csv", data)
    assert "At most 3 rows" in message


def test_an_unknown_column_is_named_with_the_columns_allowed(investigator):
    data = b"case_ref,title,opened_on,fullname\n1,A,2025-01-01,X Y\n"
    [(row, column, message)] = _problems(investigator, "x.csv", data)
    assert (row, column) == (1, "fullname") and "full_name" in message


@pytest.mark.parametrize(
    "cell", ['=HYPERLINK("http://x")', "@SUM(A1)", "+cmd|' /C calc'!A0", "-2+3"]
)
def test_a_formula_in_a_csv_cell_is_refused(investigator, cell):
    row = f'1,"{cell.replace(chr(34), chr(34) * 2)}",2025-01-01\n'
    [(r, column, message)] = _problems(
        investigator, "x.csv", b"case_ref,title,opened_on\n" + row.encode()
    )
    assert (r, column) == (2, "title") and "formula" in message


def test_a_formula_in_a_workbook_cell_is_refused_and_a_phone_is_not(investigator):
    book = Workbook()
    sheet = book.active
    sheet.append(["case_ref", "title", "opened_on", "full_name", "phone", "citizenships"])
    sheet.append(["K-1", "=1+1", "2025-05-05", "Aziz Rahimov", "+998 90 123 45 67", "UZ"])
    buffer = io.BytesIO()
    book.save(buffer)
    [(row, column, message)] = _problems(investigator, "x.xlsx", buffer.getvalue())
    assert (row, column) == (2, "title") and "formula" in message


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_template_has_the_header_and_an_example_row_that_imports(
    client_as, investigator, analyst, kind
):
    response = client_as(investigator).get(reverse(f"cases:import_template_{kind}"))
    assert response.status_code == 200
    assert f"tipnet-cases-template.{kind}" in response["Content-Disposition"]
    report = import_file(investigator, f"t.{kind}", response.content, dry_run=False)
    assert report.problems == [] and report.written
    person = CasePerson.objects.get()
    assert (person.role, person.chain_role) == ("suspect", "recruiter")
    assert "+998901234567" in {i.normalised for i in Identifier.objects.all()}
    denied = client_as(analyst).get(reverse(f"cases:import_template_{kind}"))
    assert denied.status_code == 404


def test_the_import_page_links_the_templates_and_explains_problems(client_as, investigator):
    client = client_as(investigator)
    page = client.get(reverse("cases:import")).text
    assert reverse("cases:import_template_xlsx") in page
    assert reverse("cases:import_template_csv") in page
    upload = SimpleUploadedFile("cases.csv", "a;b\n1;2\n".encode("utf-16"), "text/csv")
    response = client.post(reverse("cases:import"), {"file": upload})
    assert response.status_code == 200
    assert "whole file" in response.text and "CSV UTF-8" in response.text
