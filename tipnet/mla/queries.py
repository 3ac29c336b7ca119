"""Filtering the MLA register, for its page and its API alike."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q

from . import lifecycle
from .enums import Direction, RefusalGround


def filter_register(requests, data: dict):
    """Apply the register's filters (direction, state, counterpart country, reference)."""
    if data.get("direction"):
        requests = requests.filter(direction=data["direction"])
    if data.get("state"):
        requests = requests.filter(state=data["state"])
    if data.get("country"):
        c = data["country"]
        requests = requests.filter(
            Q(direction="outgoing", requested_state=c) | Q(direction="incoming", requesting_state=c)
        )
    if data.get("q"):
        requests = requests.filter(
            Q(reference__icontains=data["q"]) | Q(counterpart_ref__icontains=data["q"])
        )
    return requests


@dataclass
class Turn:
    """One turn of a request's conversation: who said what, when, with which files."""

    when: datetime
    transition: str
    side: str
    is_ours: bool
    # The counterpart's node for a turn that arrived from it; when it arrived here.
    from_node: str = ""
    fields: list[tuple[str, str, str]] = field(default_factory=list)
    files: list = field(default_factory=list)


def _turn_fields(payload: dict) -> list[tuple[str, str, str]]:
    """(name, label, value) of a transition's fields, codes turned into labels."""
    from .forms import TRANSITION_FIELD_LABELS

    grounds = dict(RefusalGround.choices)
    found = []
    for name, value in payload.items():
        label = TRANSITION_FIELD_LABELS.get(name, name)
        shown = str(grounds.get(value, value)) if name == "ground" else str(value)
        found.append((name, str(label), shown))
    return found


def _nearest(turns: list[Turn], when: datetime) -> Turn:
    return min(turns, key=lambda t: abs((t.when - when).total_seconds()))


def conversation(req, files) -> list[Turn]:
    """The request's conversation in order: the request itself, then every transition of either
    side with its fields (questions, information, results and use restrictions, ...) and the
    files that came with it. `files` are the request's files the reader may open."""
    ours = lifecycle.REQUESTING if req.direction == Direction.OUTGOING else lifecycle.REQUESTED
    opening = Turn(
        when=req.submitted_at or req.created_at,
        transition="submit",
        side=lifecycle.REQUESTING,
        is_ours=req.direction == Direction.OUTGOING,
        from_node="" if req.direction == Direction.OUTGOING else req.counterpart_node,
    )
    turns = [opening]
    for event in req.events.all():
        if event.transition == "submit":
            opening.when = event.occurred_at
            continue
        turns.append(
            Turn(
                when=event.occurred_at,
                transition=event.transition,
                side=event.side,
                is_ours=event.side == ours,
                from_node=event.from_node,
                fields=_turn_fields(event.payload or {}),
            )
        )
    for f in files:
        target = opening if f.kind == "letter" else _nearest(turns, f.created_at)
        target.files.append(f)
    return turns
