"""The JSON API root: token auth, pagination and one error shape for every error.

Every error answers `{"error": {"code": ..., "message": ..., "details": [...]}}`.
Apps add their routers in `tipnet/urls.py`.
"""

import hashlib
import json
import logging
import math
import threading
import time
from functools import wraps

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connection
from django.http import Http404, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.errors import Throttled as NinjaThrottled
from ninja.pagination import LimitOffsetPagination
from ninja.throttling import BaseThrottle

from tipnet.accounts import throttle as auth_throttle
from tipnet.accounts.auth import ApiTokenAuth
from tipnet.accounts.models import ApiRateCount
from tipnet.lib import text
from tipnet.lib.errors import NON_FIELD, error_body, field_details

logger = logging.getLogger("tipnet.api")


class ErrorDetail(Schema):
    field: str
    message: str


class ErrorBody(Schema):
    code: str
    message: str
    details: list[ErrorDetail]


class ErrorOut(Schema):
    """The one shape of every error answer (see docs/api.md)."""

    error: ErrorBody


# The error answers an operation can give, documented on every operation of the OpenAPI
# document: any request may be unauthenticated, refused (404, as for a missing record) or
# throttled; one with parameters may be invalid; one with a body may be unreadable, too large
# or clash with stored data.
ERRORS_OF_EVERY_OPERATION = (401, 404, 429)
ERRORS_OF_PARAMETERS = (422,)
ERRORS_OF_A_BODY = (400, 409, 413, 422)
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def _error_codes(operation) -> list[int]:
    codes = list(ERRORS_OF_EVERY_OPERATION)
    if operation.models:
        codes += ERRORS_OF_PARAMETERS
    if WRITE_METHODS & set(operation.methods):
        codes += ERRORS_OF_A_BODY
    return sorted(set(codes))


class TipnetAPI(NinjaAPI):
    """The node's API; its OpenAPI document lists every error answer with the one shape."""

    def get_openapi_schema(self, *args, **kwargs):
        self.document_errors()
        return super().get_openapi_schema(*args, **kwargs)

    def document_errors(self) -> None:
        """Add ErrorOut to each operation for each error status it can answer (idempotent)."""
        for bound in self._get_bound_routers():
            for path_view in bound.path_operations.values():
                for operation in path_view.operations:
                    model = operation._create_response_model(ErrorOut)
                    for code in _error_codes(operation):
                        operation.response_models.setdefault(code, model)


class RateThrottle(BaseThrottle):
    """TIPNET_API_RATE (such as 600/m) per user, in fixed windows counted in the database.

    One statement per request: an upsert that adds 1 to the client's count of the current
    window and returns it, atomic on SQLite and PostgreSQL alike, so concurrent requests lose no
    count and every app server sees the same counts. A window's first request deletes the
    windows that have passed. A client may make up to twice the rate across a window's edge;
    the window is the rate's unit (a second, minute, hour or day).
    """

    def __init__(self, rate: str):
        count, per = rate.split("/")
        self.num_requests = int(count)
        self.duration = {"s": 1, "m": 60, "h": 3600, "d": 86400}[per[0]]
        self._waits = threading.local()  # one throttle serves every thread

    def allow_request(self, request) -> bool:
        now = _now()
        start = int(now // self.duration) * self.duration
        count = _count_request(_ident(request), start)
        self._waits.seconds = start + self.duration - now
        return count <= self.num_requests

    def wait(self) -> float | None:
        return getattr(self._waits, "seconds", None)


def _now() -> float:
    return time.time()


def _ident(request) -> str:
    # The authenticated user: counted apart from every other user, whichever token it uses.
    pk = getattr(getattr(request, "auth", None), "pk", None)
    if pk is not None:
        return f"user:{pk}"
    address = auth_throttle.client_address(request)
    return "addr:" + hashlib.sha256(address.encode()).hexdigest()[:32]


_TABLE = ApiRateCount._meta.db_table


def _count_request(ident: str, start: int) -> int:
    """Add one request to `ident`'s count of the window starting at `start`; return the count."""
    table = connection.ops.quote_name(_TABLE)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (ident, window_start, n) VALUES (%s, %s, 1) "  # noqa: S608 - the table name is ours
            f"ON CONFLICT (ident, window_start) DO UPDATE SET n = {table}.n + 1 RETURNING n",
            [ident, start],
        )
        count = cursor.fetchone()[0]
        if count == 1:
            cursor.execute(f"DELETE FROM {table} WHERE window_start < %s", [start])  # noqa: S608
    return count


api = TipnetAPI(
    title="tipnet",
    version="1",
    description="The JSON API of a tipnet node. Authenticate with `Authorization: Bearer <token>`.",
    auth=ApiTokenAuth(),
    openapi_url="/openapi.json",
    docs_url="/docs",
    urls_namespace="api",
    throttle=[RateThrottle(settings.TIPNET_API_RATE)],
)


def error_response(request, status: int, code: str, message: str, details=None):
    return api.create_response(request, error_body(code, message, details), status=status)


# No list comes near a billion rows; the bound keeps offset + limit inside a 64-bit integer,
# which both databases need (a larger OFFSET is an overflow, not an empty page).
MAX_OFFSET = 1_000_000_000


class PageIn(LimitOffsetPagination.Input):
    limit: int = Field(settings.TIPNET_PAGE_SIZE, ge=1, le=settings.TIPNET_PAGE_SIZE)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class Page(LimitOffsetPagination):
    """The one pagination of every list: `?limit=` (1 to TIPNET_PAGE_SIZE) and `?offset=`."""

    Input = PageIn


def _too_large(request):
    message = _("The request is larger than %(mb)s MB.") % {"mb": settings.TIPNET_MAX_REQUEST_MB}
    return error_response(request, 413, "too_large", message)


def _query_names(operation) -> set[str]:
    names: set[str] = set()
    for model in operation.models:
        if model.__ninja_param_source__ == "query":
            names.update(model.__ninja_flatten_map__)
    return names


def guard_request(run):
    """Refuse, before the operation reads it, a body over TIPNET_MAX_REQUEST_MB (413), a query
    parameter the operation does not take (422: a misspelt filter must not widen a list) and a
    body with a control character in any string (422, tipnet.lib.text).

    Django caps only the non-file part of a body (DATA_UPLOAD_MAX_MEMORY_SIZE): without this an
    upload of any size would be read, stored and answered 201.
    """
    operation = getattr(run, "__self__", None)  # the Operation whose bound run() this wraps
    known = _query_names(operation) if operation is not None else None

    @wraps(run)
    def guarded(request, *args, **kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return error_response(request, 400, "bad_request", _("The request cannot be read."))
        if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return _too_large(request)
        unknown = sorted(set(request.GET) - known) if known is not None else []
        if unknown:
            message = _("This operation takes no such parameter.")
            details = [{"field": name[:100], "message": message} for name in unknown[:20]]
            return error_response(request, 422, "invalid", _("The request is not valid."), details)
        if request.method in WRITE_METHODS:
            try:
                refused = _control_characters(request)
            except Exception as exc:  # an unreadable body: the API's handlers answer it
                return api.on_exception(request, exc)
            if refused:
                return error_response(
                    request, 422, "invalid", _("The request is not valid."), refused
                )
        return run(request, *args, **kwargs)

    return guarded


def _body_strings(request):
    if request.content_type == "application/json":
        try:
            yield from text.strings(json.loads(request.body or b"null"))
        except ValueError:
            return  # not JSON: ninja's parser answers it
    elif request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        for key, values in request.POST.lists():
            yield (key,), key
            for value in values:
                yield (key,), value
        for key, upload in request.FILES.items():
            yield (key,), upload.name or ""


def _control_characters(request) -> list[dict]:
    """Every string of a body with a control character, wherever it goes: one rule for the API.

    Tab and line breaks pass here (multi-line text); one-line fields refuse them in their schema
    (tipnet.lib.text.Line).
    """
    refused = []
    for path, value in _body_strings(request):
        found = text.control_characters(value, multiline=True)
        if found:
            field = ".".join(str(part) for part in path)
            refused.append({"field": text.visible(field)[:100], "message": text.message(found)})
    return refused[:20]


api.add_decorator(guard_request, mode="view")


# Where ninja found a value ("query", "body" and its "payload"): the client names fields only.
_WHERE = ("body", "query", "path", "form", "file", "header", "cookie")


def _field(loc) -> str:
    parts = list(loc)
    if parts and parts[0] in _WHERE:
        parts = parts[1:]
    if parts and parts[0] == "payload":
        parts = parts[1:]
    return ".".join(str(p) for p in parts)


# pydantic words its refusals in English; the common ones are given in the request's language,
# with the limits pydantic reports (its `ctx`). Any other keeps pydantic's words.
_DATE = gettext_lazy("Give a date as YYYY-MM-DD.")
_DATETIME = gettext_lazy("Give a date and time, such as 2026-03-01T09:30:00Z.")
_WHOLE = gettext_lazy("Give a whole number.")
_CHOICE = gettext_lazy("Choose one of: %(expected)s.")
PYDANTIC_MESSAGES = {
    "missing": gettext_lazy("This field is required."),
    "string_too_short": gettext_lazy("Use at least %(min_length)s characters."),
    "string_too_long": gettext_lazy("Use at most %(max_length)s characters."),
    "too_short": gettext_lazy("Give at least %(min_length)s items."),
    "too_long": gettext_lazy("Give at most %(max_length)s items."),
    "string_pattern_mismatch": gettext_lazy("This value does not have the expected form."),
    "string_type": gettext_lazy("Give a text."),
    "literal_error": _CHOICE,
    "enum": _CHOICE,
    "int_parsing": _WHOLE,
    "int_type": _WHOLE,
    "int_from_float": _WHOLE,
    "float_parsing": gettext_lazy("Give a number."),
    "bool_parsing": gettext_lazy("Give true or false."),
    "bool_type": gettext_lazy("Give true or false."),
    "date_parsing": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_type": _DATE,
    "datetime_parsing": _DATETIME,
    "datetime_from_date_parsing": _DATETIME,
    "datetime_type": _DATETIME,
    "greater_than_equal": gettext_lazy("Give a value of at least %(ge)s."),
    "less_than_equal": gettext_lazy("Give a value of at most %(le)s."),
    "list_type": gettext_lazy("Give a list."),
    "uuid_parsing": gettext_lazy("Give a UUID."),
    "json_invalid": gettext_lazy("The body is not valid JSON."),
}


def _message(err) -> str:
    kind, ctx = err.get("type", ""), err.get("ctx") or {}
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])  # our own validators' words, already translated
    template = PYDANTIC_MESSAGES.get(kind)
    if template is None:
        return err.get("msg", "")
    try:
        return str(template) % {key: str(value) for key, value in ctx.items()}
    except (KeyError, TypeError, ValueError):
        return err.get("msg", "")


def _validation_details(errors) -> list[dict]:
    return [{"field": _field(err.get("loc", [])), "message": _message(err)} for err in errors]


@api.exception_handler(ValidationError)
def on_validation_error(request, exc):
    return error_response(
        request, 422, "invalid", _("The request is not valid."), _validation_details(exc.errors)
    )


@api.exception_handler(DjangoValidationError)
def on_refusal(request, exc):
    """A do_* action's refusal (or a model's full_clean): 422 naming each field, as for a schema.

    The one place that turns Django's ValidationError into the error shape: operations call the
    actions and let their refusals rise.
    """
    errors = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD: exc.messages}
    return error_response(
        request, 422, "invalid", _("The request is not valid."), field_details(errors)
    )


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return error_response(request, 401, "unauthenticated", _("A valid API token is required."))


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return error_response(request, 404, "not_found", _("Not found."))


@api.exception_handler(NinjaThrottled)
def on_throttled(request, exc):
    response = error_response(request, 429, "throttled", _("Too many requests; try again later."))
    if exc.wait:
        # Retry-After is whole seconds (RFC 9110); a lock-out raised by the auth class carries it.
        response["Retry-After"] = str(math.ceil(exc.wait))
    return response


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    # A forbidden record answers exactly like a missing one, so existence never leaks.
    status = 404 if exc.status_code == 403 else exc.status_code
    codes = {400: "bad_request", 404: "not_found", 409: "conflict", 413: "too_large"}
    return error_response(request, status, codes.get(status, "error"), str(exc))


@api.exception_handler(RequestDataTooBig)
def on_too_large(request, exc):
    return _too_large(request)


@api.exception_handler(MultiPartParserError)
def on_unreadable_body(request, exc):
    # A multipart body without its boundary, a truncated one, a broken upload stream.
    return error_response(request, 400, "bad_request", _("The request cannot be read."))


api.exception_handler(UnreadablePostError)(on_unreadable_body)


@api.exception_handler(SuspiciousOperation)
def on_suspicious_request(request, exc):
    # Too many fields or files, a bad header: Django's own limits on what it reads.
    if isinstance(exc, TooManyFilesSent):
        return _too_large(request)
    return error_response(request, 400, "bad_request", _("The request cannot be read."))


@api.exception_handler(Exception)
def on_server_error(request, exc):
    logger.exception("API error on %s", request.path)
    return error_response(request, 500, "server_error", _("Internal error; it has been logged."))
