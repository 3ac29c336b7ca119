"""What travels between the parties' nodes, checked the same way when sent and when received.

`clean_text` checks an agreement's text (a proposal or an amendment); `clean_body` the body of a
workspace item of each kind. Both raise ValueError with a short reason; the receiving handler
turns it into the exchange's HandlerError, so a malformed message is kept as failed and nothing
of it is stored. Persons travel with their names and Interpol references only.
"""

import re
from datetime import date
from typing import Any

from tipnet.cases.enums import ChainRole, PersonRole

from .enums import ItemKind, Kind, TaskStatus
from .text import TEXT_FIELDS, TEXT_FORMAT

NODE_ID = re.compile(r"^[A-Z]{2}-[A-Z0-9]{2,16}$")
SHA256 = re.compile(r"^[0-9a-f]{64}$")
MAX_PARTIES = 10
# At most ten years to return or delete shared items after the end.
MAX_RETENTION_DAYS = 3650
TEXT_LIMITS = {
    "title": 200,
    "purpose": 4000,
    "governing_law": 2000,
    "confidentiality": 2000,
    "victim_support": 2000,
    "costs": 2000,
}
INTERPOL_KINDS = ("interpol_notice", "interpol_diffusion")


def _string(value: Any, name: str, limit: int, required: bool = True) -> str:
    if not isinstance(value, str) or len(value) > limit or (required and not value.strip()):
        raise ValueError(f"{name} must be text of at most {limit} characters")
    if any(ord(ch) < 32 and ch not in "\n\t" for ch in value):
        raise ValueError(f"{name} holds control characters")
    return value


def _date(value: Any, name: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a date (YYYY-MM-DD)") from None


def clean_party(party: Any) -> dict[str, Any]:
    if not isinstance(party, dict) or set(party) != {
        "node",
        "country",
        "agency",
        "leader",
        "members",
    }:
        raise ValueError("a party has node, country, agency, leader and members")
    if not isinstance(party["node"], str) or not NODE_ID.match(party["node"]):
        raise ValueError("a party's node is not a node id")
    if not isinstance(party["country"], str) or not re.fullmatch(r"[A-Z]{2}", party["country"]):
        raise ValueError("a party's country is not a country code")
    _string(party["agency"], "agency", 40)
    _string(party["leader"], "leader", 200, required=False)
    members = party["members"]
    if not isinstance(members, list) or len(members) > 30:
        raise ValueError("members must be a list of at most 30 names")
    for name in members:
        _string(name, "member", 200)
    return party


def clean_text(text: Any) -> dict[str, Any]:
    """The agreement text `text`, checked; ValueError when anything is missing or wrong."""
    expected = {*TEXT_FIELDS, "format", "uid", "version", "period", "parties"}
    if not isinstance(text, dict) or set(text) - {"retention_days"} != expected:
        raise ValueError("the agreement text has missing or unknown fields")
    days = text.get("retention_days", 0)
    if type(days) is not int or not 0 <= days <= MAX_RETENTION_DAYS:
        raise ValueError(f"retention_days must be a whole number from 0 to {MAX_RETENTION_DAYS}")
    if text["format"] != TEXT_FORMAT or text["kind"] not in Kind.values:
        raise ValueError("unknown text format or form of investigation")
    if not isinstance(text["version"], int) or not 1 <= text["version"] <= 1000:
        raise ValueError("the version must be a whole number from 1")
    for name, limit in TEXT_LIMITS.items():
        _string(text[name], name, limit, required=name in ("title", "purpose"))
    period = text["period"]
    if not isinstance(period, dict) or set(period) != {"start", "end"}:
        raise ValueError("the period has a start and an end")
    if _date(period["end"], "end") < _date(period["start"], "start"):
        raise ValueError("the period ends before it starts")
    parties = text["parties"]
    if not isinstance(parties, list) or not 2 <= len(parties) <= MAX_PARTIES:
        raise ValueError(f"an agreement has 2 to {MAX_PARTIES} parties")
    nodes = [clean_party(p)["node"] for p in parties]
    if len(set(nodes)) != len(nodes):
        raise ValueError("a node is named twice among the parties")
    return text


def _person(body: dict[str, Any]) -> None:
    _string(body.get("name"), "name", 200)
    _string(body.get("latin_name", ""), "latin_name", 400, required=False)
    if body.get("role") not in (PersonRole.SUSPECT, PersonRole.WITNESS):
        raise ValueError("only suspects and witnesses are shared in the chain")
    if body.get("chain_role", "") not in ("", *ChainRole.values):
        raise ValueError("unknown role in the chain")
    _string(body.get("case_reference", ""), "case_reference", 80, required=False)
    interpol = body.get("interpol", [])
    if not isinstance(interpol, list) or len(interpol) > 10:
        raise ValueError("interpol must be a list of references")
    for ref in interpol:
        if not isinstance(ref, dict) or set(ref) != {"kind", "value"}:
            raise ValueError("an Interpol reference has a kind and a value")
        if ref["kind"] not in INTERPOL_KINDS:
            raise ValueError("unknown kind of Interpol reference")
        _string(ref["value"], "interpol value", 60)


def _task(body: dict[str, Any]) -> None:
    _string(body.get("title"), "title", 300)
    _string(body.get("owner", ""), "owner", 200, required=False)
    if body.get("due"):
        _date(body["due"], "due")
    if body.get("status") not in TaskStatus.values:
        raise ValueError("unknown task status")


def _note(body: dict[str, Any]) -> None:
    _date(body.get("held_on"), "held_on")
    _string(body.get("text"), "text", 8000)


def _evidence(body: dict[str, Any]) -> None:
    _string(body.get("description"), "description", 300)
    if not isinstance(body.get("sha256"), str) or not SHA256.match(body["sha256"]):
        raise ValueError("sha256 must be 64 lower-case hexadecimal digits")
    _string(body.get("collected_by"), "collected_by", 200)
    _date(body.get("collected_on"), "collected_on")
    custody = body.get("custody", [])
    if not isinstance(custody, list) or len(custody) > 100:
        raise ValueError("custody must be a list of transfers")
    for step in custody:
        if not isinstance(step, dict) or set(step) != {"to", "on"}:
            raise ValueError("a transfer of custody has a holder and a date")
        _string(step["to"], "custody holder", 200)
        _date(step["on"], "custody date")


def _sop(body: dict[str, Any]) -> None:
    _string(body.get("pair"), "pair", 5)
    _string(body.get("step"), "step", 60)
    if not isinstance(body.get("done"), bool):
        raise ValueError("done is true or false")


CHECKS = {
    ItemKind.PERSON: _person,
    ItemKind.TASK: _task,
    ItemKind.NOTE: _note,
    ItemKind.EVIDENCE: _evidence,
    ItemKind.SOP: _sop,
}


def clean_body(kind: Any, body: Any) -> dict[str, Any]:
    """The body of a workspace item of `kind`, checked; ValueError when it is malformed."""
    if kind not in CHECKS or not isinstance(body, dict):
        raise ValueError("unknown kind of item or a body that is not an object")
    CHECKS[kind](body)
    return body
