"""The whole chain in one picture: the persons every party shared, by role in the chain.

Built from the workspace's live person items (withdrawn ones are gone), each marked with the node
that owns it. `svg(columns)` draws it server-side; the page shows a table beside it as the text
alternative.
"""

import json
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from tipnet.cases.enums import ChainRole, IdentifierKind
from tipnet.directory.countries import country_name
from tipnet.exchange.registry import RegistryError, current

from .access import live_items
from .enums import ItemKind

# The order of a trafficking chain, from home to abroad; other roles come after it.
ORDER = ["recruiter", "transporter", "harbourer", "exploiter"]
OTHERS = [r for r in ChainRole.values if r not in ORDER]


@dataclass
class Link:
    item_id: int
    name: str
    latin_name: str
    role: str
    node: str
    case_reference: str
    interpol: list[str] = field(default_factory=list)
    is_mine: bool = False
    # the sharing party as people name it: its country, and its agency in the table
    country: str = ""
    shared_by: str = ""


@dataclass
class Column:
    role: str
    label: str
    links: list[Link]


@dataclass(frozen=True)
class Party:
    """A party as the reader names it: its country and its agency, in the reader's language."""

    country: str
    agency: str

    @property
    def label(self) -> str:
        return f"{self.country} — {self.agency}" if self.agency else self.country


def parties(agreement) -> dict[str, Party]:
    """Each party's node, named in the reader's language.

    The agreement's text names an agency as its proposer typed it, often a code ("UZ-GPO"); this
    node's own agency of that code, or the network directory's entry for the party's node, gives
    its name in the reader's language instead, and the network's registry its English name.
    """
    from tipnet.accounts.models import Agency as LocalAgency
    from tipnet.directory.models import Agency

    nodes = [party["node"] for party in agreement.parties]
    codes = [party.get("agency", "") for party in agreement.parties]
    by_node = {a.node_id: a.name for a in Agency.objects.filter(node_id__in=nodes)}
    local = LocalAgency.objects.filter(code__in=codes).select_related("directory_agency")
    by_code = {a.code: a.local_name for a in local}
    labels = {}
    for party in agreement.parties:
        country = country_name(party.get("country", ""))
        code = party.get("agency", "")
        agency = (
            by_code.get(code) or by_node.get(party["node"]) or _registered(party["node"]) or code
        )
        labels[party["node"]] = Party(country, agency)
    return labels


def _registered(node: str) -> str:
    """The agency the network's registry names for `node` (in English), if it knows the node."""
    try:
        found = current().node(node)
    except RegistryError:
        return ""
    return found.agency if found else ""


def party_of(named: dict[str, Party], node: str) -> Party:
    """The party of `node`, or the node's id where the agreement does not name it."""
    return named.get(node) or Party(node, "")


def columns(agreement, my_node: str) -> list[Column]:
    """The chain's columns in order; the four main roles always, others only when shared."""
    kinds = dict(IdentifierKind.choices)
    named = parties(agreement)
    found: dict[str, list[Link]] = {}
    for item in live_items(agreement).filter(kind=ItemKind.PERSON):
        body = json.loads(item.body)
        role = body.get("chain_role") or "other"
        refs = [f"{kinds.get(r['kind'], r['kind'])} {r['value']}" for r in body.get("interpol", [])]
        found.setdefault(role, []).append(
            Link(
                item.pk,
                body["name"],
                body.get("latin_name", ""),
                role,
                item.owner_node,
                body.get("case_reference", ""),
                refs,
                item.owner_node == my_node,
                party_of(named, item.owner_node).country,
                party_of(named, item.owner_node).label,
            )
        )
    labels = dict(ChainRole.choices)
    roles = ORDER + [r for r in OTHERS if r in found]
    return [Column(r, str(labels[r]), found.get(r, [])) for r in roles]


WIDTH, BOX_H, GAP = 210, 54, 14


def svg(cols: list[Column]) -> str:
    """An accessible SVG of the chain: a column per role, an arrow between columns."""
    rows = max([len(c.links) for c in cols] + [1])
    height = 50 + rows * (BOX_H + GAP)
    width = len(cols) * (WIDTH + 30)
    title = escape(_("The chain across the countries"))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="chain-title" data-testid="chain-svg">'
        f'<title id="chain-title">{title}</title>'
    ]
    for index, column in enumerate(cols):
        x = index * (WIDTH + 30)
        parts.append(
            f'<text x="{x + 4}" y="20" font-weight="bold" font-size="14">'
            f"{escape(column.label)}</text>"
        )
        if index:
            parts.append(
                f'<path d="M{x - 26} 32 L{x - 6} 32 M{x - 12} 27 L{x - 6} 32 L{x - 12} 37" '
                'stroke="#555" fill="none" stroke-width="2"/>'
            )
        for row, link in enumerate(column.links):
            y = 40 + row * (BOX_H + GAP)
            fill = "#e8f0fe" if link.is_mine else "#fdf3e1"
            name = escape(link.latin_name or link.name)
            parts.append(
                f'<g data-testid="chain-box"><rect x="{x}" y="{y}" width="{WIDTH}" '
                f'height="{BOX_H}" rx="6" fill="{fill}" stroke="#666"/>'
                f'<text x="{x + 8}" y="{y + 20}" font-size="13">{name}</text>'
                f'<text x="{x + 8}" y="{y + 40}" font-size="12" fill="#333">'
                f"{escape(link.country or link.node)}"
                f"{' · ' + escape(link.interpol[0]) if link.interpol else ''}"
                "</text></g>"
            )
    parts.append("</svg>")
    return "".join(parts)
