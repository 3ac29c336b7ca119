"""Benchmark of the cases pages on PostgreSQL: 100,000 cases and 1,000,000 persons.

    nice -n 10 .venv/bin/python bench/cases/bench.py generate   # once; several minutes
    nice -n 10 .venv/bin/python bench/cases/bench.py measure    # p50/p95 per page

Uses its own database (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/
tipnet_bench_cases), created and migrated when missing. Rows are synthetic and written with COPY
(the do_* actions would spend hours on audit events, which the pages never read). Names come from
syllables, in Cyrillic or in Latin with varying spellings, so name keys are as selective as in a
real register. Requests go through Django's full request stack (middleware, session, views,
templates) in process, warm, as the demo investigator.
"""

import io
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tipnet_bench_cases")
os.environ["DATABASE_URL"] = URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tipnet.settings")

CASES = int(os.environ.get("BENCH_CASES", "100000"))
PERSONS = int(os.environ.get("BENCH_PERSONS", "1000000"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))

# Syllables that make Central Asian-looking (fictional) names, with Cyrillic twins.
SYLLABLES = [
    ("gul", "гул"),
    ("no", "но"),
    ("ra", "ра"),
    ("dil", "дил"),
    ("za", "за"),
    ("ma", "ма"),
    ("li", "ли"),
    ("ka", "ка"),
    ("shuh", "шух"),
    ("rat", "рат"),
    ("bah", "бах"),
    ("ti", "ти"),
    ("yor", "ёр"),
    ("rus", "рус"),
    ("tam", "там"),
    ("ti", "ти"),
    ("mur", "мур"),
    ("ja", "жа"),
    ("sur", "сур"),
    ("u", "у"),
    ("lug", "луг"),
    ("bek", "бек"),
    ("far", "фар"),
    ("ruh", "рух"),
    ("a", "а"),
    ("zam", "зам"),
    ("ni", "ни"),
    ("go", "го"),
    ("fe", "фе"),
    ("ru", "ру"),
    ("se", "се"),
    ("va", "ва"),
    ("o", "о"),
    ("dil", "дил"),
    ("sher", "шер"),
    ("mir", "мир"),
    ("kho", "хо"),
    ("jа", "жа"),
    ("tur", "тур"),
    ("sun", "сун"),
    ("sai", "саи"),
    ("do", "до"),
    ("er", "эр"),
    ("gash", "гаш"),
    ("nos", "нос"),
    ("ir", "ир"),
    ("him", "хим"),
    ("yus", "юс"),
]
ROUTES = [["UZ", "KZ", "RU"], ["KG", "TR"], ["UZ", "AE"], ["TJ", "TH"], ["TJ", "UZ", "TH"]]
FORMS = ["labour", "sexual", "domestic", "criminality", "begging"]
STAGES = ["detection", "investigation", "prosecution", "trial", "closed"]


def _setup():
    import django
    import psycopg

    base, name = URL.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)


def _word(rng, n):
    parts = [rng.choice(SYLLABLES) for _ in range(n)]
    return "".join(p[0] for p in parts).capitalize(), "".join(p[1] for p in parts).capitalize()


def _copy(cursor, table, columns, rows):
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join("\\N" if v is None else str(v) for v in row) + "\n")
    buffer.seek(0)
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        while chunk := buffer.read(1 << 20):
            copy.write(chunk)


def generate():
    import psycopg

    _setup()
    from django.db import connection

    from tipnet.accounts import demo as accounts_demo
    from tipnet.accounts.models import Agency
    from tipnet.cases.models import Case
    from tipnet.cases.names import identifier_key, latin_form, name_keys, sealed_name_keys
    from tipnet.lib.fieldkey import encrypt

    if Case.objects.count() >= CASES:
        print("already generated")
        return
    accounts_demo.load()
    agencies = [Agency.objects.get(code=c).pk for c in ("UZ-MVD", "UZ-GPO")]
    agencies += [
        Agency.objects.get_or_create(code=c, defaults={"name": c, "country": c[:2]})[0].pk
        for c in ("KZ-MVD", "KG-MVD")
    ]
    rng = random.Random(7)  # noqa: S311 - reproducible synthetic data
    given = [_word(rng, rng.randint(2, 3)) for _ in range(400)]
    surnames = [_word(rng, rng.randint(2, 3)) for _ in range(3000)]
    today = date.today()
    started = time.monotonic()
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        case_rows, legs = [], []
        for i in range(1, CASES + 1):
            opened = today - timedelta(days=rng.randint(0, 5 * 365))
            agency = agencies[0] if rng.random() < 0.5 else rng.choice(agencies[1:])
            route = rng.choice(ROUTES)
            case_rows.append(
                (
                    i,
                    f"BENCH-{agency}-{i:07d}",
                    agency,
                    opened.year,
                    i,
                    f"Synthetic case {i}",
                    "",
                    f'["{rng.choice(FORMS)}"]',
                    "",
                    "confidential",
                    rng.choice(STAGES),
                    "",
                    opened,
                    None,
                    "2026-01-01 00:00:00+00",
                    "2026-01-01 00:00:00+00",
                )
            )
            kinds = ["origin"] + ["transit"] * (len(route) - 2) + ["destination"]
            legs += [(i, pos, c, k) for pos, (c, k) in enumerate(zip(route, kinds, strict=True))]
        _copy(
            cursor,
            "cases_case",
            [
                "id",
                "reference",
                "agency_id",
                "year",
                "serial",
                "title",
                "offence_articles",
                "exploitation_forms",
                "summary",
                "confidentiality",
                "stage",
                "outcome",
                "opened_on",
                "created_by_id",
                "created_at",
                "updated_at",
            ],
            case_rows,
        )
        _copy(cursor, "cases_routeleg", ["case_id", "position", "country", "kind"], legs)
        print(f"cases: {time.monotonic() - started:.0f} s")
        batch = 100_000
        for start in range(1, PERSONS + 1, batch):
            persons, keys, roles, idents = [], [], [], []
            for pid in range(start, min(start + batch, PERSONS + 1)):
                g, s = rng.choice(given), rng.choice(surnames)
                script = 1 if rng.random() < 0.4 else 0
                name = f"{g[script]} {s[script]}"
                role = rng.choice(["victim", "suspect", "witness"])
                # Stored as the actions store them: names encrypted, a victim's keys keyed.
                persons.append(
                    (
                        pid,
                        encrypt(name),
                        encrypt(latin_form(name)),
                        "unknown",
                        None,
                        None,
                        None,
                        "",
                        "[]",
                        role == "victim",
                        None,
                        "2026-01-01 00:00:00+00",
                        "",
                    )
                )
                person_keys = name_keys(name)
                if role == "victim":
                    person_keys = sealed_name_keys(person_keys)
                keys += [(pid, k) for k in person_keys]
                roles.append(
                    (
                        rng.randint(1, CASES),
                        pid,
                        role,
                        "",
                        "",
                        "2026-01-01 00:00:00+00",
                        "unknown",
                        "",
                        "",
                    )
                )
                if rng.random() < 0.3:
                    idents.append(
                        (
                            pid,
                            "phone",
                            encrypt(f"+99890{pid:07d}"),
                            encrypt(f"+99890{pid:07d}"),
                            identifier_key(f"+99890{pid:07d}"),
                            "",
                            "2026-01-01 00:00:00+00",
                        )
                    )
            _copy(
                cursor,
                "cases_person",
                [
                    "id",
                    "full_name",
                    "latin_name",
                    "sex",
                    "birth_year",
                    "birth_month",
                    "birth_day",
                    "birth_precision",
                    "citizenships",
                    "is_sealed",
                    "created_by_id",
                    "created_at",
                    "age_group",
                ],
                persons,
            )
            _copy(cursor, "cases_personnamekey", ["person_id", "key"], keys)
            _copy(
                cursor,
                "cases_caseperson",
                [
                    "case_id",
                    "person_id",
                    "role",
                    "chain_role",
                    "status",
                    "added_at",
                    # the copies of the person's sex, age group and citizenship (statistics)
                    "person_sex",
                    "person_age_group",
                    "person_citizenship",
                ],
                roles,
            )
            _copy(
                cursor,
                "cases_identifier",
                ["person_id", "kind", "value", "normalised", "keyed", "country", "created_at"],
                idents,
            )
            print(f"persons {pid}: {time.monotonic() - started:.0f} s", flush=True)
        cursor.execute("SELECT setval(pg_get_serial_sequence('cases_case', 'id'), %s)", [CASES])
        cursor.execute("SELECT setval(pg_get_serial_sequence('cases_person', 'id'), %s)", [PERSONS])
    # As autovacuum would soon after a bulk load: statistics, and the visibility map that lets
    # counts and lookups read the indexes alone.
    connection.close()
    with psycopg.connect(URL.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    print(f"generated in {time.monotonic() - started:.0f} s")


def _time(client, paths) -> tuple[float, float]:
    for path in paths[:20]:  # warm-up
        client.get(path)
    times = []
    for path in paths:
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def measure():
    _setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    from tipnet.accounts.models import User
    from tipnet.cases.access import visible_cases
    from tipnet.cases.models import Person

    setup_test_environment()
    user = User.objects.get(username="investigator")
    client = Client()
    client.force_login(user)
    rng = random.Random(11)  # noqa: S311 - reproducible choice of pages
    ids = list(visible_cases(user).values_list("pk", flat=True)[:: max(1, CASES // 2000)])
    names = list(
        Person.objects.filter(
            pk__in=[rng.randint(1, PERSONS) for _ in range(REQUESTS * 4)]
        ).values_list("full_name", flat=True)
    )
    cyrillic = [n for n in names if any("а" <= ch <= "я" for ch in n.lower())][:REQUESTS]
    latin = [n for n in names if n.isascii()][:REQUESTS]
    pages = {
        "case list, filtered (stage + form + country)": [
            f"/cases/?stage={rng.choice(STAGES)}&form={rng.choice(FORMS)}&country="
            f"{rng.choice(['KZ', 'TR', 'AE', 'TH'])}&page={rng.randint(1, 5)}"
            for _ in range(REQUESTS)
        ],
        "person search, Latin name": [f"/cases/persons/?q={n}" for n in latin],
        "person search, Cyrillic name": [f"/cases/persons/?q={n}" for n in cyrillic],
        "case page": [f"/cases/{rng.choice(ids)}/" for _ in range(REQUESTS)],
    }
    print(f"{CASES} cases, {PERSONS} persons; {REQUESTS} warm requests per page")
    for label, paths in pages.items():
        p50, p95 = _time(client, paths)
        print(f"{label:<48} n={len(paths):<4} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms")


if __name__ == "__main__":
    {"generate": generate, "measure": measure}[sys.argv[1]]()
