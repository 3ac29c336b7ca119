"""Indicators of the cross-border work: hit/no-hit checks and police-to-police messages, by the
partner's country. Both count records grouped in SQL by the partner node; only the few groups
are mapped to countries here.
"""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from tipnet.checks.models import IncomingCheck, OutgoingCheck, Result
from tipnet.cooperation.models import Direction, Kind, Thread
from tipnet.exchange.registry import RegistryError, current, in_network

from .control import Table
from .labels import country_label
from .periods import Period

UNKNOWN = "unknown"
CHECK_COLS = [
    ("sent", _("Checks sent")),
    ("sent_hit", _("Hits on checks sent")),
    ("received", _("Checks received")),
    ("received_hit", _("Hits answered")),
]
POLICE_COLS = [
    ("request_outgoing", _("Requests sent")),
    ("request_incoming", _("Requests received")),
    ("spontaneous_outgoing", _("Spontaneous information sent")),
    ("spontaneous_incoming", _("Spontaneous information received")),
]


def node_country(node_id: str) -> str:
    """The country of a partner node: from the network registry when this node is in one, else
    from the id's country prefix (ids are written `UZ-GPO`)."""
    try:
        node = current().node(node_id) if in_network() else None
    except RegistryError:
        node = None
    if node is not None:
        return node.country
    prefix = node_id.split("-", 1)[0].upper()
    return prefix if len(prefix) == 2 and prefix.isalpha() else UNKNOWN


def _by_country(grouped, node_field: str, col_of) -> dict[tuple[str, str], int]:
    values: dict[tuple[str, str], int] = {}
    for row in grouped:
        key = (node_country(row[node_field]), col_of(row))
        values[key] = values.get(key, 0) + row["n"]
    return values


def _table(key, family, title, values, cols, note) -> Table:
    countries = sorted({c for c, _col in values}, key=lambda c: (c == UNKNOWN, c))
    return Table(
        key=key,
        family=family,
        title=title,
        row_dim="country",
        col_dim="measure",
        rows=[(c, country_label(c)) for c in countries],
        cols=cols,
        values=values,
        additive_cols=False,
        row_total=False,
        row_title=_("Partner country"),
        note=note,
    )


def checks_family(period: Period) -> list[Table]:
    sent = (
        OutgoingCheck.objects.filter(period.q("created_at__date"))
        .values("node", "result")
        .annotate(n=Count("pk"))
        .order_by()
    )
    received = (
        IncomingCheck.objects.filter(period.q("received_at__date"))
        .values("sender", "result")
        .annotate(n=Count("pk"))
        .order_by()
    )
    values = _by_country(sent, "node", lambda r: "sent")
    hits = _by_country([r for r in sent if r["result"] == Result.HIT], "node", lambda r: "sent_hit")
    values |= hits
    values |= _by_country(received, "sender", lambda r: "received")
    answered = [r for r in received if r["result"] == Result.HIT]
    values |= _by_country(answered, "sender", lambda r: "received_hit")
    note = _(
        "A check asks whether a partner node knows a person, from encodings only; a hit is "
        "answered with a reference, never personal data."
    )
    title = _("Cross-border checks sent and received, and their hits, by partner country")
    return [_table("checks_by_country", "checks", title, values, CHECK_COLS, note)]


def police_family(period: Period) -> list[Table]:
    grouped = (
        Thread.objects.filter(period.q("created_at__date"))
        .values("counterpart_node", "kind", "direction")
        .annotate(n=Count("pk"))
        .order_by()
    )
    known = {(k, d) for k in Kind.values for d in Direction.values}
    rows = [r for r in grouped if (r["kind"], r["direction"]) in known]
    values = _by_country(rows, "counterpart_node", lambda r: f"{r['kind']}_{r['direction']}")
    note = _("Each exchange counts once, however many messages it holds.")
    title = _("Police information requests and spontaneous information, by partner country")
    return [_table("police_by_country", "police", title, values, POLICE_COLS, note)]
