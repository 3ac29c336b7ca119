"""The published tables of a period: every family computed, controlled, and cached.

The cache key names the period, the disclosure rules and a data version: the latest change time
of the records the tables count (one cheap MAX per table), so a new decision or stage move shows
at once while repeated views answer from the cache. The derived layouts (GLOTIP, Eurostat, SDG
16.2.2) are computed from the controlled cells only, so they cannot reveal more than the tables.
"""

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.core.cache import cache
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext as _

from . import indicators
from .control import TOTAL, Cell, Controlled, control
from .periods import Period
from .settings import round_to, threshold

DATA = Path(__file__).resolve().parent / "data"
SEXES = ("female", "male")


def data_version() -> str:
    """A hash of the latest ids and change times of the records the tables count, read in one
    statement: index probes (the primary keys, the cases' last change), and a scan of the MLA
    requests' change times, a table of thousands of rows where cases have millions."""
    from tipnet.cases.models import Case, CaseEvent, CasePerson, Identifier
    from tipnet.mla.models import MlaRequest
    from tipnet.victims.models import HotlineCall, ServiceDelivery, StatusDecision, Victim

    latest = [
        (Case, "updated_at"),
        (Case, "id"),
        (CaseEvent, "id"),
        (CasePerson, "id"),
        # A new passport can join two person rows into one person.
        (Identifier, "id"),
        (Victim, "id"),
        (StatusDecision, "id"),
        (ServiceDelivery, "id"),
        (HotlineCall, "id"),
        (MlaRequest, "state_changed_at"),
        (MlaRequest, "id"),
    ]
    probes = ", ".join(
        f"(SELECT MAX({c}) FROM {m._meta.db_table})"  # noqa: S608 - the models' fixed names
        for m, c in latest
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {probes}")
        parts = cursor.fetchone()
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def cache_key(period: Period, family: str, version: str | None = None) -> str:
    lang = translation.get_language() or "en"
    rules = f"t{threshold()}r{round_to()}"
    return f"stats:{family}:{period.key}:{rules}:{lang}:{version or data_version()}"


def family_tables(period: Period, family: str, version: str | None = None) -> list[Controlled]:
    """The controlled tables of one family, from the cache when present."""
    key = cache_key(period, family, version)
    found = cache.get(key)
    if found is not None:
        return [Controlled.from_dict(d) for d in found]
    raw = indicators.FAMILIES[family](period)
    tables = control(raw)
    cache.set(key, [t.as_dict() for t in tables], 3600)
    return tables


@dataclass
class Report:
    period: Period
    tables: dict[str, Controlled]
    mla_timeliness: dict
    threshold: int
    round_to: int

    def funnel(self) -> list[tuple[str, int | None]]:
        t = self.tables["cases_by_stage"]
        return [(label, t.cells[i][0].value) for i, (_c, label) in enumerate(t.rows)]


def all_tables(period: Period, version: str | None = None) -> Report:
    version = version or data_version()
    tables: dict[str, Controlled] = {}
    for family in indicators.FAMILIES:
        for t in family_tables(period, family, version):
            tables[t.key] = t
    key = cache_key(period, "mla_timeliness", version)
    timeliness = cache.get(key)
    if timeliness is None:
        timeliness = indicators.mla_timeliness(period, threshold())
        cache.set(key, timeliness, 3600)
    for t in derived(period, tables):
        tables[t.key] = t
    return Report(period, tables, timeliness, threshold(), round_to())


# ---------------------------------------------------------------- derived layouts


@lru_cache(maxsize=1)
def population() -> dict:
    return json.loads((DATA / "population.json").read_text(encoding="utf-8"))


def _cell(t: Controlled, row: str, col: str) -> Cell:
    r = [c for c, _l in t.rows].index(row)
    c = [c for c, _l in t.cols].index(col)
    return t.cells[r][c]


def derived(period: Period, tables: dict[str, Controlled]) -> list[Controlled]:
    """Eurostat crim_thb and SDG 16.2.2 layouts from already controlled cells."""
    from django.conf import settings

    out = []
    sex_cols = [("female", _("Female")), ("male", _("Male")), ("unknown", _("Other or unknown"))]
    sex_cols.append((TOTAL, _("Total")))
    victims = tables["victims_by_sex"]
    persons = tables["persons_by_sex"]

    def victim_line() -> list[Cell]:
        return [_cell(victims, code, TOTAL) for code, _l in sex_cols[:-1]] + [
            _cell(victims, TOTAL, TOTAL)
        ]

    def person_line(stage: str) -> list[Cell]:
        return [_cell(persons, stage, code) for code, _l in sex_cols]

    out.append(
        Controlled(
            key="eurostat_crim_thb",
            family="derived",
            title=_("Eurostat crim_thb: persons by legal status and sex"),
            row_title=_("Legal status"),
            row_dim="leg_stat",
            col_dim="sex",
            rows=[
                ("VICT", _("Victims (registered)")),
                ("SUSP", _("Suspected")),
                ("PRSC", _("Prosecuted")),
                ("CNV", _("Convicted")),
            ],
            cols=sex_cols,
            cells=[
                victim_line(),
                person_line("suspected"),
                person_line("prosecuted"),
                person_line("convicted"),
            ],
            note=_(
                "Registered victims are presumed and identified victims, as Eurostat defines them."
            ),
        )
    )
    country = getattr(settings, "TIPNET_NODE_COUNTRY", "UZ")
    pop = population()["population"].get(country, {})
    years = period.years()
    # The mean population over the years the period touches, weighted by days in each.
    weights = {y: 0 for y in years}
    for a, b in period.ranges:
        for y in range(a.year, b.year + 1):
            lo = max(a, a.replace(year=y, month=1, day=1))
            hi = min(b, b.replace(year=y, month=12, day=31))
            weights[y] += (hi - lo).days + 1
    known = {y: pop.get(str(y)) for y in years if pop.get(str(y))}
    rate_cells = []
    if known:
        days = sum(weights[y] for y in known)
        people = sum(known[y] * weights[y] for y in known) / days
        years_share = days / 365.25
        for cell in victim_line():
            if cell.suppressed or cell.value is None:
                rate_cells.append(Cell(None, suppressed=True))
            else:
                rate = cell.value / people * 100000 / max(years_share, 1e-9)
                rate_cells.append(Cell(round(rate, 2)))  # type: ignore[arg-type]
    else:
        rate_cells = [Cell(None, suppressed=True) for _c in sex_cols]
    out.append(
        Controlled(
            key="sdg_16_2_2",
            family="derived",
            title=_("SDG 16.2.2: victims detected per 100,000 population, per year"),
            row_title=_("Indicator"),
            row_dim="indicator",
            col_dim="sex",
            rows=[("rate", _("Victims per 100,000 population"))],
            cols=sex_cols,
            cells=[rate_cells],
            note=_("Population: %(source)s") % {"source": population()["source"]},
        )
    )
    return out


def glotip_rows(report: Report, country_iso3: str, country_name: str) -> list[dict]:
    """The dataUNODC long format: one row per published cell, small values as "<5"."""
    year = "+".join(str(y) for y in report.period.years())
    rows = []

    def add(indicator, dimension, category, sex, age, cell):
        rows.append(
            {
                "Iso3_code": country_iso3,
                "Country": country_name,
                "Region": "",
                "Subregion": "",
                "Indicator": indicator,
                "Dimension": dimension,
                "Category": category,
                "Sex": sex,
                "Age": age,
                "Year": year,
                "Unit of measurement": "Counts",
                "txtVALUE": cell.text,
                "Source": "tipnet " + report.period.spec,
            }
        )

    persons = report.tables["persons_by_sex"]
    names = {
        "suspected": "Persons brought into formal contact",
        "prosecuted": "Persons prosecuted",
        "convicted": "Persons convicted",
    }
    for stage, indicator in names.items():
        for sex, label in [("female", "Female"), ("male", "Male"), (TOTAL, "Total")]:
            add(indicator, "Total", "Total", label, "Total", _cell(persons, stage, sex))
    victims = report.tables["victims_by_sex"]
    for sex, label in [("female", "Female"), ("male", "Male"), (TOTAL, "Total")]:
        add(
            "Detected trafficking victims",
            "Total",
            "Total",
            label,
            "Total",
            _cell(victims, sex, TOTAL),
        )
    ages = report.tables["victims_by_age"]
    for age, label in [("child", "Child"), ("adult", "Adult")]:
        add(
            "Detected trafficking victims",
            "Total",
            "Total",
            "Total",
            label,
            _cell(ages, age, TOTAL),
        )
    forms = report.tables["victims_by_form"]
    glotip_forms = {
        "sexual": "Sexual exploitation",
        "labour": "Forced labour",
        "organ_removal": "Organ removal",
    }
    for code, label in glotip_forms.items():
        add(
            "Detected trafficking victims",
            "by form of exploitation",
            label,
            "Total",
            "Total",
            _cell(forms, code, TOTAL),
        )
    cit = report.tables["victims_by_citizenship"]
    for code, label in cit.rows:
        if code != TOTAL:
            add(
                "Detected trafficking victims",
                "by citizenship",
                label,
                "Total",
                "Total",
                _cell(cit, code, TOTAL),
            )
    return rows
