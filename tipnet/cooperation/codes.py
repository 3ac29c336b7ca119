"""The handling codes, read from data/handling_codes.json (which names its source).

A handling code travels with a message and says what the receiver may do with it without the
sender's consent: `allows` lists the onward actions it permits (share, forward, export, message).
"""

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.utils.translation import get_language

DATA_FILE = Path(__file__).resolve().parent / "data" / "handling_codes.json"
ACTIONS = ("share", "forward", "export", "message")


@dataclass(frozen=True)
class HandlingCode:
    code: str
    allows: frozenset[str]
    is_evidence: bool
    labels: dict[str, str]
    rules: dict[str, str]
    # When set, what the code allows goes only to holders of these roles on the receiving node
    # (H3: its prosecution); empty for codes that name no recipient.
    grantee_roles: frozenset[str] = frozenset()

    def label(self) -> str:
        lang = (get_language() or "en")[:2]
        return self.labels.get(lang) or self.labels["en"]

    def rule(self) -> str:
        lang = (get_language() or "en")[:2]
        return self.rules.get(lang) or self.rules["en"]


@lru_cache(maxsize=1)
def _data() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _codes() -> dict[str, HandlingCode]:
    found = {}
    for row in _data()["codes"]:
        unknown = set(row["allows"]) - set(ACTIONS)
        if unknown:
            raise ValueError(f"handling code {row['code']}: unknown actions {sorted(unknown)}")
        found[row["code"]] = HandlingCode(
            row["code"],
            frozenset(row["allows"]),
            bool(row["evidence"]),
            row["label"],
            row["rule"],
            frozenset(row.get("grantee_roles", [])),
        )
    return found


def codes() -> list[HandlingCode]:
    return list(_codes().values())


def get(code: str) -> HandlingCode | None:
    return _codes().get(code)


def default() -> str:
    return str(_data()["default"])


def choices() -> list[tuple[str, str]]:
    return [(c.code, c.label()) for c in codes()]


def allows(code: str, action: str) -> bool:
    """Whether `code` lets the receiver do `action` without consent (an unknown code: no)."""
    found = get(code)
    return bool(found and action in found.allows)
