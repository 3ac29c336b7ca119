"""The standing sweep: every page and every API operation, tried by every persona on another
agency's records and on missing ones.

Each URL pattern (walked through the nested resolvers) and each operation of the OpenAPI document
is called with its path parameters naming (a) a record of an agency no persona belongs to and
(b) a record that does not exist. A signed-in persona who may not reach the record gets 404 for
both, an anonymous caller the login page (pages) or 401 (API); nothing is written but the audit
event of a refused attempt; nothing answers 5xx; and no response, whatever its format (HTML,
JSON, CSV, PDF, DOCX, XLSX), names a marker of the other agency's records.

A new page or operation is swept without a new test; a path parameter this module does not know
fails the sweep, so that nothing is skipped in silence: add it to PARAMS below.
"""

import functools
import hashlib
import itertools
import json
import re
from dataclasses import dataclass
from io import BytesIO

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import login_client, make_user
from tipnet.accounts.actions import do_create_token
from tipnet.accounts.models import Agency, ApiRateCount
from tipnet.api import api
from tipnet.audit.models import AuditEvent, AuditHead

from .sweep_fixtures import (
    MARKERS,
    MISSING_INT,
    PROBE,
    app_sweeps,
    body_text,
    build_world,
    markers_in,
)

# What it checks (access over HTTP, every page and operation) does not depend on the database,
# so one pass runs it (the SQLite pass).
pytestmark = pytest.mark.once

ALL = "signed-in"
ANONYMOUS = "anonymous"
PERSONAS = [
    ANONYMOUS,
    "investigator",
    "prosecutor",
    "central_authority",
    "caseworker",
    "analyst",
    "node_admin",
    "outsider",
]


@dataclass(frozen=True)
class Param:
    """How to fill one path parameter.

    `other` is a key of World.ids (a record of the other agency) or, with `fixed`, the values
    themselves (a format, a wizard step: not a record). `open_to` lists the personas who may
    reach the other agency's record by design (ALL: anyone signed in, for directory and
    reference data).
    """

    other: str | tuple
    missing: object = MISSING_INT
    open_to: tuple = ()
    fixed: bool = False


# Looked up as "<segment before it>/<name>", then "<app>:<name>", then "<name>".
PARAMS = {
    "case_id": Param("case"),
    "row_id": Param("row"),
    "grant_id": Param("grant"),
    "document_id": Param("document"),
    "request_id": Param("request"),
    "mla:person_id": Param("mla_person"),
    "measure_id": Param("measure"),
    "file_id": Param("mla_file"),
    "victims/code": Param("victim", missing="missing_victim"),
    "consent_id": Param("consent"),
    "goal_id": Param("goal"),
    "follow_up_id": Param("follow_up"),
    "plan_id": Param("plan"),
    "referral_id": Param("referral"),
    "hand_over_id": Param("hand_over"),
    "token_id": Param("token"),
    # Node administrators manage every user of the node.
    "user_id": Param("user", open_to=("node_admin",)),
    # The SOP checklist is the node's, not an agency's.
    "step_id": Param("sop_step", open_to=(ALL,)),
    # The directory and the treaty data are read by everyone signed in.
    "agency_id": Param("directory_agency", open_to=(ALL,)),
    "contact_id": Param("contact", open_to=(ALL,)),
    "event_id": Param("event", open_to=(ALL,)),
    "participant_id": Param("participant", open_to=(ALL,)),
    "networks/code": Param("network", missing="no-such-network", open_to=(ALL,)),
    "countries/code": Param(("TJ",), missing="QQ", open_to=(ALL,), fixed=True),
    "guides/code": Param(("UZ",), missing="QQ", open_to=(ALL,), fixed=True),
    "treaties/country": Param(("AE",), missing="QQ", open_to=(ALL,), fixed=True),
    "instrument": Param(("UNTOC",), fixed=True),
    "deadlines/basis": Param(("UNTOC_18",), missing="NO_SUCH", open_to=(ALL,), fixed=True),
    # Not records: one value each (every value for a letter's format).
    "mla:step": Param(("facts",), fixed=True),
    "mla:name": Param(("withdraw",), fixed=True),
    "fmt": Param(("pdf", "docx"), fixed=True),
}
# An app's sweep module gives its parameters as dicts of Param's fields ("signed-in" for ALL).
for _module in app_sweeps():
    PARAMS |= {name: Param(**spec) for name, spec in getattr(_module, "PARAMS", {}).items()}

# Query parameters: a required one must be known here; `q` always probes for a marker.
# Filters by the other agency's code and country probe the lists as well.
QUERY = {"q": PROBE, "step": "facts", "depth": 1, "requesting": "UZ", "requested": "AE"}
QUERY |= {"agency": "TJ-GPO", "country": "TJ"}
# The directory's executing-authority finder needs a measure (tipnet/mla/measures.py).
QUERY |= {"measure": "evidence"}
# Query parameters whose every enumerated value is tried (a letter in each format).
ENUMERATED_QUERY = ("format",)

# Tables a read may touch without writing data: sessions, the cache and the API's rate counter
# (every call, refused or not, counts against its client's window); API tokens are counted, not
# compared (a call marks its token's last use); the audit log is checked on its own (only refused
# attempts may be added).
UNCHECKED_TABLES = {"django_session", "tipnet_cache", ApiRateCount._meta.db_table}
COUNTED_TABLES = {"accounts_apitoken"}
# Where other nodes deliver messages: a refused delivery is kept in the message log by design.
REFUSALS_LOGGED = {"/exchange/inbox/", "/exchange/inbox/batch/"}


@dataclass
class Call:
    """One thing to call: a page or an API operation, with its parameters."""

    kind: str  # "page" or "api"
    method: str
    route: str  # the pattern or the OpenAPI path, for messages
    params: list[tuple[str, Param | None]]
    operation: dict | None = None

    @property
    def label(self) -> str:
        return f"{self.method} {self.route}"


def _lookup(name: str, before: str, app: str) -> Param | None:
    for key in (f"{before}/{name}", f"{app}:{name}", name):
        if key in PARAMS:
            return PARAMS[key]
    return None


PAGE_PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>\w+)>")
API_PARAM = re.compile(r"{(?P<name>\w+)}")


def _params(route: str, pattern: re.Pattern, app: str) -> list[tuple[str, Param | None]]:
    found = []
    for match in pattern.finditer(route):
        before = route[: match.start()].rstrip("/").rsplit("/", 1)[-1]
        found.append((match["name"], _lookup(match["name"], before, app)))
    return found


def _walk(patterns, prefix: str = "", app: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(
                entry.url_patterns, prefix + str(entry.pattern), entry.namespace or app
            )
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), app


def _as_openapi(route: str) -> str:
    return "/" + PAGE_PARAM.sub(lambda m: "{" + m["name"] + "}", route)


@functools.cache
def api_schema() -> dict:
    get_resolver().url_patterns  # noqa: B018  (the URLconf adds the apps' routers to the API)
    return api.get_openapi_schema()


def collect_calls() -> list[Call]:
    """Every URL pattern (not the API's operations, taken from the OpenAPI document) and every
    OpenAPI operation."""
    schema = api_schema()
    calls = []
    for route, app in _walk(get_resolver().url_patterns):
        if app == "api" and _as_openapi(route).rstrip("/") in _api_paths(schema):
            continue
        if not route.startswith(("static", "media")):
            params = _params(route, PAGE_PARAM, app)
            calls.append(Call("page", "GET", "/" + route, params))
            if params:  # a page that names a record is also posted to (an empty form)
                calls.append(Call("page", "POST", "/" + route, params))
    for path, operations in schema["paths"].items():
        app = path.split("/")[2] if path.count("/") > 1 else ""
        for method, operation in operations.items():
            params = _params(path, API_PARAM, app)
            calls.append(Call("api", method.upper(), path, params, operation))
    return calls


def _api_paths(schema) -> set[str]:
    return {p.rstrip("/") for p in schema["paths"]}


# ---------------------------------------------------------------------------------------------
# Request bodies from the OpenAPI document


def _example(schema: dict, components: dict, name: str = ""):
    if "$ref" in schema:
        return _example(components[schema["$ref"].rsplit("/", 1)[-1]], components, name)
    for key in ("allOf", "anyOf", "oneOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"] or schema[key]
            return _example(options[0], components, name)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type", "object")
    if kind == "object":
        props = schema.get("properties", {})
        return {k: _example(props[k], components, k) for k in schema.get("required", [])}
    if kind == "array":
        return [_example(schema.get("items", {}), components, name)] * schema.get("minItems", 0)
    if kind == "integer":
        return max(schema.get("minimum", 1), 1)
    if kind == "number":
        return max(schema.get("minimum", 1), 1)
    if kind == "boolean":
        return False
    if kind == "null":
        return None
    return _string(schema, name)


def _string(schema: dict, name: str) -> str:
    fmt = schema.get("format", "")
    if fmt == "date":
        return "2026-01-05"
    if fmt == "date-time":
        return "2026-01-05T10:00:00Z"
    if fmt == "email" or "email" in name:
        return "someone@example.org"
    if "country" in name or "state" in name:
        return "AE"
    if "phone" in name:
        return "+998901234567"
    if "language" in name or name == "lang":
        return "en"
    plain = "x" * max(schema.get("minLength", 1), 1)
    pattern = schema.get("pattern")
    if pattern is None:
        return plain
    alternatives = re.fullmatch(r"\^\(([\w|]+)\)\$", pattern)
    if alternatives:  # such as ^(accept|decline)$
        return alternatives[1].split("|")[0]
    for candidate in (plain, "AE", "en", "2026-01-05", "x" * 8):
        if re.search(pattern, candidate):
            return candidate
    return plain


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("a.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")


def request_body(operation: dict, components: dict):
    """(content type, body) for an operation: a minimal valid body from its schema, or None."""
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        body = _example(content["application/json"]["schema"], components)
        return "application/json", body
    if "multipart/form-data" in content:
        schema = content["multipart/form-data"]["schema"]
        schema = components.get(schema.get("$ref", "").rsplit("/", 1)[-1], schema)
        data = {}
        for name, prop in schema.get("properties", {}).items():
            if prop.get("format") == "binary":
                data[name] = _pdf()
            elif name in schema.get("required", []):
                data[name] = _example(prop, components, name)
        return "multipart/form-data", data
    return None, None


# ---------------------------------------------------------------------------------------------
# Writing nothing: a fingerprint of every table


def _tables() -> list[str]:
    names = {m._meta.db_table for m in apps.get_models(include_auto_created=True)}
    names -= {AuditEvent._meta.db_table, AuditHead._meta.db_table}
    return sorted(n for n in names if n not in UNCHECKED_TABLES)


def fingerprint(tables: list[str]) -> dict[str, str]:
    """A digest of every row of every table (the audit log aside)."""
    digests = {}
    with connection.cursor() as cursor:
        for table in tables:
            what = "COUNT(*)" if table in COUNTED_TABLES else "*"
            sql = f"SELECT {what} FROM {connection.ops.quote_name(table)} ORDER BY 1"  # noqa: S608
            cursor.execute(sql)
            digests[table] = hashlib.sha256(repr(cursor.fetchall()).encode()).hexdigest()
    return digests


def _audit_seq() -> int:
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def _writes(before: dict, after: dict, since: int) -> tuple[list[str], list[str]]:
    """(tables changed, tags of the audit events added) since the fingerprint `before`."""
    changed = [t for t in before if before[t] != after[t]]
    added = list(AuditEvent.objects.filter(seq__gt=since).values_list("tag", flat=True))
    return changed, added


# ---------------------------------------------------------------------------------------------
# The world and the personas


def _personas() -> dict:
    uz_mvd = Agency.objects.create(code="UZ-MVD", name="Internal Affairs", country="UZ")
    uz_gpo = Agency.objects.create(code="UZ-GPO", name="Prosecutor's Office", country="UZ")
    ae_moj = Agency.objects.create(code="AE-MOJ", name="Ministry of Justice", country="AE")
    uz_ngo = Agency.objects.create(code="UZ-NGO", name="Shelter (fictional)", country="UZ")
    kg_mvd = Agency.objects.create(code="KG-MVD", name="Internal Affairs", country="KG")
    users = {
        "investigator": make_user("ivan_investigator", uz_mvd, "investigator"),
        "analyst": make_user("anna_analyst", uz_mvd, "analyst"),
        "prosecutor": make_user("pavel_prosecutor", uz_gpo, "prosecutor"),
        "central_authority": make_user("amira_central", ae_moj, "central_authority"),
        "caseworker": make_user("kamila_caseworker", uz_ngo, "caseworker"),
        "outsider": make_user("oleg_outsider", kg_mvd, "investigator"),
        "node_admin": make_user("nadia_admin", uz_gpo, "node_admin"),
    }
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=users["node_admin"], name="default", confirmed=True)
    return users


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """One data set for the whole module, rolled back at its end."""
    keys = tmp_path_factory.mktemp("sweep-keys")
    with (
        django_db_blocker.unblock(),
        override_settings(
            TIPNET_FIELD_KEY_FILE=str(keys / "field.key"),
            TIPNET_EXCHANGE_KEY_DIR=str(keys / "exchange"),
        ),
    ):
        # The field key is read once per path: a key file of its own needs no cache clearing.
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = build_world()
            built.users = _personas()
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# ---------------------------------------------------------------------------------------------
# Calling


def _value(param: Param, variant: str, ids: dict):
    if variant == "missing":
        return (
            ids.get(param.missing, param.missing)
            if isinstance(param.missing, str)
            else (param.missing)
        )
    return ids[param.other]


def _is_open(params, persona: str) -> bool:
    """True when the persona may reach every record the call names (directory, reference data)."""
    records = [p for _name, p in params if not p.fixed or p.open_to]
    return persona != ANONYMOUS and all(ALL in p.open_to or persona in p.open_to for p in records)


def _known(call: Call) -> list[tuple[str, Param]]:
    """The call's parameters, every one known (calls with an unknown one are not swept)."""
    known = [(n, p) for n, p in call.params if p is not None]
    assert len(known) == len(call.params), f"{call.label} has an unknown parameter"
    return known


def expand(call: Call, ids: dict):
    """(variant, pairing key, path, query) for each way of calling: other ids and missing ids,
    every fixed value and every enumerated query value."""
    params = _known(call)
    fixed = [(n, p.other) for n, p in params if p.fixed]
    combos = list(itertools.product(*[values for _n, values in fixed])) or [()]
    has_records = any(not p.fixed or p.open_to for _n, p in params)
    variants = ["other", "missing"] if has_records else ["plain"]
    for variant, combo in itertools.product(variants, combos):
        chosen = dict(zip([n for n, _v in fixed], combo, strict=True))
        path = call.route
        for name, param in params:
            if param.fixed and not (variant == "missing" and param.open_to):
                value = chosen[name]
            else:
                value = _value(param, variant if variant != "plain" else "other", ids)
            path = _substitute(call, path, name, value)
        for query in _queries(call, has_records):
            yield variant, (combo, tuple(sorted(query.items()))), path, query


def _substitute(call: Call, path: str, name: str, value) -> str:
    if call.kind == "api":
        return path.replace("{" + name + "}", str(value))
    return PAGE_PARAM.sub(lambda m: str(value) if m["name"] == name else m[0], path, count=0)


def _queries(call: Call, has_records: bool):
    if call.kind == "page":
        yield {} if has_records else {"q": PROBE}
        return
    assert call.operation is not None  # every API call has its OpenAPI operation
    base, enumerated = {}, []
    for param in call.operation.get("parameters", []):
        if param["in"] != "query":
            continue
        name = param["name"]
        if name in ENUMERATED_QUERY:
            enum = _enum(param.get("schema", {}))
            enumerated.append([(name, v) for v in enum] or [(name, None)])
        elif name in QUERY:
            base[name] = QUERY[name]
        elif param.get("required"):
            base[name] = f"UNKNOWN QUERY PARAMETER {name}"
    for combo in itertools.product(*enumerated) if enumerated else [()]:
        yield base | {k: v for k, v in combo if v is not None}


def _enum(schema: dict) -> list:
    for key in ("anyOf", "oneOf"):
        for option in schema.get(key, []):
            if "enum" in option:
                return option["enum"]
    return schema.get("enum", [])


class Caller:
    """Clients for one persona: a session for pages, a token for the API."""

    def __init__(self, persona: str, users: dict):
        self.persona = persona
        self.user = users.get(persona)
        self.api = Client()
        self.page = Client()
        if self.user is not None:
            _token, raw = do_create_token(self.user, "sweep", 1)
            self.api = Client(headers={"Authorization": f"Bearer {raw}"})
            self.page = login_client(self.user)

    def call(self, call: Call, path: str, query: dict, components: dict):
        cache.clear()  # the API throttle counts in the cache: the sweep is not a flood
        if call.kind == "page" and call.method == "POST":
            response = self.page.post(path, query)
            self._stay_signed_in()
            return response
        if call.kind == "page":
            response = self.page.get(path, query)
            if response.status_code == 405 and not call.params:
                response = self.page.post(path, query)
            self._stay_signed_in()
            return response
        assert call.operation is not None  # every API call has its OpenAPI operation
        content_type, body = request_body(call.operation, components)
        if query:
            path = path + "?" + "&".join(f"{k}={v}" for k, v in query.items())
        client = self.api
        if content_type == "multipart/form-data":
            return client.generic(call.method, path, **_multipart(client, body))
        if content_type == "application/json":
            return client.generic(
                call.method, path, json.dumps(body), content_type="application/json"
            )
        return client.generic(call.method, path)

    def _stay_signed_in(self) -> None:
        # The logout page signs the client out; sign in again so the sweep goes on as the persona.
        if self.user is not None and "_auth_user_id" not in self.page.session:
            self.page = login_client(self.user)


def _multipart(client: Client, data: dict) -> dict:
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    return {"data": encode_multipart(BOUNDARY, data), "content_type": MULTIPART_CONTENT}


# ---------------------------------------------------------------------------------------------
# Judging


def _denied(call: Call, persona: str, response) -> bool:
    status = response.status_code
    if call.kind == "page" and call.method == "GET" and status == 405:
        return True  # a form's target, which the POST call tries
    if persona != ANONYMOUS:
        return status == 404
    if call.kind == "api":
        return status == 401
    login = reverse("accounts:login")
    return status == 302 and response["Location"].startswith(login)


def judge(call, persona, variant, path, response, writes) -> list[str]:
    problems = []
    where = f"{persona} {call.method} {path} [{variant}]"
    status = response.status_code
    if status >= 500:
        problems.append(f"{where}: {status} server error")
    found = markers_in(body_text(response))
    if found:
        problems.append(f"{where}: {status} names another agency's record ({', '.join(found)})")
    has_records = variant != "plain"
    guarded = has_records and not (_is_open(call.params, persona) and variant == "other")
    if guarded and not _denied(call, persona, response):
        expected = "404" if persona != ANONYMOUS else ("401" if call.kind == "api" else "login")
        problems.append(f"{where}: {status}, expected {expected}")
    tables, tags = writes
    if guarded:
        # A refused attempt leaves its audit event, and nothing else.
        wrote = tables + [f"audit event {t}" for t in tags if not t.endswith(":denied")]
    elif 400 <= status < 500 and call.route not in REFUSALS_LOGGED:
        wrote = tables  # an attempt may be audited, but a refused write stores no data
    else:
        wrote = []
    if wrote:
        problems.append(f"{where}: {status} but wrote {', '.join(wrote)}")
    return problems


def sweep(world, persona: str, calls: list[Call]) -> tuple[list[str], int]:
    caller = Caller(persona, world.users)
    components = api_schema().get("components", {}).get("schemas", {})
    tables = _tables()
    problems, count = [], 0
    before = fingerprint(tables)
    for call in calls:
        statuses: dict = {}
        for variant, key, path, query in expand(call, world.ids):
            since = _audit_seq()
            response = caller.call(call, path, query, components)
            count += 1
            after = fingerprint(tables)
            writes = _writes(before, after, since)
            before = after
            problems += judge(call, persona, variant, path, response, writes)
            statuses.setdefault(key, {})[variant] = _answer(call, response)
        problems += _same_for_both(call, persona, statuses)
    return problems, count


def _answer(call: Call, response):
    if call.kind == "api":
        return response.status_code, response.content
    # A login redirect names the page asked for in `next`: compare where it leads, not that.
    return response.status_code, response.get("Location", "").split("?")[0]


def _same_for_both(call: Call, persona: str, statuses: dict) -> list[str]:
    if _is_open(call.params, persona):
        return []
    problems = []
    for key, pair in statuses.items():
        if "other" in pair and "missing" in pair and pair["other"] != pair["missing"]:
            problems.append(
                f"{persona} {call.label} {key}: another agency's record answers "
                f"{pair['other'][0]}, a missing one {pair['missing'][0]}, or their bodies "
                "differ (existence leaks)"
            )
    return problems


# ---------------------------------------------------------------------------------------------
# The tests


def test_every_path_parameter_of_every_page_and_operation_is_known():
    unknown = [
        f"{c.label}: {name}" for c in collect_calls() for name, param in c.params if param is None
    ]
    assert not unknown, "add these path parameters to PARAMS in tests/test_sweep.py:\n" + "\n".join(
        unknown
    )


def test_every_required_query_parameter_is_known():
    unknown = [
        f"{c.label}: {p['name']}"
        for c in collect_calls()
        if c.kind == "api"
        for p in c.operation.get("parameters", [])
        if p["in"] == "query" and p.get("required") and p["name"] not in (*QUERY, *ENUMERATED_QUERY)
    ]
    assert not unknown, "add these query parameters to QUERY in tests/test_sweep.py:\n" + "\n".join(
        unknown
    )


@pytest.mark.slow
@pytest.mark.parametrize("persona", PERSONAS)
def test_no_persona_reaches_another_agencys_records_anywhere(world, db, persona):
    calls = [c for c in collect_calls() if all(p is not None for _n, p in c.params)]
    problems, count = sweep(world, persona, calls)
    patterns = len({c.route for c in calls if c.kind == "page"})
    operations = sum(c.kind == "api" for c in calls)
    print(f"sweep {persona}: {patterns} URL patterns, {operations} operations, {count} calls")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_the_sweep_reads_markers_inside_pdf_docx_xlsx_and_csv(world, db):
    from django.http import HttpResponse
    from openpyxl import Workbook

    owner = login_client(world.owner)
    letters = {
        fmt: owner.get(f"/mla/{world.ids['request']}/letter.{fmt}") for fmt in ("pdf", "docx")
    }
    book = Workbook()
    book.active.append(["code", MARKERS["victim"]])
    sheet = BytesIO()
    book.save(sheet)
    csv = HttpResponse(f"code,name\nV-1,{MARKERS['victim']}\n", content_type="text/csv")
    xlsx = HttpResponse(sheet.getvalue(), content_type="application/vnd.ms-excel")
    for name, response in [*letters.items(), ("xlsx", xlsx), ("csv", csv)]:
        assert response.status_code == 200, name
        assert markers_in(body_text(response)), f"no marker read in the {name} body"


def test_the_sweep_finds_a_leak_when_an_access_rule_breaks(world, db, monkeypatch):
    from tipnet.cases import access
    from tipnet.cases.models import Case

    monkeypatch.setattr(access, "visible_cases", lambda user: Case.objects.all())
    monkeypatch.setattr(access, "_may_read", lambda user, case: True)
    calls = [
        c for c in collect_calls() if c.route in ("/cases/<int:case_id>/", "/api/cases/{case_id}")
    ]
    problems, _count = sweep(world, "outsider", calls)
    assert any("names another agency's record" in p for p in problems)
    assert any("expected 404" in p for p in problems)
    assert any("existence leaks" in p for p in problems)


def test_the_sweep_finds_a_write_made_by_a_refused_read(world, db, monkeypatch):
    from tipnet.cases import access

    decide = access._may_read

    def decide_and_write(*args, **kwargs):
        Agency.objects.get_or_create(code="XX-LEAK", name="Written by a read", country="XX")
        return decide(*args, **kwargs)

    monkeypatch.setattr(access, "_may_read", decide_and_write)
    calls = [c for c in collect_calls() if c.route == "/api/cases/{case_id}"]
    problems, _count = sweep(world, "outsider", calls)
    assert any("but wrote accounts_agency" in p for p in problems)
