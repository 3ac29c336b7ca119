"""Import cases and persons from CSV or XLSX, as agencies keep them in spreadsheets today.

One row per person in a case; rows with the same `case_ref` (the agency's own number) form one
case, whose fields come from its first row. Every row is checked first and every problem is
reported as (row, column, problem) in words a user understands: what is wrong and how to fix
it, never a parser's own error text. Nothing is written unless the whole file is valid, and a
real run is one transaction.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

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
COLUMNS = REQUIRED + OPTIONAL
MAX_ROWS = 5000
# A spreadsheet runs a cell that starts with one of these as a formula when the file is opened
# again (CSV injection); no column of the import holds one, so such a cell is refused.
FORMULA_START = ("=", "@", "+", "-", "\t", "\r")
# A phone in international form or a negative number starts with "+" or "-" too.
_NUMBER_LIKE = re.compile(r"[+-][\d\s().-]*")
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


def _cell(value, formula_type: type) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):  # spreadsheet dates come back as datetimes
        return value.strftime("%Y-%m-%d")
    if isinstance(value, formula_type):  # keep it a formula, so that it is refused
        return str(getattr(value, "text", "") or "=")
    return str(value).strip()


class Unreadable(Exception):
    """The file cannot be read; its argument is the message for the user."""


def _read_xlsx(data: bytes) -> list[list[str]]:
    # Imported here: openpyxl takes most of a second to import, which every `tipnet` command
    # would otherwise pay at start-up.
    from openpyxl import load_workbook
    from openpyxl.worksheet.formula import ArrayFormula

    # Formulas are read as written (not their cached result) so that one is seen and refused.
    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=False).active
        return [[_cell(v, ArrayFormula) for v in row] for row in sheet.iter_rows(values_only=True)]
    # A damaged workbook can fail deep inside openpyxl or zipfile with almost any error; the
    # user gets the same clear answer for all of them.
    except Exception:
        raise Unreadable(
            _(
                "The file cannot be opened as an Excel workbook (.xlsx). Open it in your "
                "spreadsheet program and save it again as .xlsx, or download the template."
            )
        ) from None


def _read_csv(data: bytes) -> list[list[str]]:
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Unreadable(
            _(
                "The file is not in UTF-8 encoding. In your spreadsheet program choose "
                "“Save as” and the type “CSV UTF-8”, or save it as .xlsx."
            )
        ) from None
    try:
        dialect = csv.Sniffer().sniff(content[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel  # one column, or no separator in the sample: read it as commas
    try:
        return [[v.strip() for v in row] for row in csv.reader(io.StringIO(content), dialect)]
    except csv.Error:
        raise Unreadable(
            _(
                "The file cannot be read as CSV: a quotation mark is not closed or a line is "
                "broken. Save it again from your spreadsheet program, or use .xlsx."
            )
        ) from None


def _read(filename: str, data: bytes) -> list[dict[str, str]]:
    name = filename.lower()
    # A file without an extension (an API client's upload, say) is read as CSV.
    if "." in name and not name.endswith((".csv", ".txt", ".xlsx")):
        raise Unreadable(
            _("Only CSV (.csv) and Excel (.xlsx) files can be imported; this one is %(type)s.")
            % {"type": text.visible("." + name.rpartition(".")[2][:10])}
        )
    values = _read_xlsx(data) if name.endswith(".xlsx") else _read_csv(data)
    values = [row for row in values if any(row)]  # blank lines between blocks are harmless
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

    def check(self, row: int, column: str, func, value, fix: str = ""):
        """Run `func(value)`; on failure report our own message, with `fix` when given."""
        try:
            return func(value)
        except ValidationError as exc:
            message = " ".join(exc.messages)
        except ValueError:  # raised by libraries in their own words: say it in ours
            message = _("“%(value)s” cannot be read.") % {"value": _short(value)}
        self.problem(row, column, f"{message} {fix}".strip())
        return None

    def choice(self, row: int, column: str, value: str, allowed) -> str:
        if value and value not in allowed:
            message = _("Unknown code “%(value)s”. Use one of: %(codes)s.")
            self.problem(
                row, column, message % {"value": _short(value), "codes": ", ".join(allowed)}
            )
        return value


def _short(value: str) -> str:
    return text.visible(str(value))[:40]


def _date(value: str):
    if not value:
        raise ValidationError(_("The date is missing. Write it as YYYY-MM-DD, e.g. 2025-03-01."))
    try:
        found = parse_date(value)
    except ValueError:  # well formed but not in the calendar, such as 2025-02-30
        found = None
        message = _("“%(value)s” is not a day of the calendar.")
    else:
        message = _("“%(value)s” is not a date.")
    if found is None:
        fix = _("Write the date as YYYY-MM-DD, e.g. 2025-03-01.")
        raise ValidationError(f"{message % {'value': _short(value)}} {fix}")
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
                n,
                column,
                lambda v, k=column: normalise_identifier(k, v, region or ""),
                row[column],
                IDENTIFIER_FIX[column](),
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


IDENTIFIER_FIX = {
    "phone": lambda: _(
        "Write the phone with its country code, e.g. +998 90 123 45 67, or give the "
        "person's citizenship so that a national number can be read."
    ),
    "passport": lambda: _("A document number has only letters and digits, e.g. AA1234567."),
}


def _refuse_bad_cells(c: _Checker, n: int, row: dict) -> None:
    # Every column of the file is a one-line value: titles, names, codes, numbers.
    for column, value in row.items():
        value = value or ""
        found = text.control_characters(value)
        if found:
            c.problem(n, _short(column), text.message(found))
        elif (
            value.startswith(FORMULA_START)
            and not _NUMBER_LIKE.fullmatch(value)
            # a route written with arrows ("-> KZ") starts with one: the route check names it
            and not value.startswith("->")
        ):
            c.problem(
                n,
                _short(column),
                _(
                    "The cell holds a formula (it starts with %(char)s). Type the value "
                    "itself, or put an apostrophe before it if it is meant as text."
                )
                % {"char": value[0]},
            )


def _check_header(c: _Checker, header: list[str]) -> None:
    for column in REQUIRED:
        if column not in header:
            c.problem(
                1,
                column,
                _("This column is missing. The first row must name the columns: %(columns)s.")
                % {"columns": ", ".join(REQUIRED)},
            )
    for column in header:
        if column and column not in COLUMNS:
            c.problem(
                1,
                _short(column),
                _("Unknown column. Check its spelling; the columns are: %(columns)s.")
                % {"columns": ", ".join(COLUMNS)},
            )


def check_file(filename: str, data: bytes, max_bytes: int = 0) -> tuple[Report, dict[str, dict]]:
    """Read and check the file; return the report and the cases it would create."""
    report, plans = Report(), dict[str, dict]()
    c = _Checker(report)
    if max_bytes and len(data) > max_bytes:
        c.problem(0, "", too_large_message(max_bytes))
        return report, plans
    if not data.strip():
        c.problem(0, "", _("The file is empty. Download the template and fill it in."))
        return report, plans
    try:
        rows = _read(filename, data)
    except Unreadable as exc:
        c.problem(0, "", str(exc.args[0]))
        return report, plans
    if not rows:
        c.problem(2, "", _("The file has a header row but no data rows. Add one row per person."))
        return report, plans
    if len(rows) > MAX_ROWS:
        c.problem(
            MAX_ROWS + 2,
            "",
            _("At most %(n)d rows per file. Split the file into smaller ones.") % {"n": MAX_ROWS},
        )
        return report, plans
    _check_header(c, list(rows[0]))
    if report.problems:
        return report, plans
    for n, row in enumerate(rows, start=2):
        _refuse_bad_cells(c, n, row)
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


def too_large_message(max_bytes: int) -> str:
    return _(
        "The file is larger than %(mb)d MB. Split it into smaller files, or remove empty "
        "rows and columns."
    ) % {"mb": max_bytes // (1024 * 1024)}


def import_file(
    actor, filename: str, data: bytes, dry_run: bool = True, max_bytes: int = 0
) -> Report:
    """Check the file and, unless `dry_run` or a problem was found, write it in one transaction."""
    report, plans = check_file(filename, data, max_bytes)
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


# The template's one row: a synthetic case, every column filled, so that a user sees each format.
EXAMPLE = {
    "case_ref": "UZ-2026/017",
    "title": "Recruitment for construction work in Moscow",
    "opened_on": "2026-03-02",
    "exploitation_forms": "labour",
    "route": "UZ KZ RU",
    "stage": "investigation",
    "offence_articles": "135",
    "full_name": "Rustam Nazarov",
    "role": "suspect",
    "chain_role": "recruiter",
    "sex": "male",
    "birth": "1984-07",
    "citizenships": "UZ",
    "phone": "+998 90 123 45 67",
    "passport": "FA1234567",
}


def template_file(kind: str) -> tuple[bytes, str]:
    """The import template, `csv` or `xlsx`: the header row and one example row, with its type."""
    values = [EXAMPLE[column] for column in COLUMNS]
    if kind == "csv":
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerows([COLUMNS, values])
        # With a byte-order mark, Excel opens the file as UTF-8.
        return buffer.getvalue().encode("utf-8-sig"), "text/csv; charset=utf-8"
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "cases"
    sheet.append(list(COLUMNS))
    # Stored as text, so a spreadsheet keeps "+998 ..." and "2026-03-02" as written.
    sheet.append(values)
    for cell in sheet[2]:
        cell.data_type = "s"
        cell.number_format = "@"
    output = io.BytesIO()
    book.save(output)
    kind_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return output.getvalue(), kind_type
