"""Statistics over the API: the controlled tables of a period (never an identity or a raw cell)."""

from ninja import Router, Schema
from ninja.errors import HttpError

from . import build
from .access import access_stats
from .periods import PeriodError, parse

router = Router()


class TableOut(Schema):
    key: str
    title: str
    row_title: str
    rows: list[list[str]]
    cols: list[list[str]]
    cells: list[list[int | float | None]]
    note: str


class TablesOut(Schema):
    period: str
    threshold: int
    suppressed_as: str
    tables: list[TableOut]


@router.get("/tables", response=TablesOut, summary="Controlled tables of a period")
def tables(request, period: str = "2025"):
    access_stats(request.auth)
    try:
        parsed = parse(period)
    except PeriodError as exc:
        raise HttpError(422, str(exc)) from exc
    from . import exports  # charts and their libraries load only when asked for

    report = build.all_tables(parsed)
    return {
        "period": parsed.spec,
        "threshold": report.threshold,
        "suppressed_as": f"null (shown as <{report.threshold})",
        "tables": [t.as_dict() for t in exports.ordered(report)],
    }
