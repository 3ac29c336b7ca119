"""The one JSON error shape of the API: {"error": {"code", "message", "details"}}."""

from typing import Any


def error_body(code: str, message: str, details: list[Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or []}}
