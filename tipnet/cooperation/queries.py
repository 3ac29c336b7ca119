"""Reads for the pages and the API: unread flags, deadline clocks, delivery states, items."""

import json
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max, QuerySet
from django.utils import timezone

from tipnet.cases.enums import ChainRole, IdentifierKind, PersonRole
from tipnet.exchange.models import OutboxMessage

from . import codes
from .models import Direction, Message, ReadMark, Thread


def with_flags(user, threads: QuerySet[Thread]) -> list[Thread]:
    """The threads with `is_unread` (a message newer than the user's last reading) and `clock`."""
    rows: list[Thread] = list(threads.annotate(last_message=Max("messages__created_at")))
    read = dict(
        ReadMark.objects.filter(user=user, thread__in=rows).values_list("thread_id", "read_at")
    )
    for thread in rows:
        last, seen = getattr(thread, "last_message", None), read.get(thread.pk)
        # Flags for the lists, set on the rows like an annotation.
        setattr(thread, "is_unread", bool(last and (seen is None or last > seen)))  # noqa: B010
        setattr(thread, "clock", clock(thread))  # noqa: B010
    return rows


def unread_count(user, threads: QuerySet[Thread]) -> int:
    """How many of `threads` hold a message `user` has not read."""
    return sum(bool(getattr(t, "is_unread", False)) for t in with_flags(user, threads))


@dataclass(frozen=True)
class Clock:
    deadline: datetime
    seconds_left: int

    @property
    def is_overdue(self) -> bool:
        return self.seconds_left < 0

    @property
    def hours(self) -> int:
        return abs(self.seconds_left) // 3600

    @property
    def minutes(self) -> int:
        return abs(self.seconds_left) % 3600 // 60


def clock(thread: Thread) -> Clock | None:
    """Time left to an open request's deadline (negative when overdue); None without one."""
    if thread.deadline is None or thread.is_closed:
        return None
    answered = thread.messages.filter(
        direction=Direction.OUTGOING if thread.direction == Direction.INCOMING else "incoming",
        kind="reply",
    ).exists()
    if answered:
        return None
    return Clock(thread.deadline, int((thread.deadline - timezone.now()).total_seconds()))


def delivery_states(messages) -> dict[str, str]:
    """The exchange's state of each sent message, by its outbox id."""
    ids = [m.outbox_id for m in messages if m.outbox_id]
    rows = OutboxMessage.objects.filter(message_id__in=ids).values_list("message_id", "state")
    labels = dict(OutboxMessage.State.choices)
    return {str(mid): str(labels.get(state, state)) for mid, state in rows}


def messages_of(thread: Thread) -> list[Message]:
    """The thread's messages, each with `persons` (items with their data) and `delivery`."""
    rows = list(thread.messages.prefetch_related("items", "files"))
    states = delivery_states(rows)
    for message in rows:
        persons = []
        for item in message.items.all():
            setattr(item, "person_data", _labelled(json.loads(item.data)))  # noqa: B010
            persons.append(item)
        # What the page and the API show beside each message.
        setattr(message, "delivery", states.get(message.outbox_id, ""))  # noqa: B010
        setattr(message, "persons", persons)  # noqa: B010
    return rows


def _labelled(data: dict) -> dict:
    """The item as sent, with translated labels beside its codes (for the page only)."""
    roles, chain, kinds = (
        dict(PersonRole.choices),
        dict(ChainRole.choices),
        dict(IdentifierKind.choices),
    )
    data["role_label"] = roles.get(data.get("role", ""), data.get("role", ""))
    data["chain_role_label"] = chain.get(data.get("chain_role", ""), data.get("chain_role", ""))
    for ident in data.get("identifiers", []):
        ident["kind_label"] = kinds.get(ident.get("kind", ""), ident.get("kind", ""))
    return data


def code_of(thread: Thread):
    return codes.get(thread.handling_code)
