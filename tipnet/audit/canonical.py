"""An event's values in the form the database gives back, so that the hash covers what is stored.

The chain is verified by hashing the rows as they are read back. A value whose stored form
differs from the one hashed when it was recorded (an integer in a text column, a tuple in a JSON
list, a date that JSON cannot hold) would make an intact row look edited. So every value is first
turned into its stored type, and a value that no column holds faithfully is refused:

* JSON and PostgreSQL's jsonb hold integers exactly only within the I-JSON range (±2**53 - 1),
  and jsonb writes a float such as 1e16 back as the integer 10000000000000000, so floats are
  kept to the same range and must be finite;
* neither text columns nor jsonb hold the NUL character, and UTF-8 holds no lone surrogate;
* dict keys must be strings (JSON would turn 1 into "1" and could merge two keys);
* dates and times become ISO 8601 text, Decimal and UUID their exact text, tuples lists.
"""

import datetime
import decimal
import math
import uuid
from typing import Any

# The largest integer JSON numbers (IEEE 754 doubles) hold exactly, as RFC 8785 requires.
SAFE_INTEGER = 2**53 - 1


def text(value: str, what: str = "text", max_length: int | None = None) -> str:
    """`value` as a plain str that a text column and jsonb store unchanged; ValueError if not."""
    if not isinstance(value, str):
        raise TypeError(f"audit {what} must be text, got {type(value).__name__}")
    # str.__str__ gives the plain text of a subclass (a TextChoices member, a SafeString).
    value = str.__str__(value)
    if "\x00" in value:
        raise ValueError(f"audit {what} contains a NUL character, which cannot be stored")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(f"audit {what} contains a lone surrogate, which cannot be stored") from exc
    if max_length is not None and len(value) > max_length:
        raise ValueError(f"audit {what} is longer than {max_length} characters")
    return value


def _number(value: int | float) -> int | float:
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        value = int(value)
        if abs(value) > SAFE_INTEGER:
            raise ValueError(f"audit integer {value} is outside ±2**53 - 1, which JSON holds")
        return value
    value = float(value)
    if not math.isfinite(value) or abs(value) > SAFE_INTEGER:
        raise ValueError(f"audit float {value!r} is not finite or is outside ±2**53 - 1")
    return value


def json_value(value: object, path: str = "detail") -> Any:
    """`value` converted to the JSON value the database returns for it; TypeError or ValueError
    for a value that cannot be stored faithfully.

    Example:
        json_value({"on": datetime.date(2026, 1, 2), "ids": (1, 2)})
        == {"on": "2026-01-02", "ids": [1, 2]}
    """
    if value is None:
        return None
    if isinstance(value, str):
        return text(value, path)
    if isinstance(value, int | float):
        return _number(value)
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"audit {path} has a key of type {type(key).__name__}, not text")
            key = text(key, f"{path} key")
            out[key] = json_value(item, f"{path}.{key}")
        return out
    if isinstance(value, list | tuple):
        return [json_value(item, f"{path}[{i}]") for i, item in enumerate(value)]
    if isinstance(value, datetime.date | datetime.time):
        # A datetime is a date too: isoformat covers all three, with the offset when aware.
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    raise TypeError(
        f"audit {path} is a {type(value).__name__}, which the log cannot store faithfully; "
        "pass a model instance as obj, and other values as text or numbers"
    )
