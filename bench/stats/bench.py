"""Benchmark of the statistics on PostgreSQL: 100,000 cases, 1,000,000 persons (the cases
benchmark's size), with dated stage moves, victims with status decisions, hotline calls and MLA
requests.

    nice -n 10 .venv/bin/python bench/stats/bench.py generate   # once; a few minutes
    nice -n 10 .venv/bin/python bench/stats/bench.py measure    # p50/p95 per table, report PDF,
                                                                # DuckDB over an export beside

Uses its own database (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/
tipnet_stats_bench), created and migrated when missing; `generate` on a database already
generated only migrates it (run it after pulling a migration). Rows are synthetic and generated
inside PostgreSQL with generate_series (only the columns the statistics read carry meaning; names
are a placeholder, since no table ever reads them). Each table is built cold: the cache is cleared
before every run, so the times are those of the SQL and the disclosure control, not of the cache.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/tipnet_stats_bench"
URL = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
os.environ["DATABASE_URL"] = URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tipnet.settings")
os.environ.setdefault("TIPNET_DATA_DIR", str(Path(tempfile.gettempdir()) / "data_stats_bench"))

CASES = int(os.environ.get("BENCH_CASES", "100000"))
PERSONS = int(os.environ.get("BENCH_PERSONS", "1000000"))
VICTIMS = int(os.environ.get("BENCH_VICTIMS", "50000"))
CALLS = int(os.environ.get("BENCH_CALLS", "20000"))
MLA = int(os.environ.get("BENCH_MLA", "5000"))
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
PERIOD = os.environ.get("BENCH_PERIOD", "2025")


def _database() -> None:
    import psycopg

    name = URL.rsplit("/", 1)[1]
    admin = URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


SQL = """
INSERT INTO cases_case (id, reference, agency_id, year, serial, title, offence_articles,
    exploitation_forms, summary, confidentiality, stage, outcome, opened_on, created_at, updated_at)
SELECT i, 'SB-' || i, %(agency)s, 2023 + i %% 4, i, 'Synthetic', '',
    ('["' || (ARRAY['labour','sexual','begging','domestic'])[1 + i %% 4] || '"]')::jsonb, '',
    'confidential',
    (ARRAY['detection','investigation','prosecution','trial','closed'])[1 + (i * 7) %% 5],
    CASE WHEN (i * 7) %% 5 = 4
      THEN (ARRAY['convicted','acquitted','dismissed'])[1 + i %% 3] ELSE '' END,
    date '2023-01-01' + (i * 37) %% 1275, now(), now()
FROM generate_series(1, %(cases)s) i;

-- One stage event per step the case took, each 20 to 110 days after the one before; a case in
-- five skips investigation (straight from detection to prosecution).
INSERT INTO cases_caseevent (case_id, kind, occurred_on, description, stage_from, stage_to,
    created_at)
SELECT c.id, 'stage', c.opened_on + (s.n * (20 + c.id %% 90))::int, '',
    (ARRAY['detection','investigation','prosecution','trial'])[s.n],
    (ARRAY['investigation','prosecution','trial','closed'])[s.n], now()
FROM cases_case c
JOIN generate_series(1, 4) s(n) ON s.n <= (c.id * 7) %% 5
WHERE NOT (c.id %% 5 = 0 AND s.n = 1);

-- The age group (clear, derived from the encrypted birth year on save) is set directly here.
INSERT INTO cases_person (id, full_name, latin_name, sex, birth_year, birth_month, birth_day,
    birth_precision, citizenships, is_sealed, created_at, age_group)
SELECT i, 'x', 'x', (ARRAY['male','male','female','unknown'])[1 + i %% 4], NULL, NULL, NULL, '',
    ('["' || (ARRAY['UZ','UZ','KG','TJ','KZ','AE','RU','TR'])[1 + (i * 13) %% 8] || '"]')::jsonb,
    false, now(), (ARRAY['adult','adult','adult','child',''])[1 + (i * 7) %% 5]
FROM generate_series(1, %(persons)s) i;

-- Every person in one case; one suspect in ten also in a second case (one person, two records
-- of the role), and passports shared by pairs of person rows (one person recorded twice).
INSERT INTO cases_caseperson (case_id, person_id, role, chain_role, status, added_at, person_sex,
    person_age_group, person_citizenship)
SELECT 1 + (i::bigint * 7919) %% %(cases)s, i,
    (ARRAY['suspect','victim','witness'])[1 + i %% 3], '',
    CASE WHEN i %% 3 = 0 THEN
      (ARRAY['suspected','charged','prosecuted','convicted','acquitted'])[1 + (i / 3) %% 5]
    ELSE '' END, now(), '', '', ''
FROM generate_series(1, %(persons)s) i;
INSERT INTO cases_caseperson (case_id, person_id, role, chain_role, status, added_at, person_sex,
    person_age_group, person_citizenship)
SELECT 1 + (i::bigint * 104729) %% %(cases)s, i, 'suspect', '', 'charged', now(), '', '', ''
FROM generate_series(3, %(persons)s, 30) i
ON CONFLICT DO NOTHING;
-- The roles' copies of the person's clear attributes, as CasePerson.save keeps them.
UPDATE cases_caseperson cp SET person_sex = p.sex, person_age_group = p.age_group,
    person_citizenship = p.citizenships ->> 0
FROM cases_person p WHERE p.id = cp.person_id;
-- Consecutive rows of the series (3 and 12, 21 and 30, ...) share a passport.
INSERT INTO cases_identifier (person_id, kind, value, normalised, keyed, country, created_at)
SELECT i, 'passport', 'x', 'x', md5('passport' || (i / 18)::text), 'UZ', now()
FROM generate_series(3, %(persons)s, 9) i;
-- The roles' copy of their person's document key, as CasePerson.save and Identifier.save keep it.
UPDATE cases_caseperson cp SET person_document = d.keyed
FROM (SELECT person_id, MIN(keyed) AS keyed FROM cases_identifier
      WHERE kind IN ('passport', 'national_id') GROUP BY person_id) d
WHERE d.person_id = cp.person_id;

INSERT INTO victims_victim (code, agency_id, given_name, family_name, phone, contact_notes, sex,
    birth_year, nationality, status, caseworker_id, registered_at, exploitation_forms,
    exploitation_country)
SELECT 'B-' || i, %(agency)s, 'x', '', '', '',
    (ARRAY['female','female','male','unknown'])[1 + i %% 4],
    1960 + i %% 55, (ARRAY['UZ','UZ','KG','TJ'])[1 + i %% 4],
    (ARRAY['potential','presumed','identified','identified'])[1 + i %% 4], %(user)s,
    timestamptz '2023-01-01' + ((i * 17) %% 1275) * interval '1 day',
    ('["' || (ARRAY['labour','sexual','begging','domestic'])[1 + i %% 4] || '"]')::jsonb,
    (ARRAY['AE','RU','KZ','UZ','TR'])[1 + i %% 5]
FROM generate_series(1, %(victims)s) i;
INSERT INTO victims_statusdecision (victim_id, status, authority, decided_on, note, recorded_by_id,
    recorded_at)
SELECT v.id, s.status, 'MVD', (v.registered_at)::date + s.n * 20, '', %(user)s, now()
FROM victims_victim v
JOIN (VALUES (1, 'presumed'), (2, 'identified')) s(n, status)
  ON (v.status = 'presumed' AND s.n = 1) OR v.status = 'identified';

INSERT INTO victims_hotlinecall (agency_id, received_at, channel, language, caller_type, summary,
    urgency, outcome, taken_by_id)
SELECT %(agency)s, timestamptz '2023-01-01' + ((i * 11) %% 1275) * interval '1 day',
    (ARRAY['phone','messenger','email','walk_in','web'])[1 + i %% 5], 'uz', 'person', '',
    (ARRAY['routine','urgent','emergency'])[1 + i %% 3],
    (ARRAY['information','screening','referral','case','none'])[1 + (i / 5) %% 5], %(user)s
FROM generate_series(1, %(calls)s) i;
"""


def generate() -> None:
    _database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from tipnet.accounts.actions import do_create_agency, do_create_user
    from tipnet.accounts.models import Agency, User
    from tipnet.cases.models import Case
    from tipnet.mla.models import MlaRequest

    if MlaRequest.objects.exists():
        print("already generated")
        return
    agency = Agency.objects.filter(code="UZ-BENCH").first() or do_create_agency(
        None, "UZ-BENCH", "Bench agency", "UZ"
    )
    user = User.objects.filter(username="bench_analyst").first() or do_create_user(
        None, "bench_analyst", "Correct-horse-battery-9", agency, ["analyst"], "Bench"
    )
    started = time.monotonic()
    params = {"agency": agency.pk, "user": user.pk, "cases": CASES, "persons": PERSONS}
    params |= {"victims": VICTIMS, "calls": CALLS}
    with connection.cursor() as cursor:
        # A run stopped before the MLA requests (the last step) goes on from there.
        for statement in [] if Case.objects.exists() else SQL.split(";\n"):
            if statement.strip():
                cursor.execute(statement, params)
                print(
                    statement.strip().splitlines()[-1][:60], f"{time.monotonic() - started:.0f} s"
                )
        cursor.execute(
            """
INSERT INTO mla_mlarequest (uid, direction, reference, counterpart_ref, requesting_state,
    requested_state, counterpart_node, state, requesting_authority, requested_authority,
    conducting_authority, proceedings, subject, case_number, legal_basis, basis_rule, language,
    channel, urgency, deadline, deadline_reason, confidentiality, facts, offences, purpose,
    procedures, contact_name, contact_email, contact_phone, assurances, annexes, signatory,
    refusal_ground, refusal_reasons, created_at, state_changed_at, submitted_at, received_at,
    decided_at, finished_at, is_off_network)
SELECT md5(i::text)::uuid, CASE WHEN i %% 2 = 0 THEN 'outgoing' ELSE 'incoming' END,
    'MLA-' || i, '',
    CASE WHEN i %% 2 = 0 THEN 'UZ' ELSE (ARRAY['AE','KG','TR','RU'])[1 + i %% 4] END,
    CASE WHEN i %% 2 = 0 THEN (ARRAY['AE','KG','TR','RU'])[1 + i %% 4] ELSE 'UZ' END, '',
    (ARRAY['submitted','executed','refused','under_execution'])[1 + (i / 2) %% 4], '', '', '', '',
    '', '', (ARRAY['UNTOC_18','MINSK_1993','CHISINAU_2002'])[1 + i %% 3], '', '', '', 'routine',
    date '2023-03-01' + (i %% 1200), '', '', '', '', '', '', '', '', '', '', '', '',
    CASE WHEN (i / 2) %% 4 = 2 THEN 'untoc_18_21_b' ELSE '' END, '', now(), now(),
    timestamptz '2023-01-01' + (i %% 1200) * interval '1 day',
    timestamptz '2023-01-05' + (i %% 1200) * interval '1 day',
    timestamptz '2023-03-01' + (i %% 1200) * interval '1 day',
    CASE WHEN (i / 2) %% 4 IN (1, 2) THEN timestamptz '2023-01-01' + (i %% 1200 + 40 + i %% 200)
      * interval '1 day' END, false
FROM generate_series(1, %(mla)s) i
""",
            {"mla": MLA},
        )
        for table in ("cases_case", "cases_person"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 - fixed names
                f"(SELECT max(id) FROM {table}))"
            )
    # VACUUM (outside a transaction) sets the visibility map, as autovacuum would on a live node,
    # so that index-only scans are possible; then ANALYZE.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"generated in {time.monotonic() - started:.0f} s")


def _p(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def _cpu(pid: int) -> float:
    """User and system CPU seconds of a local process (the PostgreSQL backend): a figure that
    the other work on a shared machine does not inflate as much as the wall time."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure() -> None:
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection

    from tipnet.stats import build, exports, indicators
    from tipnet.stats.control import control
    from tipnet.stats.periods import parse

    period = parse(PERIOD)
    print(f"database {URL.rsplit('/', 1)[1]}, period {PERIOD}, {RUNS} cold runs per table")
    print(
        f"{'table family':<22} {'p50 s':>7} {'p95 s':>7} {'CPU s':>7}"
        "   (SQL + control, cache cleared; CPU: median of this process and its PostgreSQL backend)"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    ours: dict[str, object] = {}
    for family, fn in indicators.FAMILIES.items():
        times, cpu = [], []
        for _run in range(RUNS):
            cache.clear()
            cpu_before = _cpu(backend) + time.process_time()
            started = time.perf_counter()
            tables = control(fn(period))
            times.append(time.perf_counter() - started)
            cpu.append(_cpu(backend) + time.process_time() - cpu_before)
        ours[family] = tables
        print(f"{family:<22} {_p(times, 0.5):7.3f} {_p(times, 0.95):7.3f} {_p(cpu, 0.5):7.3f}")
    # A running node has WeasyPrint and matplotlib imported after its first report; here (and
    # more so with PYTHONDONTWRITEBYTECODE, which byte-compiles them on every start) importing
    # them costs seconds that are no part of a report, so they are timed apart.
    started = time.perf_counter()
    import weasyprint  # noqa: F401

    from tipnet.stats import charts

    charts._pyplot()
    imports = time.perf_counter() - started
    print(f"imports of WeasyPrint and matplotlib (once per process): {imports:.2f} s")
    phases = {}
    cache.clear()
    started = time.perf_counter()
    report = build.all_tables(period)
    phases["tables"] = time.perf_counter() - started
    exports.chart_set(report)
    phases["charts"] = time.perf_counter() - started - phases["tables"]
    pdf = exports.report_pdf(report)
    cold = time.perf_counter() - started
    phases["WeasyPrint"] = cold - phases["tables"] - phases["charts"]
    print("report PDF phases: " + ", ".join(f"{k} {v:.2f} s" for k, v in phases.items()))
    started = time.perf_counter()
    report = build.all_tables(period)
    cached = time.perf_counter() - started
    print(
        f"report PDF, cold: {cold:.2f} s ({len(pdf) // 1024} KiB); "
        f"all tables again from the cache: {cached:.3f} s"
    )

    # DuckDB over an export of the same rows, as the peer.
    import duckdb

    folder = Path(tempfile.mkdtemp(prefix="stats-bench-"))
    started = time.perf_counter()
    exported = {
        "cases": "SELECT id, opened_on FROM cases_case",
        "events": "SELECT case_id, kind, occurred_on, stage_to FROM cases_caseevent",
        "roles": "SELECT case_id, person_id, role, status FROM cases_caseperson",
        "persons": "SELECT id, sex, citizenships->>0 AS cit FROM cases_person",
        "docs": "SELECT person_id, kind, keyed FROM cases_identifier",
    }
    with connection.cursor() as cursor:
        for name, query in exported.items():
            copy_sql = f"COPY ({query}) TO STDOUT WITH CSV HEADER"
            with open(folder / f"{name}.csv", "wb") as out, cursor.cursor.copy(copy_sql) as copy:
                for data in copy:
                    out.write(data)
    export_s = time.perf_counter() - started
    db = duckdb.connect()
    for name in exported:
        source = f"read_csv_auto('{folder / name}.csv')"
        db.execute(f"CREATE TABLE {name} AS SELECT * FROM {source}")  # noqa: S608 - our files
    ranges = " OR ".join(f"d BETWEEN DATE '{a}' AND DATE '{b}'" for a, b in period.ranges)
    # The period's own dates, written in by us (no outside input).
    duck_sql = {
        "detected": "SELECT count(*) FROM (SELECT opened_on AS d FROM cases) WHERE RANGES",
        "investigated": """SELECT count(*) FROM (SELECT case_id, min(occurred_on) AS d FROM events
            WHERE kind = 'stage' AND stage_to IN ('investigation','prosecution','trial')
            GROUP BY case_id) WHERE RANGES""",
        "prosecuted": """SELECT count(*) FROM (SELECT case_id, min(occurred_on) AS d FROM events
            WHERE kind = 'stage' AND stage_to IN ('prosecution','trial') GROUP BY case_id)
            WHERE RANGES""",
        "suspected persons": """SELECT count(DISTINCT coalesce(k.keyed, r.person_id::varchar))
            FROM roles r JOIN (SELECT id, opened_on AS d FROM cases) c ON c.id = r.case_id
            LEFT JOIN (SELECT person_id, min(keyed) AS keyed FROM docs
                       WHERE kind IN ('passport','national_id') GROUP BY person_id) k
              ON k.person_id = r.person_id
            WHERE r.role = 'suspect' AND (RANGES)""",
    }
    duck_sql = {k: q.replace("RANGES", ranges) for k, q in duck_sql.items()}
    stages = indicators.case_stage_counts(period)
    persons = sum(
        n for (s, _x, _a, _c), n in indicators.person_counts(period).items() if s == "suspected"
    )
    ours_raw = {
        "detected": stages["detected"],
        "investigated": stages["investigated"],
        "prosecuted": stages["prosecuted"],
        "suspected persons": persons,
    }
    print(f"DuckDB peer: export {export_s:.1f} s, then per figure (tipnet SQL vs DuckDB):")
    for name, query in duck_sql.items():
        started = time.perf_counter()
        value = db.execute(query).fetchone()[0]
        duck_s = time.perf_counter() - started
        mark = "same" if value == ours_raw[name] else "DIFFERENT"
        line = f"  {name:<18} tipnet {ours_raw[name]:>8}  duckdb {value:>8}  {duck_s:.3f} s"
        print(f"{line}  {mark}")


if __name__ == "__main__":
    {"generate": generate, "measure": measure}[sys.argv[1] if len(sys.argv) > 1 else "measure"]()
