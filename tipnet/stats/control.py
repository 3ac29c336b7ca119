"""Statistical disclosure control of the tables: primary and secondary cell suppression, rounding.

Every table of one *family* counts the same population (victims detected in the period, persons
in the justice chain, ...). A cell is known by its family and its coordinates, `{"sex": "female"}`
or `{}` for the grand total, so a cell that two tables both show (a row total of one, a column
total of the other) is one variable: whatever is hidden in one is hidden in the other.

The method, applied to a family at once:

1. primary suppression: every cell with a value from 1 to threshold - 1 is hidden ("<5");
2. secondary suppression: the additive relations of every table (each row and column sums to
   its total, along dimensions that partition the population) form a linear system. An attacker
   who knows every shown cell, and only that hidden cells are whole numbers >= 0 (not which were
   hidden first, and zeros are hidden like any other cell), can bound each hidden cell by linear
   programming. While some hidden cell has its lower bound equal to its upper bound it is
   recoverable: hide one more cell of a relation that holds it (the smallest non-zero shown one,
   so as little as possible is lost), and check again.
3. optional rounding of the shown cells to a base (`TIPNET_STATS_ROUND_TO`), after suppression.

Hand-written, because the maintained tools for this (sdcTable, tau-Argus) are R and Java programs
with no Python package, and the tables here are small (tens to a few hundred cells per family):
scipy's HiGHS solver (a dependency of the linkage stack) answers each bound in about a millisecond.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

Coord = tuple[tuple[str, str], ...]


def coord(**dims: str) -> Coord:
    return tuple(sorted(dims.items()))


from .settings import round_to, threshold  # noqa: E402


@dataclass
class Table:
    """A two-way table of counts before control.

    `rows` and `cols` are (code, label) pairs of the row and column dimensions; `values` maps
    (row code, col code) to a count; `totals` maps a Coord to a count for the margins that are
    not the sum of their parts (along a dimension whose categories overlap, such as forms of
    exploitation, where one victim may count in several rows). `additive_rows` says whether
    the rows partition the population (then each column's total is the sum of its rows).
    """

    key: str
    family: str
    title: Any
    row_dim: str
    col_dim: str
    rows: list[tuple[str, Any]]
    cols: list[tuple[str, Any]]
    values: dict[tuple[str, str], int]
    totals: dict[Coord, int] = field(default_factory=dict)
    additive_rows: bool = True
    additive_cols: bool = True
    row_total: bool = True
    col_total: bool = True
    fixed: dict[tuple[str, ...], Coord] = field(default_factory=dict)
    note: Any = ""
    row_title: Any = ""

    def cell_coord(self, r: str | None, c: str | None) -> Coord:
        dims = dict(self.base)
        if r is not None:
            dims[self.row_dim] = r
        if c is not None:
            dims[self.col_dim] = c
        return coord(**dims)

    @property
    def base(self) -> Coord:
        return self.fixed.get(("base",), ())

    def value(self, r: str | None, c: str | None) -> int:
        if r is not None and c is not None:
            return self.values.get((r, c), 0)
        key = self.cell_coord(r, c)
        if key in self.totals:
            return self.totals[key]
        if r is None and c is None:
            if self.additive_rows:
                return sum(self.value(rr, None) for rr, _l in self.rows)
            return sum(self.value(None, cc) for cc, _l in self.cols)
        if r is None and c is not None:
            return sum(self.values.get((rr, c), 0) for rr, _l in self.rows)
        assert r is not None
        return sum(self.values.get((r, cc), 0) for cc, _l in self.cols)

    def cells(self) -> Iterable[tuple[Coord, int]]:
        """Every published cell: interior and margins."""
        rows: list[str | None] = [r for r, _l in self.rows]
        cols: list[str | None] = [c for c, _l in self.cols]
        if self.row_total:
            cols.append(None)
        if self.col_total:
            rows.append(None)
        for r in rows:
            for c in cols:
                yield self.cell_coord(r, c), self.value(r, c)

    def relations(self) -> list[tuple[Coord, list[Coord]]]:
        """(total, parts) for each additive line of the table."""
        out = []
        rows = [r for r, _l in self.rows] + ([None] if self.col_total else [])
        cols = [c for c, _l in self.cols] + ([None] if self.row_total else [])
        if self.additive_cols and self.row_total:
            for r in rows:
                parts = [self.cell_coord(r, c) for c, _l in self.cols]
                out.append((self.cell_coord(r, None), parts))
        if self.additive_rows and self.col_total:
            for c in cols:
                parts = [self.cell_coord(r, c) for r, _l in self.rows]
                out.append((self.cell_coord(None, c), parts))
        return out


@dataclass
class Cell:
    value: int | None  # None when suppressed
    suppressed: bool = False
    is_total: bool = False

    @property
    def text(self) -> str:
        if self.suppressed:
            return f"<{threshold()}"
        return str(self.value)


@dataclass
class Controlled:
    """A table as published: labels and cells, each shown or suppressed.

    No identity, no raw cell."""

    key: str
    family: str
    title: str
    row_title: str
    row_dim: str
    col_dim: str
    rows: list[tuple[str, str]]  # (code, label), the last one the total row when present
    cols: list[tuple[str, str]]
    cells: list[list[Cell]]
    note: str = ""
    additive_rows: bool = True
    additive_cols: bool = True
    base: Coord = ()

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "family": self.family,
            "title": self.title,
            "row_title": self.row_title,
            "row_dim": self.row_dim,
            "col_dim": self.col_dim,
            "rows": [list(r) for r in self.rows],
            "cols": [list(c) for c in self.cols],
            "cells": [[c.value if not c.suppressed else None for c in row] for row in self.cells],
            "note": self.note,
            "additive_rows": self.additive_rows,
            "additive_cols": self.additive_cols,
            "base": [list(b) for b in self.base],
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Controlled":
        cells = [[Cell(v, suppressed=v is None) for v in row] for row in data["cells"]]
        return cls(
            key=data["key"],
            family=data["family"],
            title=data["title"],
            row_title=data.get("row_title", ""),
            row_dim=data["row_dim"],
            col_dim=data["col_dim"],
            rows=[tuple(r) for r in data["rows"]],
            cols=[tuple(c) for c in data["cols"]],
            cells=cells,
            note=data.get("note", ""),
            additive_rows=bool(data.get("additive_rows", True)),
            additive_cols=bool(data.get("additive_cols", True)),
            base=tuple(tuple(b) for b in data.get("base", [])),
        )

    def value(self, row: str, col: str) -> int | None:
        r = [code for code, _l in self.rows].index(row)
        c = [code for code, _l in self.cols].index(col)
        return self.cells[r][c].value


TOTAL = "_total"


# ----------------------------------------------------------------------------- the method


def _bounds(
    index: dict[Coord, int],
    hidden: list[Coord],
    relations: list[tuple[Coord, list[Coord]]],
    values: dict[Coord, int],
) -> list[Coord]:
    """The hidden cells whose value an attacker can work out exactly from the shown ones."""
    if not hidden:
        return []
    pos = {k: i for i, k in enumerate(hidden)}
    rows, rhs = [], []
    for total, parts in relations:
        members = [total, *parts]
        if not any(m in pos for m in members):
            continue
        row = np.zeros(len(hidden))
        b = 0.0
        for m, sign in [(total, -1.0)] + [(p, 1.0) for p in parts]:
            if m in pos:
                row[pos[m]] += sign
            else:
                b -= sign * values.get(m, 0)
        rows.append(row)
        rhs.append(b)
    if not rows:
        return []
    # Imported here: scipy.optimize takes a second of CPU to import, which every `tipnet`
    # command and worker would otherwise pay at start-up.
    from scipy.optimize import linprog  # type: ignore[import-untyped]

    a_eq, b_eq = np.array(rows), np.array(rhs)
    found = []
    for k, i in pos.items():
        objective = np.zeros(len(hidden))
        objective[i] = 1.0
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        if high.status == 3:  # unbounded above: cannot be worked out
            continue
        if low.status == 0 and high.status == 0 and (-high.fun) - low.fun < 0.5:
            found.append(k)
    return found


def suppress(tables: list[Table], limit: int | None = None) -> set[Coord]:
    """The cells of a family of `tables` to hide: primary, then secondary until none is
    recoverable."""
    limit = threshold() if limit is None else limit
    values: dict[Coord, int] = {}
    for t in tables:
        for k, v in t.cells():
            values[k] = v
    relations = [r for t in tables for r in t.relations()]
    hidden = {k for k, v in values.items() if 0 < v < limit}
    if not hidden:
        return hidden
    member_of: dict[Coord, list[int]] = {}
    for i, (total, parts) in enumerate(relations):
        for m in [total, *parts]:
            member_of.setdefault(m, []).append(i)

    def pick(cell: Coord) -> Coord | None:
        candidates = set()
        for i in member_of.get(cell, []):
            total, parts = relations[i]
            candidates |= {m for m in [total, *parts] if m not in hidden}
        if not candidates:
            return None
        # Smallest non-zero first, then zeros; totals last.
        return min(candidates, key=lambda m: (values[m] == 0, len(m) < len(cell), values[m], m))

    # A cheap first pass: no relation with exactly one hidden member.
    changed = True
    while changed:
        changed = False
        for total, parts in relations:
            members = [total, *parts]
            inside = [m for m in members if m in hidden]
            if len(inside) == 1:
                extra = pick(inside[0])
                if extra is not None:
                    hidden.add(extra)
                    changed = True
    # Then the exact check, until no hidden cell can be worked out.
    for _round in range(len(values) + 1):
        recoverable = _bounds({}, sorted(hidden), relations, values)
        if not recoverable:
            break
        extra = pick(recoverable[0])
        if extra is None:
            # Every cell in its relations is hidden yet it is still determined: hide the
            # smallest shown cell of the family.
            shown = [k for k in values if k not in hidden]
            if not shown:
                break
            extra = min(shown, key=lambda m: (values[m] == 0, values[m], m))
        hidden.add(extra)
    return hidden


def recoverable(tables: list[Table], hidden: set[Coord]) -> list[Coord]:
    """The hidden cells an attacker could work out (used by the tests and the release check)."""
    values: dict[Coord, int] = {}
    for t in tables:
        for k, v in t.cells():
            values[k] = v
    relations = [r for t in tables for r in t.relations()]
    return _bounds({}, sorted(hidden), relations, values)


def _round(value: int, base: int) -> int:
    if base <= 1:
        return value
    return int(base * round(value / base))


def control(
    tables: list[Table], limit: int | None = None, base: int | None = None
) -> list[Controlled]:
    """The family's tables as published: suppressed cells hidden, the others optionally rounded."""
    hidden = suppress(tables, limit)
    base = round_to() if base is None else base
    out = []
    for t in tables:
        rows: list[str | None] = [r for r, _l in t.rows] + ([None] if t.col_total else [])
        cols: list[str | None] = [c for c, _l in t.cols] + ([None] if t.row_total else [])
        grid = []
        for r in rows:
            line = []
            for c in cols:
                k = t.cell_coord(r, c)
                is_total = r is None or c is None
                if k in hidden:
                    line.append(Cell(None, suppressed=True, is_total=is_total))
                else:
                    line.append(Cell(_round(t.value(r, c), base), is_total=is_total))
            grid.append(line)
        from django.utils.translation import gettext as _

        row_labels = [(code, str(label)) for code, label in t.rows]
        col_labels = [(code, str(label)) for code, label in t.cols]
        if t.col_total:
            row_labels.append((TOTAL, _("Total")))
        if t.row_total:
            col_labels.append((TOTAL, _("Total")))
        out.append(
            Controlled(
                key=t.key,
                family=t.family,
                title=str(t.title),
                row_title=str(t.row_title),
                row_dim=t.row_dim,
                col_dim=t.col_dim,
                rows=row_labels,
                cols=col_labels,
                cells=grid,
                note=str(t.note),
                additive_rows=t.additive_rows,
                additive_cols=t.additive_cols,
                base=t.base,
            )
        )
    return out
