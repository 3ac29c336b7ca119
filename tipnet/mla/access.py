"""Who may see and handle which MLA request.

* Prosecutors and central-authority officers draft outgoing requests for cases their agency may
  see (tipnet.cases.access); they see their agency's outgoing requests.
* Central-authority officers also see every outgoing request of the node (they transmit them)
  and handle the incoming register.
* Analysts see counts only (dashboard and statistics), never a request.
* Everyone else: 404. A missing request and a forbidden one both answer 404; the forbidden
  attempt is audited.

Persons' identities follow the cases app: victims named in an outgoing request are shown only to
users who may see victims' identities in its case.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from tipnet.audit.actions import first_visible_or_404, record
from tipnet.cases.access import access_case, can_see_identity, visible_case_persons

from .enums import Direction, PersonKind, State
from .models import MlaPerson, MlaRequest

DRAFTER_ROLES = ("prosecutor", "central_authority")
COUNT_ROLES = ("prosecutor", "central_authority", "analyst")


def _is_user(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_central_authority(user) -> bool:
    return _is_user(user) and user.has_role("central_authority")


def can_draft(user) -> bool:
    """True when `user` may open outgoing requests (a prosecutor or CA officer with an agency)."""
    return _is_user(user) and bool(user.agency_id) and user.has_role(*DRAFTER_ROLES)


def can_see_counts(user) -> bool:
    """True when `user` may see the dashboard's counts and the statistics."""
    return _is_user(user) and user.has_role(*COUNT_ROLES)


def access_counted_requests(user) -> QuerySet[MlaRequest]:
    """The requests the dashboard counts for `user`: the whole node for analysts (counts only,
    never rows), what they may open for everyone else; Http404 for users who see no counts."""
    if not can_see_counts(user):
        raise Http404
    return MlaRequest.objects.all() if user.has_role("analyst") else visible_requests(user)


def visible_requests(user) -> QuerySet[MlaRequest]:
    """The requests `user` may open: see the module docstring."""
    if not _is_user(user):
        return MlaRequest.objects.none()
    condition = Q(pk__in=[])
    if user.has_role(*DRAFTER_ROLES) and user.agency_id:
        condition |= Q(direction=Direction.OUTGOING, agency_id=user.agency_id)
    if user.has_role("central_authority"):
        condition |= Q(direction=Direction.INCOMING) | ~Q(state=State.DRAFT, direction="outgoing")
    return MlaRequest.objects.filter(condition).select_related("agency", "case")


def access_request(user, pk) -> MlaRequest:
    """The request `pk` if `user` may open it; Http404 otherwise (the refusal is audited)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    return first_visible_or_404(
        visible_requests(user), MlaRequest, pk, "mla:request:denied", user, request_id=pk
    )


def can_edit(user, req: MlaRequest) -> bool:
    """True when `user` may change the draft `req`: a drafter of its agency."""
    return (
        req.direction == Direction.OUTGOING
        and req.state == State.DRAFT
        and can_draft(user)
        and req.agency_id == user.agency_id
    )


def access_draft(user, pk) -> MlaRequest:
    """The draft `pk` if `user` may edit it; Http404 otherwise (audited)."""
    req = access_request(user, pk)
    if not can_edit(user, req):
        record("mla:request:denied", actor=user, obj=req, wanted="edit")
        raise Http404
    return req


def can_act(user, req: MlaRequest) -> bool:
    """True when `user` may perform this node's transitions on `req`."""
    if req.direction == Direction.INCOMING:
        return is_central_authority(user)
    return can_draft(user) and (req.agency_id == user.agency_id or is_central_authority(user))


def access_case_for_request(user, case_id):
    """A case `user` may draft a request for: visible to them and they are a drafter."""
    if not can_draft(user):
        raise Http404
    return access_case(user, case_id)


def pickable_case_persons(user, case):
    """The persons of `case` that `user` may put in a request (hidden victims left out)."""
    return visible_case_persons(user).filter(case=case).order_by("role", "id")


def shown_persons(user, req: MlaRequest) -> list[MlaPerson]:
    """The persons of `req` whose identity `user` may see (victims follow the cases rules)."""
    persons = list(req.persons.all())
    if req.direction == Direction.INCOMING or req.case is None:
        return persons
    if can_see_identity(user, req.case):
        return persons
    return [p for p in persons if p.kind != PersonKind.VICTIM]
