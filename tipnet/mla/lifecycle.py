"""The lifecycle of an MLA request as data: transition name -> from-states, to-state, side, fields.

Pure data and one checking function, so the same table drives local actions (`do_*` in
actions.py), messages applied from the counterpart node (link.py) and the message that each
local transition sends (link.py, queued in the transition's own transaction). The states and
arrows follow the reference notes, section 6(b); "side" is who performs the transition: the
"requesting" or the "requested" state.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .enums import State as S

REQUESTING, REQUESTED = "requesting", "requested"
_OPEN_AFTER_SUBMIT = (
    S.SUBMITTED,
    S.RECEIVED,
    S.UNDER_ASSESSMENT,
    S.INFO_REQUESTED,
    S.IN_CONSULTATION,
    S.POSTPONED,
    S.UNDER_EXECUTION,
    S.PARTIALLY_EXECUTED,
)


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str
    side: str
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition("submit", (S.DRAFT,), S.SUBMITTED, REQUESTING),
        Transition("acknowledge", (S.SUBMITTED,), S.RECEIVED, REQUESTED, (), ("counterpart_ref",)),
        Transition("return_deficient", (S.SUBMITTED,), S.RETURNED, REQUESTED, ("missing",)),
        Transition("revise", (S.RETURNED,), S.DRAFT, REQUESTING),
        Transition("assess", (S.RECEIVED,), S.UNDER_ASSESSMENT, REQUESTED),
        Transition(
            "request_info", (S.UNDER_ASSESSMENT,), S.INFO_REQUESTED, REQUESTED, ("questions",)
        ),
        Transition(
            "provide_info", (S.INFO_REQUESTED,), S.UNDER_ASSESSMENT, REQUESTING, ("information",)
        ),
        Transition("consult", (S.UNDER_ASSESSMENT,), S.IN_CONSULTATION, REQUESTED, ("subject",)),
        Transition(
            "end_consultation", (S.IN_CONSULTATION,), S.UNDER_ASSESSMENT, REQUESTED, ("outcome",)
        ),
        Transition("accept", (S.UNDER_ASSESSMENT,), S.UNDER_EXECUTION, REQUESTED, (), ("note",)),
        Transition(
            "postpone",
            (S.IN_CONSULTATION, S.UNDER_EXECUTION),
            S.POSTPONED,
            REQUESTED,
            ("reason", "review_on"),
        ),
        Transition("resume", (S.POSTPONED,), S.UNDER_EXECUTION, REQUESTED),
        Transition(
            "report_partial",
            (S.UNDER_EXECUTION, S.PARTIALLY_EXECUTED),
            S.PARTIALLY_EXECUTED,
            REQUESTED,
            ("summary",),
            ("use_restrictions",),
        ),
        Transition(
            "report_executed",
            (S.UNDER_EXECUTION, S.PARTIALLY_EXECUTED),
            S.EXECUTED,
            REQUESTED,
            ("summary",),
            ("use_restrictions",),
        ),
        Transition(
            "refuse",
            (S.UNDER_ASSESSMENT, S.IN_CONSULTATION),
            S.REFUSED,
            REQUESTED,
            ("ground", "reasons"),
            ("no_consultation_reason",),
        ),
        Transition("withdraw", _OPEN_AFTER_SUBMIT, S.WITHDRAWN, REQUESTING, ("reason",)),
        Transition("close", (S.EXECUTED, S.REFUSED, S.WITHDRAWN), S.CLOSED, REQUESTING),
    )
}


class TransitionError(ValueError):
    """A transition that the lifecycle does not allow; the message says why."""


def check(name: str, state: str, side: str, fields: dict | None = None) -> Transition:
    """The transition `name` if `side` may perform it from `state` with `fields`.

    Raises TransitionError with a message fit to show to the user otherwise.
    """
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise TransitionError(_("Unknown transition: %(name)s.") % {"name": name})
    if side != transition.side:
        raise TransitionError(
            _("Only the %(side)s state may perform “%(name)s”.")
            % {"side": _side_label(transition.side), "name": name}
        )
    if state not in transition.sources:
        raise TransitionError(
            _("A request that is “%(state)s” cannot be moved by “%(name)s”.")
            % {"state": state_label(state), "name": name}
        )
    missing = [f for f in transition.required if not str((fields or {}).get(f) or "").strip()]
    if missing:
        raise TransitionError(
            _("Required for “%(name)s”: %(fields)s.") % {"name": name, "fields": ", ".join(missing)}
        )
    return transition


def allowed(state: str, side: str) -> list[str]:
    """Names of the transitions `side` may perform from `state`."""
    return [t.name for t in TRANSITIONS.values() if t.side == side and state in t.sources]


def state_label(state: str) -> str:
    return str(dict(S.choices).get(state, state))


def _side_label(side: str) -> str:
    return _("requesting") if side == REQUESTING else _("requested")
