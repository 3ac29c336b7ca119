"""Exports of the controlled tables (CSV, XLSX, the dataUNODC long CSV), HTCDS 2.0 de-identified
victim records, and the periodic national report (PDF with WeasyPrint, DOCX with python-docx).

Everything here reads `build.Report`, whose cells are already controlled: a hidden cell is written
as "<5" (the threshold), never as its value.
"""

import base64
import csv
import io
import random
from collections import Counter

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from . import charts
from .build import Report, glotip_rows
from .control import Controlled

ORDER = [
    "cases_by_stage",
    "cases_by_month",
    "persons_by_sex",
    "persons_by_age",
    "persons_by_citizenship",
    "victims_by_sex",
    "victims_by_age",
    "victims_by_form",
    "victims_by_citizenship",
    "victims_by_country_of_exploitation",
    "returns",
    "services",
    "eurostat_crim_thb",
    "sdg_16_2_2",
    "mla_by_country",
    "mla_by_basis",
    "mla_refusals",
    "hotline_by_channel",
    "hotline_by_urgency",
]


def ordered(report: Report) -> list[Controlled]:
    return [report.tables[k] for k in ORDER if k in report.tables]


def _grid(t: Controlled) -> list[list[str]]:
    head = [t.row_title or ""] + [label for _c, label in t.cols]
    body = [
        [label] + [c.text for c in row] for (_code, label), row in zip(t.rows, t.cells, strict=True)
    ]
    return [head, *body]


def table_csv(tables: list[Controlled]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for t in tables:
        writer.writerow([t.title])
        writer.writerows(_grid(t))
        writer.writerow([])
    return out.getvalue().encode("utf-8-sig")


def glotip_csv(report: Report) -> bytes:
    import pycountry

    country = getattr(settings, "TIPNET_NODE_COUNTRY", "UZ")
    found = pycountry.countries.get(alpha_2=country)
    rows = glotip_rows(
        report, found.alpha_3 if found else country, found.name if found else country
    )
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else ["Indicator"])
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def table_xlsx(report: Report, tables: list[Controlled]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    book.remove(book.active)
    grey = PatternFill("solid", fgColor="DDDDDD")
    about = book.create_sheet(_("About")[:31])
    about.append([_("Period"), report.period.spec])
    about.append([_("Suppression"), suppression_note(report)])
    about.append([_("Produced"), timezone.now().strftime("%Y-%m-%d %H:%M UTC")])
    for t in tables:
        sheet = book.create_sheet(t.key[:31])
        sheet.append([t.title])
        sheet["A1"].font = Font(bold=True)
        for i, line in enumerate(_grid(t)):
            sheet.append(line)
            if i == 0:
                continue
            row_cells = t.cells[i - 1]
            for j, cell in enumerate(row_cells):
                target = sheet.cell(row=sheet.max_row, column=j + 2)
                if cell.suppressed:
                    target.fill = grey
                    target.value = cell.text
                elif cell.value is not None:
                    target.value = cell.value
        if t.note:
            sheet.append([])
            sheet.append([t.note])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def suppression_note(report: Report) -> str:
    note = _(
        'Cells from 1 to %(low)s are shown as "<%(t)s". Further cells are hidden where a hidden '
        "cell could otherwise be worked out from totals or from another table of the same "
        "population; zeros may be hidden for the same reason."
    ) % {"low": report.threshold - 1, "t": report.threshold}
    if report.round_to > 1:
        note += " " + _("Shown figures are rounded to the nearest %(b)s.") % {"b": report.round_to}
    return note


# ---------------------------------------------------------------- HTCDS


HTCDS_STATUS = {
    "presumed": "PossibleVictimOfTrafficking",
    "identified": "ActualVictimOfTrafficking",
}
HTCDS_GENDER = {"female": "Feminine", "male": "Masculine"}


def htcds_csv(report: Report, threshold: int) -> bytes:
    """Victim records under HTCDS 2.0 field names, de-identified: no name, code, date or free
    text; age as child/adult; a combination of gender, citizenship, age and country of
    exploitation shared by fewer than `threshold` records has those fields set to "Suppressed"."""
    from tipnet.cases.enums import EXPLOITATION_MAPPING

    from .indicators import CODE_OF_RANK, detected_victim_records

    rows = detected_victim_records(report.period)
    random.SystemRandom().shuffle(rows)  # no order that follows registration
    keys = Counter((r[1], r[2], r[3], r[4]) for r in rows)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "RecordNumber",
            "vic_TraffickingStatus",
            "prs_Gender",
            "vic_AgeBand",
            "prs_Citizenship",
            "vic_LocationOfExploitation",
            "vic_TypeOfExploitation",
        ]
    )
    for n, (best, sex, age, cit, where, forms) in enumerate(rows, start=1):
        common = keys[(sex, age, cit, where)] >= threshold
        types = sorted({EXPLOITATION_MAPPING.get(f, ("", "Other"))[1] for f in forms or []})
        writer.writerow(
            [
                n,
                HTCDS_STATUS[CODE_OF_RANK[best]],
                HTCDS_GENDER.get(sex, "NonSpecifiedUnknown") if common else "Suppressed",
                ("Child" if age == "child" else "Adult" if age == "adult" else "Unknown")
                if common
                else "Suppressed",
                (cit or "") if common else "Suppressed",
                (where or "") if common else "Suppressed",
                ";".join(types),
            ]
        )
    return out.getvalue().encode("utf-8")


# ---------------------------------------------------------------- the report


CHARTED = ("cases_by_stage", "cases_by_month", "victims_by_citizenship", "mla_by_country")


def chart_set(report: Report, fmt: str = "svg") -> dict:
    """The report's charts, drawn once for the same controlled cells in the same language and
    kept in the cache: the dashboard and the PDF of a period share them."""
    import hashlib
    import json

    from django.core.cache import cache
    from django.utils import translation

    cells = [report.tables[k].as_dict() for k in CHARTED if k in report.tables]
    digest = hashlib.sha256(json.dumps(cells, sort_keys=True, default=str).encode()).hexdigest()
    key = f"stats:charts:{fmt}:{translation.get_language()}:{digest[:32]}"
    found = cache.get(key)
    if found is None:
        found = _draw(report, fmt)
        cache.set(key, found, 3600)
    return found


def _draw(report: Report, fmt: str) -> dict:
    t = report.tables
    return {
        "cases_by_stage": charts.funnel(
            t["cases_by_stage"], _("The justice chain: cases"), fmt=fmt
        ),
        "cases_by_month": charts.trend(t["cases_by_month"], _("Cases detected per month"), fmt=fmt),
        "victims_by_citizenship": charts.bars(
            t["victims_by_citizenship"], _("Victims detected by citizenship"), fmt=fmt
        ),
        "mla_by_country": charts.bars(
            t["mla_by_country"], _("MLA requests sent, by country"), column="outgoing", fmt=fmt
        ),
    }


def _definitions() -> list[str]:
    return [
        _(
            "Persons, not records: one person named in several cases counts once; records that "
            "share a passport or national ID count as one person."
        ),
        _(
            "A victim counts once per period, at the highest identification status reached by its "
            "end. Detected victims are presumed and identified victims."
        ),
        _(
            "A case counts at each stage it reached in the period, by the date it moved there; a "
            "case that skipped a stage counts at that stage too."
        ),
        _("Children are victims under 18 in the year of registration."),
        _("Persons are counted as children when under 18 in the year they were first recorded."),
    ]


def chart_uris(report: Report) -> dict[str, str]:
    """The charts as data: URIs, so a page shows them under its Content-Security-Policy."""
    return {
        k: "data:image/svg+xml;base64," + base64.b64encode(v.encode()).decode()
        for k, v in chart_set(report).items()
    }


def report_context(report: Report) -> dict:
    images = chart_uris(report)
    return {
        "report": report,
        "tables": [(t, images.get(t.key)) for t in ordered(report)],
        "suppression": suppression_note(report),
        "definitions": _definitions(),
        "node_id": settings.TIPNET_NODE_ID,
        "produced": timezone.now(),
        "timeliness": report.mla_timeliness["rows"],
    }


def report_pdf(report: Report) -> bytes:
    from weasyprint import HTML

    html = render_to_string("stats/report.html", report_context(report))
    return HTML(string=html).write_pdf()


def report_docx(report: Report) -> bytes:
    from docx import Document
    from docx.shared import Inches, Pt

    context = report_context(report)
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "DejaVu Sans"
    style.font.size = Pt(10)
    doc.add_heading(_("Trafficking in persons: national figures"), 0)
    doc.add_paragraph(
        _("Period: %(p)s. Node: %(n)s.") % {"p": report.period.spec, "n": context["node_id"]}
    )
    doc.add_heading(_("Definitions"), 1)
    for line in context["definitions"]:
        doc.add_paragraph(line, style="List Bullet")
    doc.add_heading(_("Disclosure control"), 1)
    doc.add_paragraph(context["suppression"])
    pngs = chart_set(report, fmt="png")
    for t, _image in context["tables"]:
        doc.add_heading(t.title, 1)
        if t.key in pngs:
            doc.add_picture(io.BytesIO(pngs[t.key]), width=Inches(6))
        grid = _grid(t)
        table = doc.add_table(rows=len(grid), cols=len(grid[0]))
        table.style = "Table Grid"
        for i, line in enumerate(grid):
            for j, text in enumerate(line):
                table.cell(i, j).text = str(text)
        if t.note:
            doc.add_paragraph(t.note)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
