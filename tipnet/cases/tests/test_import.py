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
    assert report.problems == [(1, "opened_on", "This column is missing.")]


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
