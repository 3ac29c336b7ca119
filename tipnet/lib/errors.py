"""The one JSON error shape of the API: {"error": {"code", "message", "details"}}."""

from collections.abc import Iterable, Mapping
from typing import Any

# Django's key for the errors of no single field (django.core.exceptions.NON_FIELD_ERRORS),
# spelt here so that lib stays free of the framework.
NON_FIELD = "__all__"


def error_body(code: str, message: str, details: list[Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or []}}


def field_details(errors: Mapping[str, Iterable[str]]) -> list[dict[str, str]]:
    """The `details` of a 422: one entry per field, its messages joined by a space.

    Errors of no single field are named by an empty field, as the API names a whole body.

    Args:
        errors: messages by field, as Django's `ValidationError.message_dict` or a form's errors.

    Returns:
        `[{"field": ..., "message": ...}, ...]` in the order of `errors`.

    Examples:
        >>> field_details({"email": ["Not an address.", "Too long."]})
        [{'field': 'email', 'message': 'Not an address. Too long.'}]
        >>> field_details({"__all__": ["Too late."]})
        [{'field': '', 'message': 'Too late.'}]
    """
    return [
        {"field": "" if field == NON_FIELD else field, "message": " ".join(map(str, messages))}
        for field, messages in errors.items()
    ]
