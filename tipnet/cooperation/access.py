"""Who may see and handle which police-to-police thread, and what a handling code forbids.

* Investigators and prosecutors see the threads of their own agency (sent or received) and
  start threads from their agency's cases. Everyone else: 404.
* A missing thread and a forbidden one both answer 404; the forbidden attempt is audited.
* `onward_refusal` is the one rule for passing on what arrived under a restrictive handling
  code: the thread's forward and export, new messages, and (through tipnet.lib.onward) case
  grants and MLA letters all ask it.
"""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from tipnet.accounts.models import Role
from tipnet.audit.actions import first_visible_or_404, record
from tipnet.cases.access import access_case, visible_case_persons
from tipnet.cases.models import Case, CasePerson

from . import codes
from .models import Consent, Direction, Item, Thread

POLICE_ROLES = ("investigator", "prosecutor")


def _is_user(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_officer(user) -> bool:
    """True when `user` works with police messages: an investigator or prosecutor of an agency."""
    return _is_user(user) and bool(user.agency_id) and user.has_role(*POLICE_ROLES)


def visible_threads(user) -> QuerySet[Thread]:
    """The threads of `user`'s agency, for officers; none for anyone else."""
    if not is_officer(user):
        return Thread.objects.none()
    return Thread.objects.filter(agency_id=user.agency_id).select_related("agency", "case")


def access_thread(user, pk) -> Thread:
    """The thread `pk` if `user` may open it; Http404 otherwise (the refusal is audited)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    return first_visible_or_404(
        visible_threads(user), Thread, pk, "cooperation:thread:denied", user, thread_id=pk
    )


def access_item(user, thread: Thread, item_id) -> Item:
    """One item of an accessed thread; Http404 when it is not one of its items."""
    try:
        return Item.objects.select_related("message").get(pk=int(item_id), message__thread=thread)
    except (Item.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def access_source_case(user, case_id) -> Case:
    """A case of `user`'s own agency that they may send from; Http404 otherwise (audited)."""
    if not is_officer(user):
        raise Http404
    case = access_case(user, case_id)
    if case.agency_id != user.agency_id:
        record("cooperation:case:denied", actor=user, obj=case)
        raise Http404
    return case


def pickable_persons(user, case: Case) -> QuerySet[CasePerson]:
    """The persons of `case` that `user` may put in a message (hidden victims left out)."""
    return visible_case_persons(user).filter(case=case).prefetch_related("person__identifiers")


def target_cases(user) -> QuerySet[Case]:
    """The open cases of `user`'s agency an incoming item may be attached to."""
    if not is_officer(user):
        return Case.objects.none()
    return Case.objects.filter(agency_id=user.agency_id).exclude(stage="closed").order_by("-id")


def thread_refusal(thread: Thread, action: str, to=None) -> str:
    """Why `action` ("forward", "export", "message", "share") is forbidden on what `thread`
    brought in, or "" when its handling code or the sender's consent allows it.

    A code that names its recipients (H3: the receiver's prosecution) allows the action only
    towards them: `to` is the agency or user that receives it, and an unknown `to` is refused.
    """
    if thread.consent == Consent.GRANTED:
        return ""
    # The code binds the side that received: what the other node wrote in this thread.
    if not thread.messages.filter(direction=Direction.INCOMING).exists():
        return ""
    code = codes.get(thread.handling_code)
    label = code.label() if code else thread.handling_code
    names = {"reference": thread.reference, "node": thread.counterpart_node, "code": label}
    if not codes.allows(thread.handling_code, action):
        return (
            _(
                "%(reference)s from %(node)s is marked “%(code)s”: it cannot be passed on without "
                "the sender's consent."
            )
            % names
        )
    if code is None or not code.grantee_roles or _is_grantee(to, code.grantee_roles):
        return ""
    roles = ", ".join(str(Role(r).label) for r in sorted(code.grantee_roles))
    return _(
        "%(reference)s from %(node)s is marked “%(code)s”: it may be passed on only to "
        "%(roles)s of this node, or with the sender's consent."
    ) % {**names, "roles": roles}


def _is_grantee(to, roles) -> bool:
    """Whether `to` (a user, or an agency through its active users) holds one of `roles`."""
    if to is None or isinstance(to, str):
        return False
    if hasattr(to, "has_role"):
        return bool(to.is_active and to.has_role(*roles))
    return to.users.filter(is_active=True, roles__role__in=roles).exists()


def onward_refusal(action: str, *, case_ids=(), person_ids=(), to=None) -> str:
    """The check registered with tipnet.lib.onward: the first refusal of a restricted item
    attached to these cases or persons (or to a person of these cases), or ""."""
    case_ids, person_ids = list(case_ids), list(person_ids)
    if not case_ids and not person_ids:
        return ""
    where = Q(attached_person_id__in=person_ids) | Q(attached_case_id__in=case_ids)
    where |= Q(attached_person__case_roles__case_id__in=case_ids)
    items = Item.objects.filter(where, message__direction=Direction.INCOMING)
    items = items.exclude(message__thread__consent=Consent.GRANTED)
    for thread in Thread.objects.filter(messages__items__in=items).distinct().order_by("id"):
        reason = thread_refusal(thread, action, to)
        if reason:
            return reason
    return ""
