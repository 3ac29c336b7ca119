"""The indicators, computed in SQL (Django ORM aggregates that run on SQLite and PostgreSQL), as raw
tables grouped in families; `control.control` turns each family into what may be published.

Counting rules (docs/statistics.md):

* persons, not records: a suspect is one person however many cases name them. Persons are the
  node's `Person` rows (one row in several cases is one person), further joined when they share a
  passport or national ID (the keyed hash of the identifier, never its value);
* a victim is counted once per period, at the highest identification status reached by the end of
  the period; a victim is in the period when registered or when a status decision falls in it;
  "detected" is presumed or identified (Eurostat's registered victim), "identified" the formal
  status;
* stages are counted by dated transitions (the cases app's stage events): a case counts as reaching
  a stage on the first date it moved to that stage or a later one, so a case that skipped a stage
  counts at the stage it skipped too;
* any period: a union of date ranges (tipnet.stats.periods).
"""

import json
from collections import defaultdict
from datetime import date
from statistics import median
from typing import Any

from django.db.models import (
    Count,
)
from django.utils.translation import gettext_lazy as _

from tipnet.cases.enums import Outcome, Sex, Stage, SuspectStatus
from tipnet.cases.models import Case as CaseModel
from tipnet.mla.enums import Basis, Direction, RefusalGround
from tipnet.mla.enums import State as MlaState
from tipnet.mla.models import MlaRequest
from tipnet.victims.models import (
    Channel,
    Exploitation,
    HotlineCall,
    IncomingHandOver,
    Referral,
    RepatriationPlan,
    ServiceDelivery,
    ServiceKind,
    Urgency,
)
from tipnet.victims.models import (
    Outcome as CallOutcome,
)

from . import crossborder, sql
from .control import Table, coord
from .labels import country_label
from .periods import Period

UNKNOWN = "unknown"
SEXES: list[tuple[str, Any]] = [
    (Sex.FEMALE.value, Sex.FEMALE.label),
    (Sex.MALE.value, Sex.MALE.label),
]
SEXES += [(UNKNOWN, _("Other or unknown"))]
AGES = [("child", _("Child (under 18)")), ("adult", _("Adult")), (UNKNOWN, _("Age unknown"))]
STATUSES = [("presumed", _("Presumed victims")), ("identified", _("Identified victims"))]
CASE_STAGES = [
    ("detected", _("Detected")),
    ("investigated", _("Investigated")),
    ("prosecuted", _("Prosecuted")),
    ("tried", _("Tried")),
    ("adjudicated", _("Adjudicated")),
]
PERSON_STAGES = [
    ("suspected", _("Suspected")),
    ("charged", _("Charged")),
    ("prosecuted", _("Prosecuted")),
    ("convicted", _("Convicted")),
    ("acquitted", _("Acquitted")),
]
OPEN_ORDER: list[str] = [Stage.DETECTION, Stage.INVESTIGATION, Stage.PROSECUTION, Stage.TRIAL]
RANK = {"not_victim": 0, "potential": 1, "presumed": 2, "identified": 3}
CODE_OF_RANK = {2: "presumed", 3: "identified"}
SERVICE_COLS = [
    ("referred", _("Referred")),
    ("accepted", _("Referral accepted")),
    ("assisted", _("Service delivered")),
]
MLA_COLS = [(Direction.OUTGOING.value, _("Sent")), (Direction.INCOMING.value, _("Received"))]


# ---------------------------------------------------------------- cases and persons

STAGE_CODES = {
    "investigated": OPEN_ORDER[1:],
    "prosecuted": OPEN_ORDER[2:],
    "tried": OPEN_ORDER[3:],
}
DECIDED = (Outcome.CONVICTED.value, Outcome.ACQUITTED.value)


def _codes(values) -> str:
    """Fixed enumeration codes written into SQL (never input)."""
    return ", ".join(f"'{v!s}'" for v in values)


# Only cases with a stage move in the period can reach a stage in it, and moves after its end
# cannot change a first date inside it: both limits keep the aggregate to the period's cases,
# in one pass over the stage events (HAVING, not a second scan for the cases that moved).
FIRSTS_SQL = """SELECT case_id, {firsts},
    MAX(CASE WHEN stage_to = '{closed}' AND {closed_in} THEN 1 ELSE 0 END) AS closed_in
FROM cases_caseevent
WHERE kind = 'stage' AND occurred_on <= %s
GROUP BY case_id
HAVING MAX(CASE WHEN {moved_in} THEN 1 ELSE 0 END) = 1"""
STAGES_SQL = """WITH firsts AS ({firsts})
SELECT {sums},
    SUM(CASE WHEN f.closed_in = 1 AND c.outcome IN ({decided}) THEN 1 ELSE 0 END) AS adjudicated,
    (SELECT COUNT(*) FROM cases_case WHERE {opened}) AS detected
FROM firsts f JOIN cases_case c ON c.id = f.case_id"""


def _firsts(period: Period) -> tuple[str, list]:
    """Per case: the first date it moved to each open stage or a later one, and whether it was
    closed within the period (one pass over the stage events)."""
    closed_in, params = sql.within("occurred_on", period)
    firsts = ",\n".join(
        f"MIN(CASE WHEN stage_to IN ({_codes(codes)}) THEN occurred_on END) AS {name}"
        for name, codes in STAGE_CODES.items()
    )
    moved_in, p_moved = sql.within("occurred_on", period)
    text = FIRSTS_SQL.format(
        firsts=firsts, closed=Stage.CLOSED.value, closed_in=closed_in, moved_in=moved_in
    )
    return text, [*params, period.end, *p_moved]


def case_stage_counts(period: Period) -> dict[str, int]:
    firsts, params = _firsts(period)
    opened, p_opened = sql.within("opened_on", period)
    sums = []
    for name in STAGE_CODES:
        cond, p = sql.within(f"f.{name}", period)
        sums.append(f"SUM(CASE WHEN {cond} THEN 1 ELSE 0 END) AS {name}")
        params += p
    text = STAGES_SQL.format(
        firsts=firsts, sums=", ".join(sums), decided=_codes(DECIDED), opened=opened
    )
    row = sql.rows(text, params + p_opened)[0]
    return {s: int(row[s] or 0) for s, _label in CASE_STAGES}


CHARGED = (SuspectStatus.CHARGED, SuspectStatus.PROSECUTED, *DECIDED)
PROSECUTED = (SuspectStatus.PROSECUTED, *DECIDED)
PERSON_SQL = """WITH firsts AS ({firsts}),
-- The period's cases (opened in it, or with a stage move in it), flagged at what they reached.
chain AS (
    SELECT c.id AS case_id,
        CASE WHEN {opened} THEN 1 ELSE 0 END AS suspected_in,
        CASE WHEN {prosecution} THEN 1 ELSE 0 END AS charged_in,
        CASE WHEN {trial} THEN 1 ELSE 0 END AS prosecuted_in,
        CASE WHEN f.closed_in = 1 AND c.outcome IN ({decided}) THEN 1 ELSE 0 END AS decided_in
    FROM cases_case c LEFT JOIN firsts f ON f.case_id = c.id
    WHERE {opened} OR f.case_id IS NOT NULL
),
roles AS (
    SELECT cp.person_id, cp.person_document AS doc, cp.status, cp.person_sex AS sex,
        cp.person_age_group AS age, cp.person_citizenship AS cit, ch.suspected_in, ch.charged_in,
        ch.prosecuted_in, ch.decided_in
    FROM cases_caseperson cp JOIN chain ch ON ch.case_id = cp.case_id
    WHERE cp.role = 'suspect'
        AND (ch.suspected_in = 1 OR ch.charged_in = 1 OR ch.prosecuted_in = 1 OR ch.decided_in = 1)
),
-- Each person once, flagged at each stage it reached: a hash aggregate, cheaper than a sort for
-- each COUNT(DISTINCT). A person is the role's copy of its person row's smallest passport or
-- national ID (its keyed hash), so that person rows sharing one are one person, or the person
-- row itself when it has none. Sex, age group, citizenship and the document are the role's
-- copies of the person row's, read with the role from the index cases_caseperson_suspects; where
-- a person's rows disagree, a known value wins over an unknown one (then female, child and the
-- first code), so that each person is in one group of every table.
persons AS (
    SELECT MIN(CASE WHEN r.sex IN ('female', 'male') THEN r.sex END) AS sex,
        MAX(CASE WHEN r.age IN ('adult', 'child') THEN r.age END) AS age,
        MIN(CASE WHEN r.cit <> '' THEN r.cit END) AS cit,
        MAX(r.suspected_in) AS suspected,
        MAX(CASE WHEN r.charged_in = 1 AND r.status IN ({charged}) THEN 1 ELSE 0 END) AS charged,
        MAX(CASE WHEN r.prosecuted_in = 1 AND r.status IN ({prosecuted}) THEN 1 ELSE 0 END)
            AS prosecuted,
        MAX(CASE WHEN r.decided_in = 1 AND r.status = 'convicted' THEN 1 ELSE 0 END) AS convicted,
        MAX(CASE WHEN r.decided_in = 1 AND r.status = 'acquitted' THEN 1 ELSE 0 END) AS acquitted
    FROM roles r
    GROUP BY r.doc, CASE WHEN r.doc = '' THEN r.person_id END
)
SELECT sex, age, cit, SUM(suspected) AS suspected, SUM(charged) AS charged,
    SUM(prosecuted) AS prosecuted, SUM(convicted) AS convicted, SUM(acquitted) AS acquitted
FROM persons
GROUP BY sex, age, cit"""


def person_counts(period: Period) -> dict[tuple[str, str, str, str], int]:
    """{(stage, sex, age group, first citizenship): distinct persons}, in one statement.

    One key per person: a shared passport or national ID (its keyed hash, the smallest if the
    person row has several, as each role keeps it) joins person rows, else the person row itself.
    Each person counts in one group: where its rows disagree, a known value wins. The age group is
    the person row's clear `age_group` (child when under 18 in the year the person was recorded)."""
    firsts, params = _firsts(period)
    opened, p1 = sql.within("c.opened_on", period)
    prosecution, p2 = sql.within("f.prosecuted", period)
    trial, p3 = sql.within("f.tried", period)
    text = PERSON_SQL.format(
        firsts=firsts,
        opened=opened,
        prosecution=prosecution,
        trial=trial,
        decided=_codes(DECIDED),
        charged=_codes(CHARGED),
        prosecuted=_codes(PROSECUTED),
    )
    out: dict[tuple[str, str, str, str], int] = {}
    for row in sql.rows(text, params + p1 + p2 + p3 + p1):
        sex = row["sex"] if row["sex"] in (Sex.FEMALE, Sex.MALE) else UNKNOWN
        age = row["age"] if row["age"] in ("child", "adult") else UNKNOWN
        for stage, _label in PERSON_STAGES:
            if row[stage]:
                key = (stage, sex, age, row["cit"] or UNKNOWN)
                out[key] = out.get(key, 0) + int(row[stage])
    return out


# ---------------------------------------------------------------- victims

RANK_SQL = "CASE {col} " + " ".join(f"WHEN '{c}' THEN {r}" for c, r in RANK.items()) + " ELSE 0 END"
DETECTED_SQL = """WITH ranks AS (
    SELECT victim_id,
        MAX(CASE WHEN decided_on <= %s THEN {decision_rank} END) AS by_end,
        MAX(CASE WHEN {decided_in} THEN 1 ELSE 0 END) AS in_period
    FROM victims_statusdecision GROUP BY victim_id
),
victims AS (
    SELECT v.sex, v.nationality, v.exploitation_country, v.exploitation_forms, v.birth_year,
        {registered_on} AS registered_on,
        CASE WHEN r.victim_id IS NULL THEN {victim_rank} ELSE COALESCE(r.by_end, 1) END AS best,
        r.in_period AS in_period
    FROM victims_victim v LEFT JOIN ranks r ON r.victim_id = v.id
),
detected AS (
    SELECT best, sex, nationality, exploitation_country, exploitation_forms,
        CASE WHEN birth_year IS NULL THEN 'unknown'
             WHEN birth_year > {registered_year} - 18 THEN 'child'
             ELSE 'adult' END AS age
    FROM victims
    WHERE ({registered_in} OR in_period = 1) AND registered_on <= %s AND best >= 2
)
"""


def _detected(period: Period) -> tuple[str, list]:
    """The CTE `detected`: victims in the period with `best`, the rank of the highest status
    reached by its end (a victim with no decision keeps its recorded status), and `age`."""
    decided_in, p1 = sql.within("decided_on", period)
    registered_in, p2 = sql.within("registered_on", period)
    text = DETECTED_SQL.format(
        decision_rank=RANK_SQL.format(col="status"),
        victim_rank=RANK_SQL.format(col="v.status"),
        decided_in=decided_in,
        registered_on=sql.as_date("v.registered_at"),
        registered_year=sql.year_of("registered_on"),
        registered_in=registered_in,
    )
    return text, [period.end, *p1, *p2, period.end]


def detected_victim_records(period: Period) -> list[tuple]:
    """One row per detected victim: (best, sex, age, citizenship, country of exploitation,
    forms), for the de-identified HTCDS export."""
    text, params = _detected(period)
    found = sql.rows(
        text + "SELECT best, sex, age, nationality, exploitation_country, exploitation_forms "
        "FROM detected",
        params,
    )
    out = []
    for r in found:
        forms = r["exploitation_forms"]
        forms = json.loads(forms) if isinstance(forms, str) else forms
        out.append(
            (r["best"], r["sex"], r["age"], r["nationality"], r["exploitation_country"], forms)
        )
    return out


FORMS_SQL = """SELECT best, sex, age, nationality, exploitation_country, COUNT(*) AS n, {forms}
FROM detected GROUP BY best, sex, age, nationality, exploitation_country"""


def victim_rows(period: Period) -> list[dict]:
    """Grouped counts of detected victims by status, sex, age, citizenship and country of
    exploitation, each group with its victims per form of exploitation (`form_<code>`)."""
    text, params = _detected(period)
    forms_sql = ", ".join(
        f"SUM(CASE WHEN {sql.json_text('exploitation_forms')} LIKE %s THEN 1 ELSE 0 END) "
        f"AS form_{form}"
        for form in Exploitation.values
    )
    found = sql.rows(
        text + FORMS_SQL.format(forms=forms_sql),
        params + [f'%"{form}"%' for form in Exploitation.values],
    )
    return found


def victim_forms(period: Period, rows: list[dict] | None = None) -> dict[tuple[str, str], int]:
    """{(status, form): victims}; one victim may count under several forms."""
    out: dict[tuple[str, str], int] = defaultdict(int)
    for row in victim_rows(period) if rows is None else rows:
        for form in Exploitation.values:
            out[(CODE_OF_RANK[row["best"]], form)] += int(row[f"form_{form}"] or 0)
    return dict(out)


# ---------------------------------------------------------------- the families


def _top(counter: dict[str, int], keep: int = 12) -> list[str]:
    ordered = sorted(counter, key=lambda c: (-counter[c], c))
    return ordered[:keep]


def victims_family(period: Period) -> list[Table]:
    rows = victim_rows(period)

    def table(key, title, row_dim, labels, getter, additive=True, totals=None, row_title=""):
        values: dict[tuple[str, str], int] = defaultdict(int)
        for r in rows:
            values[(getter(r), CODE_OF_RANK[r["best"]])] += r["n"]
        return Table(
            key=key,
            family="victims",
            title=title,
            row_dim=row_dim,
            col_dim="status",
            rows=labels,
            cols=STATUSES,
            values=dict(values),
            additive_rows=additive,
            totals=totals or {},
            row_title=row_title,
        )

    def sex_of(r):
        return r["sex"] if r["sex"] in (Sex.FEMALE, Sex.MALE) else UNKNOWN

    citizenship: dict[str, int] = defaultdict(int)
    exploitation: dict[str, int] = defaultdict(int)
    for r in rows:
        citizenship[r["nationality"] or UNKNOWN] += r["n"]
        exploitation[r["exploitation_country"] or UNKNOWN] += r["n"]
    cits = sorted(citizenship, key=lambda c: (c == UNKNOWN, c))
    places = sorted(exploitation, key=lambda c: (c == UNKNOWN, c))
    forms = victim_forms(period, rows)
    status_totals: dict = {}
    for r in rows:
        k = coord(status=CODE_OF_RANK[r["best"]])
        status_totals[k] = status_totals.get(k, 0) + r["n"]
    form_table = Table(
        key="victims_by_form",
        family="victims",
        title=_("Victims detected by form of exploitation"),
        row_dim="form",
        col_dim="status",
        rows=list(Exploitation.choices),
        cols=STATUSES,
        values=dict(forms),
        additive_rows=False,
        totals=status_totals | {(): sum(r["n"] for r in rows)},
        note=_(
            "One victim may have been exploited in several forms, so the rows add up to more "
            "than the total of victims."
        ),
        row_title=_("Form of exploitation"),
    )
    return [
        table(
            "victims_by_sex", _("Victims detected by sex"), "sex", SEXES, sex_of, row_title=_("Sex")
        ),
        table(
            "victims_by_age",
            _("Victims detected by age group"),
            "age",
            AGES,
            lambda r: r["age"],
            row_title=_("Age group"),
        ),
        table(
            "victims_by_citizenship",
            _("Victims detected by citizenship"),
            "citizenship",
            [(c, country_label(c)) for c in cits],
            lambda r: r["nationality"] or UNKNOWN,
            row_title=_("Citizenship"),
        ),
        table(
            "victims_by_country_of_exploitation",
            _("Victims detected by country of exploitation"),
            "exploited_in",
            [(c, country_label(c)) for c in places],
            lambda r: r["exploitation_country"] or UNKNOWN,
            row_title=_("Country of exploitation"),
        ),
        form_table,
    ]


def returns_family(period: Period) -> list[Table]:
    home_from = (
        IncomingHandOver.objects.filter(period.q("received_at__date"))
        .exclude(status="not_victim")
        .values("from_country")
        .annotate(n=Count("pk"))
        .order_by()
    )
    sent_home = (
        RepatriationPlan.objects.filter(handed_over_at__isnull=False)
        .filter(period.q("handed_over_at__date"))
        .values("to_country")
        .annotate(n=Count("victim", distinct=True))
        .order_by()
    )
    values: dict[tuple[str, str], int] = {}
    for r in home_from:
        values[(r["from_country"], "returned_home")] = r["n"]
    for row in sent_home:
        values[(row["to_country"], "returned_abroad")] = row["n"]
    countries = sorted({c for c, _x in values})
    return [
        Table(
            key="returns",
            family="returns",
            title=_("Victims identified abroad and returned home, and victims returned from here"),
            row_dim="country",
            col_dim="return",
            rows=[(c, country_label(c)) for c in countries],
            cols=[
                ("returned_home", _("Identified abroad and returned home")),
                ("returned_abroad", _("Returned from here to their country")),
            ],
            values=values,
            additive_cols=False,
            row_total=False,
            row_title=_("Country"),
        )
    ]


def services_family(period: Period) -> list[Table]:
    referred = Referral.objects.filter(period.q("referred_at__date"))
    accepted = referred.filter(status="accepted")
    delivered = ServiceDelivery.objects.filter(period.q("started_on"))
    values: dict[tuple[str, str], int] = {}
    for col, qs, kind in [
        ("referred", referred, "offer__kind"),
        ("accepted", accepted, "offer__kind"),
        ("assisted", delivered, "kind"),
    ]:
        for r in qs.values(kind).annotate(n=Count("victim", distinct=True)).order_by():
            values[(r[kind], col)] = r["n"]
    col_totals = {
        coord(measure="referred"): referred.values("victim").distinct().count(),
        coord(measure="accepted"): accepted.values("victim").distinct().count(),
        coord(measure="assisted"): delivered.values("victim").distinct().count(),
    }
    return [
        Table(
            key="services",
            family="services",
            title=_("Victims referred and assisted, by service"),
            row_dim="service",
            col_dim="measure",
            rows=list(ServiceKind.choices),
            cols=SERVICE_COLS,
            values=values,
            additive_rows=False,
            additive_cols=False,
            row_total=False,
            totals=col_totals,
            note=_("One victim may receive several services; the total counts each victim once."),
            row_title=_("Service"),
        )
    ]


def monthly_cases(period: Period) -> Table:
    """Cases detected per month: its total is the funnel's "detected" cell (one variable)."""
    from django.db.models.functions import TruncMonth

    rows = (
        CaseModel.objects.filter(period.q("opened_on"))
        .annotate(month=TruncMonth("opened_on"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    found = {r["month"].strftime("%Y-%m"): r["n"] for r in rows}
    months = []
    for a, b in period.ranges:
        y, m = a.year, a.month
        while (y, m) <= (b.year, b.month):
            months.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return Table(
        key="cases_by_month",
        family="cases",
        title=_("Cases detected per month"),
        row_dim="month",
        col_dim="measure",
        rows=[(mo, mo) for mo in months],
        cols=[("cases", _("Cases"))],
        values={(mo, "cases"): found.get(mo, 0) for mo in months},
        row_total=False,
        fixed={("base",): (("stage", "detected"),)},
        row_title=_("Month"),
    )


def justice_family(period: Period) -> list[Table]:
    stages = case_stage_counts(period)
    return [
        monthly_cases(period),
        Table(
            key="cases_by_stage",
            family="cases",
            title=_("The justice chain: cases"),
            row_dim="stage",
            col_dim="measure",
            rows=CASE_STAGES,
            cols=[("cases", _("Cases"))],
            values={(s, "cases"): n for s, n in stages.items()},
            additive_rows=False,
            row_total=False,
            col_total=False,
            note=_(
                "A case counts at each stage it reached in the period, by the date it moved "
                "there; a case that skipped a stage counts at the skipped stage too."
            ),
            row_title=_("Stage"),
        ),
    ]


def persons_family(period: Period) -> list[Table]:
    counts = person_counts(period)
    by_sex: dict[tuple[str, str], int] = defaultdict(int)
    by_age: dict[tuple[str, str], int] = defaultdict(int)
    by_cit: dict[tuple[str, str], int] = defaultdict(int)
    for (stage, sex, age, cit), n in counts.items():
        by_sex[(stage, sex)] += n
        by_age[(stage, age)] += n
        by_cit[(cit, stage)] += n
    cits = sorted({c for c, _s in by_cit}, key=lambda c: (c == UNKNOWN, c))
    return [
        Table(
            key="persons_by_sex",
            family="persons",
            title=_("The justice chain: persons, by sex"),
            row_dim="stage",
            col_dim="sex",
            rows=PERSON_STAGES,
            cols=SEXES,
            values=dict(by_sex),
            additive_rows=False,
            col_total=False,
            row_title=_("Stage"),
            note=_("Persons, not records: one person in several cases counts once."),
        ),
        Table(
            key="persons_by_age",
            family="persons",
            title=_("The justice chain: persons, by age group"),
            row_dim="stage",
            col_dim="age",
            rows=PERSON_STAGES,
            cols=AGES,
            values=dict(by_age),
            additive_rows=False,
            col_total=False,
            row_title=_("Stage"),
            note=_(
                "Persons are counted as children when under 18 in the year they were first "
                "recorded."
            ),
        ),
        Table(
            key="persons_by_citizenship",
            family="persons",
            title=_("The justice chain: persons, by citizenship"),
            row_dim="citizenship",
            col_dim="stage",
            rows=[(c, country_label(c)) for c in cits],
            cols=PERSON_STAGES,
            values=dict(by_cit),
            additive_cols=False,
            row_total=False,
            row_title=_("Citizenship"),
        ),
    ]


def _mla_base(period: Period):
    sent = MlaRequest.objects.filter(direction=Direction.OUTGOING, submitted_at__isnull=False)
    sent = sent.filter(period.q("submitted_at__date"))
    received = MlaRequest.objects.filter(direction=Direction.INCOMING, received_at__isnull=False)
    received = received.filter(period.q("received_at__date"))
    return sent, received


def mla_family(period: Period) -> list[Table]:
    sent, received = _mla_base(period)
    by_country: dict[tuple[str, str], int] = {}
    by_basis: dict[tuple[str, str], int] = {}
    for direction, qs, other in [
        (Direction.OUTGOING.value, sent, "requested_state"),
        (Direction.INCOMING.value, received, "requesting_state"),
    ]:
        for r in qs.values(other, "legal_basis").annotate(n=Count("pk")).order_by():
            c = r[other] or UNKNOWN
            b = (r["legal_basis"] or UNKNOWN).split(":")[0]
            by_country[(c, direction)] = by_country.get((c, direction), 0) + r["n"]
            by_basis[(b, direction)] = by_basis.get((b, direction), 0) + r["n"]
    bases = dict(Basis.choices) | {"BILATERAL": _("Bilateral treaty"), UNKNOWN: _("Not recorded")}
    countries = sorted({c for c, _d in by_country}, key=lambda c: (c == UNKNOWN, c))
    return [
        Table(
            key="mla_by_country",
            family="mla",
            title=_("MLA requests sent and received, by country"),
            row_dim="country",
            col_dim="direction",
            rows=[(c, country_label(c)) for c in countries],
            cols=MLA_COLS,
            values=by_country,
            additive_cols=False,
            row_total=False,
            row_title=_("Country"),
        ),
        Table(
            key="mla_by_basis",
            family="mla",
            title=_("MLA requests sent and received, by legal basis"),
            row_dim="basis",
            col_dim="direction",
            rows=[(b, bases.get(b, b)) for b in sorted({b for b, _d in by_basis})],
            cols=MLA_COLS,
            values=by_basis,
            additive_cols=False,
            row_total=False,
            row_title=_("Legal basis"),
        ),
    ]


def mla_refusals_family(period: Period) -> list[Table]:
    refused = MlaRequest.objects.filter(state=MlaState.REFUSED, decided_at__isnull=False)
    refused = refused.filter(period.q("decided_at__date"))
    values = {}
    for r in refused.values("refusal_ground", "direction").annotate(n=Count("pk")).order_by():
        values[(r["refusal_ground"] or UNKNOWN, r["direction"])] = r["n"]
    grounds = dict(RefusalGround.choices) | {UNKNOWN: _("Not recorded")}
    return [
        Table(
            key="mla_refusals",
            family="mla_refusals",
            title=_("MLA requests refused, by ground"),
            row_dim="ground",
            col_dim="direction",
            rows=[(g, grounds.get(g, g)) for g in sorted({g for g, _d in values})],
            cols=MLA_COLS,
            values=values,
            additive_cols=False,
            row_total=False,
            row_title=_("Ground of refusal"),
        )
    ]


def mla_timeliness(period: Period, limit: int) -> dict:
    """Median days from submission to an answer (executed, refused, closed) per requested state,
    requests finished in the period; and requests open past their deadline today, per state.
    A median over fewer than `limit` requests is not shown."""
    done = MlaRequest.objects.filter(
        direction=Direction.OUTGOING, submitted_at__isnull=False, finished_at__isnull=False
    ).filter(period.q("finished_at__date"))
    days: dict[str, list[int]] = defaultdict(list)
    for state, start, end in done.values_list("requested_state", "submitted_at", "finished_at"):
        if start is not None and end is not None:
            days[state or UNKNOWN].append(max(0, (end - start).days))
    finished = {MlaState.EXECUTED, MlaState.REFUSED, MlaState.WITHDRAWN, MlaState.CLOSED}
    overdue = (
        MlaRequest.objects.filter(deadline__lt=date.today(), finished_at__isnull=True)
        .exclude(state__in=[*finished, MlaState.DRAFT])
        .values("requested_state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    late = {r["requested_state"] or UNKNOWN: r["n"] for r in overdue}
    rows = []
    for state in sorted(set(days) | set(late)):
        n = len(days.get(state, []))
        rows.append(
            {
                "country": state,
                "label": str(country_label(state)),
                "finished": n if n == 0 or n >= limit else None,
                "median_days": median(days[state]) if n >= limit else None,
                "overdue": _shown(late.get(state, 0), limit),
            }
        )
    return {"rows": rows}


def _shown(n: int, limit: int) -> int | None:
    return n if n == 0 or n >= limit else None


def hotline_family(period: Period) -> list[Table]:
    calls = HotlineCall.objects.filter(period.q("received_at__date"))
    by_channel: dict[tuple[str, str], int] = {}
    by_urgency: dict[tuple[str, str], int] = {}
    for r in calls.values("channel", "urgency", "outcome").annotate(n=Count("pk")).order_by():
        for target, row in [(by_channel, r["channel"]), (by_urgency, r["urgency"])]:
            target[(row, r["outcome"])] = target.get((row, r["outcome"]), 0) + r["n"]
    return [
        Table(
            key="hotline_by_channel",
            family="hotline",
            title=_("Hotline calls by channel and outcome"),
            row_dim="channel",
            col_dim="outcome",
            rows=list(Channel.choices),
            cols=list(CallOutcome.choices),
            values=by_channel,
            row_title=_("Channel"),
        ),
        Table(
            key="hotline_by_urgency",
            family="hotline",
            title=_("Hotline calls by urgency and outcome"),
            row_dim="urgency",
            col_dim="outcome",
            rows=list(Urgency.choices),
            cols=list(CallOutcome.choices),
            values=by_urgency,
            row_title=_("Urgency"),
        ),
    ]


FAMILIES = {
    "cases": justice_family,
    "persons": persons_family,
    "victims": victims_family,
    "returns": returns_family,
    "services": services_family,
    "mla": mla_family,
    "mla_refusals": mla_refusals_family,
    "hotline": hotline_family,
    "checks": crossborder.checks_family,
    "police": crossborder.police_family,
}
