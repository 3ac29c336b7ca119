"""The one way to append to the audit log. Every `do_*` action of every app calls `record`."""

import logging
import re
from typing import Any, TypeVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import connection, models, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from . import canonical, checkpoint
from .chain import event_hash
from .heads import lock_head, move_head
from .models import AuditEvent, AuditHead

logger = logging.getLogger("tipnet.audit")

# An agency code as accounts.Agency.code holds it (a slug), such as UZ-MVD.
AGENCY_CODE = re.compile(r"[-A-Za-z0-9_]+")

# Who acted: a user (audit cannot name accounts' User, which sits above it), or None for the system.
Actor = AbstractBaseUser | AnonymousUser | None
_M = TypeVar("_M", bound=models.Model)


def _actor_fields(actor: Actor) -> tuple[str, str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return "", ""
    agency = getattr(actor, "agency", None)
    return actor.get_username(), getattr(agency, "code", "") or ""


def _object_fields(obj: object) -> tuple[str, str]:
    if obj is None:
        return "", ""
    meta = getattr(obj, "_meta", None)
    if meta is None:
        raise TypeError(f"audit obj must be a model instance, got {type(obj).__name__}")
    pk = getattr(obj, "pk", None)
    if pk is None:
        raise ValueError("audit obj must be saved before it is recorded")
    return (
        canonical.text(meta.label_lower, "object type", 64),
        canonical.text(str(pk), "object id", 64),
    )


def _agency_code(agency: str) -> str:
    # An agency's id where its code belongs hashed 1 and stored "1": refuse anything but a code.
    code = canonical.text(agency, "agency", 64)
    if code and (not AGENCY_CODE.fullmatch(code) or code.isdigit()):
        raise ValueError(f"audit agency must be an agency code such as UZ-GPO, got {code!r}")
    return code


def _event(fields: dict[str, Any]) -> AuditEvent:
    """An unsaved event of `record`'s arguments, every value already in its stored type."""
    tag = canonical.text(fields.pop("tag"), "tag", 100)
    if tag.count(":") != 2:
        raise ValueError(f"audit tag must be app:subject:action, got {tag!r}")
    actor, obj, agency = (
        fields.pop("actor", None),
        fields.pop("obj", None),
        fields.pop("agency", ""),
    )
    username, actor_agency = _actor_fields(actor)
    object_type, object_id = _object_fields(obj)
    return AuditEvent(
        tag=tag,
        actor=canonical.text(username, "actor", 150),
        agency=_agency_code(agency or actor_agency),
        object_type=object_type,
        object_id=object_id,
        detail=canonical.json_value(fields),
    )


def record(
    tag: str,
    actor: Actor = None,
    obj: models.Model | None = None,
    agency: str = "",
    **detail: Any,
) -> AuditEvent:
    """Append one event tagged `app:subject:action` and return it.

    Args:
        tag: `app:subject:action`, for example `accounts:user:login`.
        actor: the user who acted, or None for the system.
        obj: the model instance acted on, if any (its type and primary key are stored).
        agency: an agency code such as `UZ-GPO`, overriding the actor's agency (for system
            events on behalf of an agency).
        **detail: facts worth keeping; never secrets or victims' identities. Text, integers,
            finite floats, booleans, None, lists and dicts of them; dates, times, Decimal and
            UUID are stored as text. Anything else raises TypeError, a value JSON cannot hold
            exactly (NUL, a huge number) ValueError: the hash must cover exactly what is stored.

    Example:
        record("directory:agency:create", actor=user, obj=agency, name=agency.name_en)
    """
    return record_many([dict(tag=tag, actor=actor, obj=obj, agency=agency, **detail)])[0]


def record_many(events: list[dict[str, Any]]) -> list[AuditEvent]:
    """Append several events in order, each a dict of `record`'s arguments, locking the head once.

    For a batch recorded in one transaction (a node receiving many messages at once): one lock,
    one insert and one head update instead of one of each per event.

    Example:
        record_many([{"tag": "exchange:message:receive", "obj": inbox, "type": "mla.request"}])
    """
    rows = [_event(dict(fields)) for fields in events]
    # No savepoint inside a caller's transaction: a failure here fails that transaction anyway,
    # and a savepoint would cost two more statements on every audited action.
    with transaction.atomic(savepoint=False):
        last_seq, last_hash = lock_head(AuditHead)
        now = timezone.now()
        for event in rows:
            event.seq, event.occurred_at, event.prev_hash = last_seq + 1, now, last_hash
            event.hash = event_hash(event.chained_fields())
            last_seq, last_hash = event.seq, event.hash
        _append(rows, last_seq, last_hash)
    checkpoint.after_commit_if_due()
    for event in rows:
        logger.debug(
            "audit %s actor=%s object=%s:%s",
            event.tag,
            event.actor,
            event.object_type,
            event.object_id,
        )
    return rows


def _append(rows: list[AuditEvent], last_seq: int, last_hash: str) -> None:
    """Insert `rows` and move the head to the last of them, under the head's lock.

    On PostgreSQL in one statement written here: every page view of a case is audited, and the
    ORM's insert cost more to build than to run, plus a second round trip for the head.
    """
    if connection.vendor != "postgresql":
        AuditEvent.objects.bulk_create(rows)
        move_head(AuditHead, last_seq, last_hash)
        return
    fields = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = (
        f"WITH head AS (UPDATE {quote(AuditHead._meta.db_table)}"  # noqa: S608 - names, not values
        " SET last_seq = %s, last_hash = %s WHERE id = 1)"
        f" INSERT INTO {quote(AuditEvent._meta.db_table)}"
        f" ({', '.join(quote(f.column or f.attname) for f in fields)})"
        f" VALUES {', '.join([row] * len(rows))} RETURNING id"
    )
    params: list[Any] = [last_seq, last_hash]
    for event in rows:
        params += [f.get_db_prep_save(getattr(event, f.attname), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        # PostgreSQL returns the ids in the order of VALUES (bulk_create relies on it too).
        for event, (pk,) in zip(rows, cursor.fetchall(), strict=True):
            event.pk = pk
            event._state.adding, event._state.db = False, connection.alias


def first_visible_or_404(
    visible: QuerySet[_M],
    model: type[models.Model],
    pk: object,
    tag: str,
    actor: Actor,
    **detail: Any,
) -> _M:
    """The row `pk` of the queryset `visible`, or Http404; a row that exists but is not in
    `visible` is a refused attempt and is recorded under `tag` (missing and forbidden answer
    alike, and only the forbidden one leaves a trace).

    Example:
        first_visible_or_404(visible_cases(user), Case, pk, "cases:case:denied", user, case_id=pk)
    """
    found = visible.filter(pk=pk).first()
    if found is None:
        if model._default_manager.filter(pk=pk).exists():
            record(tag, actor=actor, **detail)
        raise Http404
    return found
