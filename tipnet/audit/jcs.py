"""RFC 8785 canonical JSON bytes, fast for the values the audit trail and the exchange hash.

Every audit event, message header, receipt and message-log record is hashed or signed in its
RFC 8785 (JCS) form. The `rfc8785` library writes it value by value in Python; for the values
found here (text, integers within JSON's safe range, booleans, null, lists, and objects whose
keys are ASCII) the standard library's C encoder gives the same bytes at a fraction of the cost:
both escape exactly `"`, `\\` and the control characters, in the same spelling, and with ASCII
keys sorting by code point is sorting by UTF-16 code unit. Any other value (a float, a larger
integer, a non-ASCII key, a lone surrogate) goes to `rfc8785`, so the bytes are always RFC 8785's
and every hash recorded before this module existed still verifies.
"""

import json
from typing import Any

import rfc8785

# The integers RFC 8785 (and `rfc8785`) accepts: those a JSON number holds exactly.
_SAFE = 2**53 - 1
_encode = json.JSONEncoder(
    ensure_ascii=False,
    sort_keys=True,
    separators=(",", ":"),
    allow_nan=False,
    check_circular=False,
).encode


def _plain(value: Any) -> bool:
    """Whether the C encoder writes `value` exactly as RFC 8785 does."""
    kind = type(value)
    if kind is str or kind is bool or value is None:
        return True
    if kind is int:
        return bool(-_SAFE <= value <= _SAFE)
    if kind is dict:
        return all(type(k) is str and k.isascii() and _plain(v) for k, v in value.items())
    if kind is list:
        return all(_plain(item) for item in value)
    return False


def dumps(value: Any) -> bytes:
    """The RFC 8785 canonical bytes of `value` (raises as `rfc8785.dumps` does)."""
    if _plain(value):
        try:
            return _encode(value).encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: let rfc8785 refuse it
            pass
    return rfc8785.dumps(value)
