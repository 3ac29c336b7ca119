"""The checks and the write of one lifecycle transition, shared by local and remote ones.

A local transition (`actions.do_transition`, `do_submit`) and one applied from the counterpart
node (`link.do_apply_remote_transition`) go through the same checks and the same write; here
they live below both, so that neither module imports the other.
"""

import hashlib

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from . import lifecycle
from .enums import Direction, State, grounds_for
from .models import MlaEvent, MlaFile, MlaRequest

# The fields of a person concerned, as drafted (actions) and as sent (link).
PERSON_FIELDS = (
    "kind",
    "full_name",
    "birth_date",
    "birth_place",
    "citizenship",
    "residence",
    "occupation",
    "parents_names",
)

FIELD_LIMIT = 20000
# When a transition stamps one of the request's dates.
STAMPS = {
    "submit": "submitted_at",
    "acknowledge": "received_at",
    "accept": "decided_at",
    "refuse": "decided_at",
}
FINISHING = frozenset({State.EXECUTED, State.REFUSED, State.WITHDRAWN})


def local_side(req: MlaRequest) -> str:
    """The side this node plays in `req`: the requesting one for outgoing requests."""
    return lifecycle.REQUESTING if req.direction == Direction.OUTGOING else lifecycle.REQUESTED


def remote_side(req: MlaRequest) -> str:
    """The side the other state plays in `req`."""
    return lifecycle.REQUESTED if req.direction == Direction.OUTGOING else lifecycle.REQUESTING


def clean_transition_fields(t: lifecycle.Transition, fields: dict) -> dict:
    """Only the transition's own fields, as stripped strings of bounded length."""
    clean = {}
    for name in (*t.required, *t.optional):
        value = fields.get(name)
        if isinstance(value, list | tuple):
            value = "\n".join(str(v) for v in value)
        value = str(value or "").strip()
        if len(value) > FIELD_LIMIT:
            raise lifecycle.TransitionError(_("“%(f)s” is too long.") % {"f": name})
        if value:
            clean[name] = value
    return clean


def _check_refusal(req: MlaRequest, fields: dict) -> None:
    if fields.get("ground") not in grounds_for(req.legal_basis):
        raise lifecycle.TransitionError(
            _("Choose a ground of refusal that the legal basis provides.")
        )
    consulted = req.events.filter(transition="consult").exists()
    if req.legal_basis == "UNTOC_18" and not consulted and not fields.get("no_consultation_reason"):
        raise lifecycle.TransitionError(
            _(
                "Under UNTOC 18(26) the requesting state is consulted before a refusal; consult "
                "first or record why consultation was impossible."
            )
        )


def _check_postponement(fields: dict) -> None:
    review = parse_date(fields.get("review_on", "") or "")
    if review is None:
        raise lifecycle.TransitionError(_("Give the review date as YYYY-MM-DD."))
    if review < timezone.localdate():
        raise lifecycle.TransitionError(_("The review date cannot be in the past."))


def check_transition(req: MlaRequest, name: str, side: str, fields: dict):
    """The lifecycle check plus the rules that depend on the request; returns (t, clean)."""
    t = lifecycle.TRANSITIONS.get(name)
    clean = clean_transition_fields(t, fields) if t else {}
    t = lifecycle.check(name, req.state, side, clean)
    if name == "refuse":
        _check_refusal(req, clean)
    if name == "postpone":
        _check_postponement(clean)
    return t, clean


def step_time(req: MlaRequest, at=None):
    """When a step of `req` happened: now, or `at` for a step recorded after the fact.

    `at` (an aware datetime) back-dates a step taken on paper before it was recorded here. It is
    refused, with a ValidationError on "at", when it lies in the future or before the request's
    previous step (its creation or its latest event), so that a request's history stays in order.
    """
    if at is None:
        return timezone.now()
    if timezone.is_naive(at):
        raise ValidationError({"at": _("Give the date of the step with its time zone.")})
    if at > timezone.now():
        raise ValidationError({"at": _("A step cannot be dated in the future.")})
    latest = req.events.aggregate(last=Max("occurred_at"))["last"] if req.pk else None
    previous = max(filter(None, (req.created_at, latest)))
    if at < previous:
        raise ValidationError(
            {
                "at": _("A step cannot be dated before the request's previous step (%(date)s).")
                % {"date": timezone.localtime(previous).strftime("%Y-%m-%d %H:%M")}
            }
        )
    return at


def store_files(req: MlaRequest, kind: str, files) -> None:
    for filename, content_type, content in files:
        MlaFile.objects.create(
            request=req,
            kind=kind,
            filename=str(filename)[:200],
            content_type=content_type,
            sha256=hashlib.sha256(content).hexdigest(),
            content=content,
        )


def apply_transition(req, t, clean: dict, *, actor=None, from_node: str = "", at=None) -> MlaEvent:
    """Move `req` along the checked transition `t` and log it (inside the caller's transaction).

    `at` is the checked time of the step (see `step_time`); now when it is not given.
    """
    now = at or timezone.now()
    event = MlaEvent.objects.create(
        request=req,
        transition=t.name,
        from_state=req.state,
        to_state=t.target,
        side=t.side,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        from_node=from_node,
        payload=clean,
        occurred_at=now,
    )
    req.state, req.state_changed_at = t.target, now
    if t.name in STAMPS:
        setattr(req, STAMPS[t.name], now)
    if t.target in FINISHING:
        req.finished_at = now
    if t.name == "refuse":
        req.refusal_ground, req.refusal_reasons = clean["ground"], clean["reasons"]
    if t.name == "acknowledge" and clean.get("counterpart_ref") and req.direction == "outgoing":
        req.counterpart_ref = clean["counterpart_ref"][:80]
    req.save()
    return event
