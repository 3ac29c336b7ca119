"""Checks on passing records on: apps whose data carry use restrictions answer them here.

A case app must not import the apps whose restrictions bind its records (cooperation sits above
cases), so the check goes through this registry: the app that knows the restriction registers a
function, and the code that shares, exports or forwards asks `refusal(...)` before it acts.

A check is called as `check(action, case_ids=..., person_ids=..., to=...)` with the action one
of "share" (a case grant on this node), "forward" (to another node), "export" (a letter or a
download) or "message" (inclusion in an outgoing message), and `to` the receiver when there is
one (the agency or user of a grant, the node id of a forward); it returns a reason the user can
read, or "" when nothing forbids it. A restriction to named recipients (only the receiver's
prosecution, say) is judged on `to`: a check refuses when it cannot tell who receives.
"""

from collections.abc import Callable, Iterable

Check = Callable[..., str]

_checks: list[Check] = []


def register(check: Check) -> None:
    """Add `check` (once) to the checks every onward action asks."""
    if check not in _checks:
        _checks.append(check)


def refusal(
    action: str,
    *,
    case_ids: Iterable[int] = (),
    person_ids: Iterable[int] = (),
    to: object = None,
) -> str:
    """Why `action` on these cases or persons is forbidden, or "" when no check objects.

    Args:
        action: "share", "forward", "export" or "message".
        case_ids: the cases passed on as a whole.
        person_ids: the persons passed on.
        to: who receives them: the agency or user of a grant, the node id of a forward.

    Returns:
        The first reason a registered check gives, or "".
    """
    cases, persons = list(case_ids), list(person_ids)
    for check in _checks:
        reason = check(action, case_ids=cases, person_ids=persons, to=to)
        if reason:
            return str(reason)
    return ""
