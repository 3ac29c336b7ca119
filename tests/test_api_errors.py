"""Every API error has one shape: {"error": {"code", "message", "details"}}."""

import ast
import json
from pathlib import Path

import pytest
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from tipnet import api as api_module
from tipnet.accounts import api as accounts_api
from tipnet.cases.models import Case, Document
from tipnet.cases.tests.factories import make_case
from tipnet.cases.validation import country_code


def _assert_shape(response, status, code):
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert isinstance(body["error"]["details"], list)
    return body["error"]


def test_a_request_without_a_token_gets_401(db):
    _assert_shape(Client().get("/api/accounts/me"), 401, "unauthenticated")


def test_a_forged_token_gets_401(db):
    forged = Client(headers={"Authorization": "Bearer tpn_" + "A" * 43})
    _assert_shape(forged.get("/api/accounts/me"), 401, "unauthenticated")


def test_an_unknown_path_gets_404_in_the_same_shape(investigator, api_as):
    _assert_shape(api_as(investigator).get("/api/no-such-thing"), 404, "not_found")


def test_a_server_error_gets_500_in_the_same_shape(investigator, api_as, monkeypatch):
    def explode(user):
        raise RuntimeError("boom")

    monkeypatch.setattr(accounts_api, "me_payload", explode)
    error = _assert_shape(api_as(investigator).get("/api/accounts/me"), 500, "server_error")
    assert "boom" not in error["message"]


def test_too_many_requests_get_429(investigator, api_as, monkeypatch):
    monkeypatch.setattr(api_module.api.throttle[0], "num_requests", 2)
    monkeypatch.setattr(api_module, "_now", lambda: 1_800_000_000.0)  # no window's edge between
    client = api_as(investigator)
    assert client.get("/api/accounts/me").status_code == 200
    assert client.get("/api/accounts/me").status_code == 200
    _assert_shape(client.get("/api/accounts/me"), 429, "throttled")


def test_the_openapi_document_and_docs_are_served(db):
    spec = Client().get("/api/openapi.json").json()
    assert "/api/accounts/me" in spec["paths"]
    assert Client().get("/api/docs").status_code == 200


# Hostile input answers 4xx in the one shape, never 500.

HUGE = "9223372036854775808"  # one past the largest 64-bit integer
LISTS = [
    "/api/cases/",
    "/api/mla/requests",
    "/api/directory/countries",
    "/api/directory/agencies",
    "/api/directory/contacts",
    "/api/directory/networks",
    "/api/directory/guides",
    "/api/directory/events",
    "/api/victims/",
    "/api/victims/offers",
    "/api/victims/referrals",
    "/api/victims/hotline",
    "/api/victims/hand-overs",
]


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("query", [f"offset={HUGE}", "offset=-1", f"limit={HUGE}", "limit=0"])
def test_a_page_out_of_bounds_is_refused_with_422(prosecutor, api_as, path, query):
    error = _assert_shape(api_as(prosecutor).get(f"{path}?{query}"), 422, "invalid")
    assert error["details"][0]["field"] in ("offset", "limit")


def test_the_largest_offset_allowed_answers_an_empty_page(investigator, api_as):
    response = api_as(investigator).get(f"/api/cases/?offset={api_module.MAX_OFFSET}")
    assert response.status_code == 200
    assert response.json()["items"] == []


@pytest.mark.parametrize("path", ["/api/cases/" + HUGE, "/api/directory/agencies/-" + HUGE])
def test_an_id_out_of_range_is_not_found(investigator, api_as, path):
    assert api_as(investigator).get(path).status_code in (404, 422)


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
def test_a_json_body_over_the_request_limit_gets_413(investigator, api_as):
    body = json.dumps({"title": "x" * 2000})
    response = api_as(investigator).post("/api/cases/", body, content_type="application/json")
    _assert_shape(response, 413, "too_large")
    assert not Case.objects.exists()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
def test_an_upload_over_the_request_limit_gets_413_and_stores_nothing(investigator, api_as):
    case = make_case(investigator)
    upload = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n" + b"0" * 4096, "application/pdf")
    response = api_as(investigator).post(
        f"/api/cases/{case.pk}/documents", {"title": "Scan", "file": upload}
    )
    _assert_shape(response, 413, "too_large")
    assert not Document.objects.exists()


@override_settings(TIPNET_CASE_DOCUMENT_MAX_MB=0)
def test_a_document_over_the_document_limit_gets_413(investigator, api_as):
    case = make_case(investigator)
    upload = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n", "application/pdf")
    response = api_as(investigator).post(
        f"/api/cases/{case.pk}/documents", {"title": "Scan", "file": upload}
    )
    _assert_shape(response, 413, "too_large")
    assert not Document.objects.exists()


@pytest.mark.parametrize("path", ["/api/cases/import", "/api/cases/{id}/documents"])
def test_multipart_without_a_boundary_gets_400(investigator, api_as, path):
    case = make_case(investigator)
    response = api_as(investigator).post(
        path.format(id=case.pk), b"--x\r\n", content_type="multipart/form-data"
    )
    _assert_shape(response, 400, "bad_request")


def test_a_misspelt_filter_is_refused_not_ignored(investigator, api_as):
    error = _assert_shape(api_as(investigator).get("/api/cases/?stgae=trial"), 422, "invalid")
    assert error["details"] == [
        {"field": "stgae", "message": "This operation takes no such parameter."}
    ]
    assert api_as(investigator).get("/api/cases/?stage=trial&limit=5&offset=0").status_code == 200


# An action's refusal (Django's ValidationError) reaches the client through one handler.


def test_an_actions_refusal_answers_422_naming_the_field_it_names(investigator, api_as):
    with pytest.raises(DjangoValidationError) as refused:
        country_code("QQ")
    route = [{"country": "QQ", "kind": "origin"}]
    response = api_as(investigator).post(
        "/api/cases/", {"title": "X", "route": route}, content_type="application/json"
    )
    error = _assert_shape(response, 422, "invalid")
    assert error["message"] == "The request is not valid."
    assert error["details"] == [{"field": "route", "message": " ".join(refused.value.messages)}]
    assert not Case.objects.exists()


def test_the_one_handler_joins_a_fields_messages_and_names_no_field_for_the_rest(rf):
    refusal = DjangoValidationError(
        {"title": ["Too long.", "One line."], NON_FIELD_ERRORS: ["No."]}
    )
    response = api_module.api.on_exception(rf.post("/api/cases/"), refusal)
    assert response.status_code == 422
    assert json.loads(response.content) == {
        "error": {
            "code": "invalid",
            "message": "The request is not valid.",
            "details": [
                {"field": "title", "message": "Too long. One line."},
                {"field": "", "message": "No."},
            ],
        }
    }
    plain = api_module.api.on_exception(rf.post("/api/mla/"), DjangoValidationError("Closed."))
    assert json.loads(plain.content)["error"]["details"] == [{"field": "", "message": "Closed."}]


API_MODULES = sorted(Path(api_module.__file__).parent.glob("*/api.py"))


# What a handler of Django's ValidationError may raise: Django's own (re-raised under a field
# name), for the one handler to answer, or ValueError, as a pydantic validator must.
ALLOWED = ("DjangoValidationError(", "ValueError(")


def _converting_handlers(path: Path) -> list[int]:
    """Lines where an `except` of Django's ValidationError raises what is not ALLOWED."""
    found = []
    for handler in ast.walk(ast.parse(path.read_text())):
        if not (isinstance(handler, ast.ExceptHandler) and handler.type):
            continue
        if "ValidationError" not in ast.unparse(handler.type):
            continue
        raised = [node for node in ast.walk(handler) if isinstance(node, ast.Raise) and node.exc]
        found += [
            node.lineno
            for node in raised
            if node.exc and not ast.unparse(node.exc).startswith(ALLOWED)
        ]
    return found


@pytest.mark.parametrize("path", API_MODULES, ids=lambda p: p.parent.name)
def test_no_api_module_converts_a_refusal_itself(path):
    assert _converting_handlers(path) == []
