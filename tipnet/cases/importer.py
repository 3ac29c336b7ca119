"""Import cases and persons from CSV or XLSX, as agencies keep them in spreadsheets today.

One row per person in a case; rows with the same `case_ref` (the agency's own number) form one
case, whose fields come from its first row. Every row is checked first and every problem is
reported as (row, column, problem); nothing is written unless the whole file is valid, and a
real run is one transaction.
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from openpyxl.utils.exceptions import InvalidFileException

from tipnet.lib import text

from . import actions
from .enums import ChainRole, ExploitationForm, PersonRole, Sex, Stage
from .forms import parse_route
from .names import normalise_identifier
from .validation import country_list, parse_partial_date

REQUIRED = ("case_ref", "title", "opened_on")
OPTIONAL = (
    "exploitation_forms",
    "route",
    "stage",
    "offence_articles",
    "full_name",
    "role",
    "chain_role",
    "sex",
    "birth",
    "citizenships",
    "phone",
    "passport",
)
MAX_ROWS = 5000
# Stages an import may set; a closed case needs its outcome and is closed on the page.
IMPORT_STAGES = [Stage.DETECTION, Stage.INVESTIGATION, Stage.PROSECUTION, Stage.TRIAL]


@dataclass
class Report:
    rows: int = 0
    cases: int = 0
    persons: int = 0
    problems: list[tuple[int, str, str]] = field(default_factory=list)
    written: bool = False

    @property
    def is_valid(self) -> bool:
        return not self.problems


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):  # spreadsheet dates come back as datetimes
        return value.strftime("%Y-%m-%d")
    return str(value).strip()


def _read(filename: str, data: bytes) -> list[dict[str, str]]:
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        values = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    else:
        text = data.decode("utf-8-sig")
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        values = [[v.strip() for v in row] for row in csv.reader(io.StringIO(text), dialect)]
    if not values:
        return []
    header = [h.strip().lower() for h in values[0]]
    return [dict(zip(header, row, strict=False)) for row in values[1 : MAX_ROWS + 2]]


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.replace(",", ";").split(";") if v.strip()]


class _Checker:
    def __init__(self, report: Report):
        self.report = report

    def problem(self, row: int, column: str, message: str) -> None:
        self.report.problems.append((row, column, message))

    def check(self, row: int, column: str, func, value):
        try:
            return func(value)
        except (ValidationError, ValueError) as exc:
            text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            self.problem(row, column, text)
            return None

    def choice(self, row: int, column: str, value: str, allowed) -> str:
        if value and value not in allowed:
            self.problem(row, column, _("Unknown value: %(v)s.") % {"v": value[:40]})
        return value


def _date(value: str):
    found = parse_date(value) if value else None
    if found is None:
        raise ValueError(_("Write the date as YYYY-MM-DD."))
    return found


def _case_plan(c: _Checker, n: int, row: dict) -> dict:
    forms = _split(row.get("exploitation_forms", ""))
    for code in forms:
        c.choice(n, "exploitation_forms", code, ExploitationForm.values)
    stage = row.get("stage", "") or Stage.DETECTION
    c.choice(n, "stage", stage, IMPORT_STAGES)
    if not row.get("title"):
        c.problem(n, "title", _("This field is required."))
    return {
        "title": row.get("title", "")[:200],
        "offence_articles": row.get("offence_articles", "")[:200],
        "exploitation_forms": forms,
        "opened_on": c.check(n, "opened_on", _date, row.get("opened_on", "")),
        "route": c.check(n, "route", parse_route, row.get("route", "")) or [],
        "stage": stage,
        "persons": [],
    }


def _person_plan(c: _Checker, n: int, row: dict) -> dict:
    role = row.get("role", "") or PersonRole.OTHER
    c.choice(n, "role", role, PersonRole.values)
    chain = row.get("chain_role", "")
    c.choice(n, "chain_role", chain, ChainRole.values)
    if chain and role != PersonRole.SUSPECT:
        c.problem(n, "chain_role", _("Only a suspect has a chain role or status."))
    sex = row.get("sex", "") or Sex.UNKNOWN
    c.choice(n, "sex", sex, Sex.values)
    citizenships = c.check(n, "citizenships", country_list, row.get("citizenships", "")) or []
    region = citizenships[0] if citizenships else None
    for column in ("phone", "passport"):
        if row.get(column):
            c.check(
                n, column, lambda v, k=column: normalise_identifier(k, v, region or ""), row[column]
            )
    return {
        "full_name": row["full_name"][:200],
        "role": role,
        "chain_role": chain,
        "sex": sex,
        "birth": c.check(n, "birth", parse_partial_date, row.get("birth", "")),
        "citizenships": citizenships,
        "phone": row.get("phone", ""),
        "passport": row.get("passport", ""),
    }


def _refuse_control_characters(c: _Checker, n: int, row: dict) -> None:
    # Every column of the file is a one-line value: titles, names, codes, numbers.
    for column, value in row.items():
        found = text.control_characters(value or "")
        if found:
            c.problem(n, text.visible(str(column))[:40], text.message(found))


def check_file(filename: str, data: bytes) -> tuple[Report, dict[str, dict]]:
    """Read and check the file; return the report and the cases it would create."""
    report, plans = Report(), dict[str, dict]()
    c = _Checker(report)
    try:
        rows = _read(filename, data)
    # Whatever makes the file unreadable, the user gets the same clear answer.
    except (
        UnicodeDecodeError,
        csv.Error,
        zipfile.BadZipFile,
        InvalidFileException,
        KeyError,
        OSError,
        ValueError,
    ):
        c.problem(0, "", _("The file cannot be read as CSV (UTF-8) or XLSX."))
        return report, plans
    if not rows:
        c.problem(1, "", _("The file has no rows."))
    elif len(rows) > MAX_ROWS:
        c.problem(MAX_ROWS + 2, "", _("At most %(n)d rows per file.") % {"n": MAX_ROWS})
    missing = [col for col in REQUIRED if rows and col not in rows[0]]
    for column in missing:
        c.problem(1, column, _("This column is missing."))
    if missing or report.problems:
        return report, plans
    for n, row in enumerate(rows, start=2):
        _refuse_control_characters(c, n, row)
        ref = row.get("case_ref", "")
        if not ref:
            c.problem(n, "case_ref", _("This field is required."))
            continue
        if ref not in plans:
            plans[ref] = _case_plan(c, n, row)
        if row.get("full_name"):
            plans[ref]["persons"].append(_person_plan(c, n, row))
    report.rows = len(rows)
    report.cases = len(plans)
    report.persons = sum(len(p["persons"]) for p in plans.values())
    return report, plans


def _write_case(actor, plan: dict) -> None:
    fields = {k: plan[k] for k in ("title", "offence_articles", "exploitation_forms", "route")}
    case = actions.do_create_case(actor, opened_on=plan["opened_on"], **fields)
    for stage in IMPORT_STAGES[1 : IMPORT_STAGES.index(plan["stage"]) + 1]:
        actions.do_change_stage(actor, case, stage, plan["opened_on"])
    for p in plan["persons"]:
        person = actions.do_create_person(
            actor,
            full_name=p["full_name"],
            sex=p["sex"],
            birth=p["birth"],
            citizenships=p["citizenships"],
        )
        actions.do_add_person_to_case(actor, case, person, p["role"], p["chain_role"])
        region = p["citizenships"][0] if p["citizenships"] else ""
        for kind in ("phone", "passport"):
            if p[kind]:
                actions.do_add_identifier(actor, person, kind, p[kind], region)


def import_file(actor, filename: str, data: bytes, dry_run: bool = True) -> Report:
    """Check the file and, unless `dry_run` or a problem was found, write it in one transaction."""
    report, plans = check_file(filename, data)
    if dry_run or not report.is_valid:
        return report
    try:
        with transaction.atomic():
            for plan in plans.values():
                _write_case(actor, plan)
    except ValidationError as exc:
        report.problems.append((0, "", " ".join(exc.messages)))
        return report
    report.written = True
    return report
