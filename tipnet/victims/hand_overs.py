"""Hand-overs that arrive from other nodes, and the acknowledgements of those this node sent.

Sending lives in `link.py`, which calls these when a message arrives. What arrives is checked
field by field (`clean_hand_over`) before anything is stored: a body with unknown parts, a phone
or contacts, oversized or mistyped values is refused whole.
"""

import json
import re
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tipnet.audit.actions import record

from .models import IncomingHandOver, OutgoingHandOver, ServiceKind, Sex, Status, Victim

CODE = re.compile(r"^V-[0-9A-F]{8}$")
COUNTRY = re.compile(r"^[A-Z]{2}$")
RETURN_TEXT = ("travel_documents", "escort", "reception_point", "shelter_on_arrival")
BODY_KEYS = {"type", "code", "status", "receiving_service", "return", "identity", "assistance"}
IDENTITY_KEYS = {"given_name", "family_name", "sex", "birth_year", "nationality"}
MAX_ITEMS = 200


class HandOverRefused(ValueError):
    """A hand-over or acknowledgement from another node that this node will not store."""


def _text(value, field: str, limit: int = 255, blank: bool = True) -> str:
    if not isinstance(value, str) or len(value) > limit or (not blank and not value.strip()):
        raise HandOverRefused(f"{field} must be a text of at most {limit} characters")
    return value


def _optional_date(value, field: str) -> date | None:
    return None if value is None else _date(value, field)


def _date(value, field: str) -> date:
    try:
        return date.fromisoformat(_text(value, field, 10))
    except ValueError as exc:
        raise HandOverRefused(f"{field} must be an ISO date") from exc


def _choice(value, field: str, choices) -> str:
    if value not in choices:
        raise HandOverRefused(f"{field} is not one of {', '.join(choices)}")
    return value


def _country(value, field: str) -> str:
    if not isinstance(value, str) or not COUNTRY.match(value):
        raise HandOverRefused(f"{field} must be a two-letter country code")
    return value


def _clean_return(part) -> dict:
    if not isinstance(part, dict):
        raise HandOverRefused("return must be an object")
    text = {name: _text(part.get(name, ""), f"return.{name}") for name in RETURN_TEXT}
    if not text["travel_documents"].strip() or not text["reception_point"].strip():
        raise HandOverRefused("return needs travel documents and a reception point")
    out: dict[str, object] = dict(text)
    out["from_country"] = _country(part.get("from_country"), "return.from_country")
    out["to_country"] = _country(part.get("to_country"), "return.to_country")
    out["travel_on"] = _date(part.get("travel_on"), "return.travel_on")
    return out


def _clean_identity(part) -> dict:
    if part is None:
        return {"has_identity": False}
    if not isinstance(part, dict) or set(part) - IDENTITY_KEYS:
        # A phone or contact notes never travel: a body that carries them is refused whole.
        raise HandOverRefused(f"identity may carry only {', '.join(sorted(IDENTITY_KEYS))}")
    year = part.get("birth_year")
    if year is not None and (type(year) is not int or not 1900 <= year <= date.today().year):
        raise HandOverRefused("identity.birth_year must be a year")
    nationality = part.get("nationality") or ""
    return {
        "has_identity": True,
        "given_name": _text(part.get("given_name", ""), "identity.given_name"),
        "family_name": _text(part.get("family_name", ""), "identity.family_name"),
        "sex": _choice(part.get("sex", Sex.UNKNOWN), "identity.sex", Sex.values),
        "birth_year": year,
        "nationality": nationality and _country(nationality, "identity.nationality"),
    }


def _clean_service(item) -> dict:
    if not isinstance(item, dict):
        raise HandOverRefused("assistance.services must be objects")
    ended = _optional_date(item.get("ended_on"), "ended_on")
    return {
        "kind": _choice(item.get("kind"), "assistance.services.kind", ServiceKind.values),
        "started_on": _date(item.get("started_on"), "started_on").isoformat(),
        "ended_on": ended and ended.isoformat(),
    }


def _clean_assistance(part) -> str:
    if part is None:
        return ""
    part = part if isinstance(part, dict) else {}
    services, goals = part.get("services"), part.get("open_goals")
    if not isinstance(services, list) or not isinstance(goals, list):
        raise HandOverRefused("assistance must list services and open goals")
    if len(services) > MAX_ITEMS or len(goals) > MAX_ITEMS:
        raise HandOverRefused(f"assistance lists at most {MAX_ITEMS} items")
    cleaned = {
        "services": [_clean_service(s) for s in services],
        "open_goals": [_text(g, "assistance.open_goals", 500) for g in goals],
    }
    return json.dumps(cleaned, ensure_ascii=False)


def clean_hand_over(body) -> dict:
    """The fields of an IncomingHandOver from a received body; HandOverRefused names the fault."""
    if not isinstance(body, dict) or set(body) != BODY_KEYS or body["type"] != "victims.hand_over":
        raise HandOverRefused(f"a hand-over has exactly the parts {', '.join(sorted(BODY_KEYS))}")
    if not isinstance(body["code"], str) or not CODE.match(body["code"]):
        raise HandOverRefused("code is not a victim code like V-3F9A12BC")
    service = body["receiving_service"]
    if not isinstance(service, dict):
        raise HandOverRefused("receiving_service must be an object")
    return {
        "code": body["code"],
        "status": _choice(body["status"], "status", Status.values),
        "service_name": _text(service.get("name"), "receiving_service.name", blank=False),
        **_clean_return(body["return"]),
        **_clean_identity(body["identity"]),
        "assistance": _clean_assistance(body["assistance"]),
    }


def _receiving_agency(name: str, country: str):
    from tipnet.directory.models import Agency

    agency = Agency.objects.filter(country_id=country, name_en=name).first()
    if agency is None:
        raise HandOverRefused(
            f"the receiving service {name!r} of {country} is not in the directory of this node"
        )
    return agency


def do_receive_hand_over(message_id: str, from_node: str, body) -> IncomingHandOver:
    """Store a hand-over that arrived from `from_node`, once per message id.

    Raises HandOverRefused (nothing stored) for a body that is not a valid hand-over or names a
    receiving service missing from this node's directory.
    """
    existing = IncomingHandOver.objects.filter(message_id=message_id).first()
    if existing is not None:
        return existing
    fields = clean_hand_over(body)
    service = _receiving_agency(fields.pop("service_name"), fields["to_country"])
    incoming = IncomingHandOver(
        message_id=message_id, from_node=from_node, receiving_service=service, **fields
    )
    with transaction.atomic():
        incoming.save()
        record(
            "victims:hand_over:receive",
            obj=incoming,
            agency=settings.TIPNET_NODE_ID,
            code=incoming.code,
            sender=from_node,
            identity=incoming.has_identity,
        )
    return incoming


def do_apply_acknowledgement(from_node: str, body) -> OutgoingHandOver:
    """Mark a sent hand-over as received by the service that `from_node` acknowledged it for,
    and its return plan as handed over at that date (idempotent)."""
    if not isinstance(body, dict) or not isinstance(body.get("hand_over"), str):
        raise HandOverRefused("an acknowledgement names the hand-over message it acknowledges")
    sending = (
        OutgoingHandOver.objects.filter(
            message_id__in=[body["hand_over"]] if _is_uuid(body["hand_over"]) else [],
            recipient_node=from_node,
        )
        .select_related("plan__victim")
        .first()
    )
    if sending is None or body.get("code") != sending.plan.victim.code:
        raise HandOverRefused("no hand-over sent to this node matches the acknowledgement")
    received = _received_at(body.get("received_at"))
    if sending.received_at is None:
        with transaction.atomic():
            sending.received_at = received
            sending.save(update_fields=["received_at"])
            plan = sending.plan
            if plan.handed_over_at is None:
                plan.handed_over_at = received
                plan.save(update_fields=["handed_over_at"])
            record(
                "victims:return:received",
                obj=plan,
                agency=settings.TIPNET_NODE_ID,
                code=plan.victim.code,
                by=from_node,
            )
    return sending


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _received_at(value):
    from datetime import datetime

    try:
        when = datetime.fromisoformat(_text(value, "received_at", 40))
    except ValueError as exc:
        raise HandOverRefused("received_at must be an ISO time with a zone") from exc
    if when.tzinfo is None:
        raise HandOverRefused("received_at must be an ISO time with a zone")
    return when


def do_take_over(actor, incoming: IncomingHandOver) -> Victim:
    """Open this node's own record of a returning victim handed over to `actor`'s service.

    Only after the reception is acknowledged, and once. The record carries what travelled (the
    identity only if the victim consented to share it, the identification status decided abroad
    with the sending node as its source, the open goals of the assistance plan) and is assisted
    from here on by `actor`'s agency.
    """
    from . import actions

    if incoming.acknowledged_at is None:
        raise ValidationError(_("Acknowledge the reception before taking the victim over."))
    if incoming.taken_over_as_id is not None:
        raise ValidationError(_("This victim is already taken over."))
    data: dict[str, object] = {"nationality": incoming.nationality or incoming.to_country}
    if incoming.has_identity:
        data |= {"given_name": incoming.given_name, "family_name": incoming.family_name}
        data |= {"sex": incoming.sex or Sex.UNKNOWN, "birth_year": incoming.birth_year}
    goals = json.loads(incoming.assistance).get("open_goals", []) if incoming.assistance else []
    with transaction.atomic(durable=True):
        victim = actions.do_register_victim(actor, data)
        if incoming.status != Status.POTENTIAL:
            source = _("%(node)s, by hand-over %(code)s") % {
                "node": incoming.from_node,
                "code": incoming.code,
            }
            day = timezone.localdate(incoming.received_at)
            actions.do_decide_status(actor, victim, incoming.status, source, day)
        for goal in goals:
            actions.do_add_goal(actor, victim, goal[:500])
        incoming.taken_over_as = victim
        incoming.save(update_fields=["taken_over_as"])
        record(
            "victims:hand_over:take_over",
            actor=actor,
            obj=incoming,
            code=incoming.code,
            victim=victim.code,
        )
    return victim
