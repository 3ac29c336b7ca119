"""The JSON API root: token auth, pagination and one error shape for every error.

Every error answers `{"error": {"code": ..., "message": ..., "details": [...]}}`.
Apps add their routers in `tipnet/urls.py`.
"""

import logging
import math

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.errors import Throttled as NinjaThrottled
from ninja.throttling import AuthRateThrottle

from tipnet.accounts.auth import ApiTokenAuth
from tipnet.lib.errors import error_body

logger = logging.getLogger("tipnet.api")

api = NinjaAPI(
    title="tipnet",
    version="1",
    description="The JSON API of a tipnet node. Authenticate with `Authorization: Bearer <token>`.",
    auth=ApiTokenAuth(),
    openapi_url="/openapi.json",
    docs_url="/docs",
    urls_namespace="api",
    throttle=[AuthRateThrottle(settings.TIPNET_API_RATE)],
)


def error_response(request, status: int, code: str, message: str, details=None):
    return api.create_response(request, error_body(code, message, details), status=status)


def _validation_details(errors) -> list[dict]:
    return [
        {
            "field": ".".join(str(p) for p in err.get("loc", []) if p not in ("body", "payload")),
            "message": err.get("msg", ""),
        }
        for err in errors
    ]


@api.exception_handler(ValidationError)
def on_validation_error(request, exc):
    return error_response(
        request, 422, "invalid", _("The request is not valid."), _validation_details(exc.errors)
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


@api.exception_handler(Exception)
def on_server_error(request, exc):
    logger.exception("API error on %s", request.path)
    return error_response(request, 500, "server_error", _("Internal error; it has been logged."))
