"""The region's figures: a node sends its controlled tables for a period to the secretariat node as
a signed `stats.report` message; the secretariat combines the countries under the same
definitions and re-applies disclosure control to the combined tables.

What travels is `Controlled.as_dict` of the count tables only: labels, shown counts, hidden
cells as null. The receiving handler refuses a report carrying any cell from 1 to threshold - 1
(an uncontrolled cell) or anything that is not a table of counts, so an identity cannot ride
along. Registered from `StatsConfig.ready()`.
"""

import uuid
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tipnet.audit.actions import record
from tipnet.exchange import handlers
from tipnet.exchange.actions import ExchangeError, queue
from tipnet.exchange.envelope import Message

from . import build, indicators
from .control import TOTAL, Controlled, Table, control, coord
from .models import RegionalReport, SentReport
from .periods import Period, PeriodError, parse
from .settings import secretariat, threshold

REPORT = "stats.report"
MAX_TABLES = 40
MAX_CELLS = 5000


def report_body(period: Period) -> dict:
    tables = []
    for family in indicators.FAMILIES:
        tables += [t.as_dict() for t in build.family_tables(period, family)]
    return {
        "period": period.spec,
        "period_key": period.key,
        "country": getattr(settings, "TIPNET_NODE_COUNTRY", "UZ"),
        "threshold": threshold(),
        "tables": tables,
    }


def do_send_report(actor, period: Period) -> SentReport:
    """Queue this node's controlled tables for `period` to the secretariat node."""
    target = secretariat()
    if target == settings.TIPNET_NODE_ID:
        raise ValidationError(_("This node is the secretariat: its own tables are already here."))
    body = report_body(period)
    with transaction.atomic():
        try:
            outbox = queue(actor, REPORT, target, body)
        except ExchangeError as exc:
            raise ValidationError(_("The tables cannot be sent: %s.") % exc) from exc
        sent = SentReport.objects.create(
            message_id=outbox.message_id,
            recipient_node=target,
            period_spec=period.spec,
            period_key=period.key,
            threshold=body["threshold"],
            sent_by=actor,
        )
        record("stats:report:send", actor=actor, obj=sent, to=target, period=period.spec)
    return sent


# ---------------------------------------------------------------- receiving


class ReportRefused(Exception):
    pass


def _check_table(data: dict, limit: int) -> dict:
    try:
        cells = data["cells"]
        rows, cols = data["rows"], data["cols"]
        if not isinstance(cells, list) or len(cells) != len(rows):
            raise ReportRefused("cells and rows differ")
        if sum(len(r) for r in cells) > MAX_CELLS:
            raise ReportRefused("table too large")
        for line in cells:
            if len(line) != len(cols):
                raise ReportRefused("cells and columns differ")
            for v in line:
                if v is None:
                    continue
                if not isinstance(v, int) or isinstance(v, bool) or v < 0:
                    raise ReportRefused("a cell is not a count")
                if 0 < v < limit:
                    raise ReportRefused("a cell below the threshold: the table is not controlled")
        for pair in [*rows, *cols]:
            if not (
                isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) for x in pair)
            ):
                raise ReportRefused("bad labels")
            if len(pair[0]) > 80 or len(pair[1]) > 300:
                raise ReportRefused("label too long")
        for name in ("key", "family", "title", "row_dim", "col_dim"):
            if not isinstance(data[name], str) or len(data[name]) > 300:
                raise ReportRefused(f"bad {name}")
        if data["family"] not in indicators.FAMILIES:
            raise ReportRefused("unknown family")
    except (KeyError, TypeError) as exc:
        raise ReportRefused(f"malformed table: {exc}") from exc
    return Controlled.from_dict(data).as_dict()


def do_receive_report(message: Message) -> RegionalReport:
    """Store a node's controlled tables for a period (the secretariat's side of "stats.report").

    Refuses (ReportRefused) a payload that is not a report, a threshold out of range, an unknown
    period or a table with an uncontrolled cell; a second report of the same node and period
    replaces the first. Audited as stats:report:receive.
    """
    payload = message.payload
    if not isinstance(payload, dict):
        raise ReportRefused("not an object")
    limit = payload.get("threshold")
    if not isinstance(limit, int) or limit < 2 or limit > 100:
        raise ReportRefused("bad threshold")
    try:
        period = parse(str(payload.get("period", "")))
    except PeriodError as exc:
        raise ReportRefused(f"bad period: {exc}") from exc
    country = payload.get("country")
    if not isinstance(country, str) or len(country) != 2:
        raise ReportRefused("bad country")
    tables = payload.get("tables")
    if not isinstance(tables, list) or not tables or len(tables) > MAX_TABLES:
        raise ReportRefused("bad tables")
    clean = [_check_table(t, limit) for t in tables]
    with transaction.atomic():
        RegionalReport.objects.filter(from_node=message.sender, period_key=period.key).delete()
        report = RegionalReport.objects.create(
            message_id=message.message_id,
            from_node=message.sender,
            country=country.upper(),
            period_spec=period.spec,
            period_key=period.key,
            threshold=limit,
            tables=clean,
            sent_at=_created(message),
        )
        record("stats:report:receive", obj=report, sender=message.sender, period=period.spec)
    return report


def _created(message: Message) -> datetime:
    from django.utils import timezone

    value = getattr(message, "created_at", None)
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            pass
    return timezone.now()


def receive_report(message: Message) -> None:
    """The handler of "stats.report"."""
    try:
        do_receive_report(message)
    except ReportRefused as exc:
        raise handlers.HandlerError(f"statistics report refused: {exc}") from exc


def register() -> None:
    handlers.register(REPORT, receive_report)


# ---------------------------------------------------------------- combining


def combined(spec: str) -> list[Controlled]:
    """The reporting nodes' tables for the period `spec`, added up cell by cell (a cell hidden
    in any node's table stays hidden), then controlled again as one family per family."""
    try:
        period = parse(spec)
    except PeriodError:
        return []
    reports = list(RegionalReport.objects.filter(period_key=period.key))
    if not reports:
        return []
    by_key: dict[str, list[Controlled]] = {}
    for received in reports:
        for data in received.tables:
            t = Controlled.from_dict(data)
            by_key.setdefault(t.key, []).append(t)
    families: dict[str, list[Table]] = {}
    for key, parts in by_key.items():
        first = parts[0]
        rows = _union([p.rows for p in parts])
        cols = _union([p.cols for p in parts])
        sums: dict[tuple[str, str], int | None] = {}
        for p in parts:
            for i, (rc, _rl) in enumerate(p.rows):
                for j, (cc, _cl) in enumerate(p.cols):
                    v = p.cells[i][j].value
                    old = sums.get((rc, cc), 0)
                    sums[(rc, cc)] = None if v is None or old is None else old + v
        row_total = any(c == TOTAL for c, _l in cols)
        col_total = any(r == TOTAL for r, _l in rows)
        inner_rows = [(c, lab) for c, lab in rows if c != TOTAL]
        inner_cols = [(c, lab) for c, lab in cols if c != TOTAL]
        base = dict(first.base)
        # A hidden cell enters the control as 1: it stays hidden, and its true value is unknown.
        values: dict[tuple[str, str], int] = {}
        for rc, _rl in inner_rows:
            for cc, _cl in inner_cols:
                found = sums.get((rc, cc), 0)
                values[(rc, cc)] = 1 if found is None else found
        totals = {}
        for r in [*(c for c, _l in inner_rows), None] if col_total else [c for c, _l in inner_rows]:
            for c in (
                [*(c for c, _l in inner_cols), None] if row_total else [c for c, _l in inner_cols]
            ):
                if r is not None and c is not None:
                    continue
                v = sums.get((r or TOTAL, c or TOTAL), 0)
                dims = dict(base)
                if r is not None:
                    dims[first.row_dim] = r
                if c is not None:
                    dims[first.col_dim] = c
                totals[coord(**dims)] = 1 if v is None else v
        families.setdefault(first.family, []).append(
            Table(
                key=key,
                family=first.family,
                title=first.title,
                row_dim=first.row_dim,
                col_dim=first.col_dim,
                rows=inner_rows,
                cols=inner_cols,
                values=values,
                totals=totals,
                additive_rows=first.additive_rows,
                additive_cols=first.additive_cols,
                row_total=row_total,
                col_total=col_total,
                fixed={("base",): first.base} if first.base else {},
                note=first.note,
                row_title=first.row_title,
            )
        )
    out = []
    for tables in families.values():
        out += control(tables, base=0)
    return out


def _union(lists: list[list[tuple[str, str]]]) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    total = None
    for pairs in lists:
        for code, label in pairs:
            if code == TOTAL:
                total = label
            else:
                seen.setdefault(code, label)
    out = sorted(seen.items())
    if total is not None:
        out.append((TOTAL, total))
    return out


def new_id() -> str:
    return str(uuid.uuid4())
