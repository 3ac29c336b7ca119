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


@dataclass
class Column:
    role: str
    label: str
    links: list[Link]


def columns(agreement, my_node: str) -> list[Column]:
    """The chain's columns in order; the four main roles always, others only when shared."""
    kinds = dict(IdentifierKind.choices)
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
                f"{escape(link.node)}{' · ' + escape(link.interpol[0]) if link.interpol else ''}"
                "</text></g>"
            )
    parts.append("</svg>")
    return "".join(parts)
