"""Who may see and handle which MLA request.

* Prosecutors and central-authority officers draft outgoing requests for cases their agency may
  see (tipnet.cases.access); they see their agency's outgoing requests.
* Central-authority officers also see every outgoing request of the node (they transmit them)
  and handle the incoming register.
* Analysts see counts only (dashboard and statistics), never a request.
* Everyone else: 404. A missing request and a forbidden one both answer 404; the forbidden
  attempt is audited.

Victims' identities: one rule, `may_see_identities`, for every rendering of a request (the page,
the JSON, the PDF and DOCX letters, the stored files). `access_persons` applies it: a victim the
reader may not see is replaced by a `RedactedPerson` (the role stays, the identity does not).
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext

from tipnet.audit.actions import first_visible_or_404, record
from tipnet.cases.access import access_case, can_see_identity, visible_case_persons

from .enums import Direction, PersonKind, State
from .models import MlaFile, MlaPerson, MlaRequest

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


def _drafter_sees(user, req: MlaRequest) -> bool:
    # The drafting prosecutor of the owning agency, who may see the victims in its case.
    return (
        req.direction == Direction.OUTGOING
        and user.has_role("prosecutor")
        and bool(user.agency_id)
        and req.agency_id == user.agency_id
        and (req.case is None or can_see_identity(user, req.case))
    )


def _officer_sees(user, req: MlaRequest) -> bool:
    # The central authority that must transmit (outgoing, once it has left the draft) or
    # execute (incoming) the request; an officer of another agency only routes it.
    if not is_central_authority(user):
        return False
    if req.direction == Direction.INCOMING:
        return True
    return bool(user.agency_id) and req.agency_id == user.agency_id and req.state != State.DRAFT


def may_see_identities(user, req: MlaRequest) -> bool:
    """True when `user` may see the identities of the victims named in `req` (already accessed).

    The one rule for every rendering of a request (page, JSON, PDF and DOCX letters, files):

    * the drafting prosecutor of the owning agency, when the cases rules let them see the
      victims of its case (`tipnet.cases.access.can_see_identity`);
    * a central-authority officer who must act on the request with the victims' identities: of
      the owning agency once an outgoing request has left the draft (they transmit it and follow
      it up), and any officer for an incoming request (they execute it). Their reads are
      audited by `access_persons` and `access_files`.

    Everyone else who may open the request (an officer of another agency on the node, an officer
    of the owning agency on a draft) sees each victim redacted.
    """
    return _is_user(user) and (_drafter_sees(user, req) or _officer_sees(user, req))


def _is_audited_read(user, req: MlaRequest) -> bool:
    return _officer_sees(user, req) and not _drafter_sees(user, req)


@dataclass(frozen=True)
class RedactedPerson:
    """A victim whose identity the reader may not see: the row and role stay, the identity
    is a translated placeholder and every other field is blank."""

    pk: int
    kind: str
    birth_date: str = ""
    birth_place: str = ""
    citizenship: str = ""
    residence: str = ""
    occupation: str = ""
    parents_names: str = ""
    redacted: bool = True

    @property
    def id(self) -> int:
        return self.pk

    @property
    def full_name(self) -> str:
        # Read at rendering time, so a letter in Russian says it in Russian.
        return gettext("[identity withheld]")

    def get_kind_display(self) -> str:
        return str(dict(PersonKind.choices).get(self.kind, self.kind))


def access_persons(user, req: MlaRequest, rendering: str) -> list[MlaPerson | RedactedPerson]:
    """The persons of `req` as `user` may read them in `rendering` ("page", "json", "pdf",
    "docx"): victims redacted unless `may_see_identities`. A central authority's read of a
    request that names a victim is audited (`mla:request:read_identity`)."""
    persons: list[MlaPerson | RedactedPerson] = list(req.persons.all())
    has_victims = any(p.kind == PersonKind.VICTIM for p in persons)
    if not may_see_identities(user, req):
        return [RedactedPerson(p.pk, p.kind) if p.kind == PersonKind.VICTIM else p for p in persons]
    if has_victims and _is_audited_read(user, req):
        record("mla:request:read_identity", actor=user, obj=req, rendering=rendering)
    return persons


def access_person_for_edit(user, req: MlaRequest, person_id) -> MlaPerson:
    """One person of the draft `req` (already accessed for editing) to change; a victim the
    user may not see answers 404 like a missing person."""
    try:
        person = req.persons.get(pk=int(person_id))
    except (MlaPerson.DoesNotExist, TypeError, ValueError):
        raise Http404 from None
    if person.kind == PersonKind.VICTIM and not may_see_identities(user, req):
        raise Http404
    return person


def access_files(user, req: MlaRequest) -> QuerySet[MlaFile]:
    """The files of `req` (the transmitted letter, results) `user` may list, without bytes.

    They name the persons in full, so only readers who `may_see_identities` get any.
    """
    if not may_see_identities(user, req):
        return MlaFile.objects.none()
    return req.files.defer("content")


def access_file(user, req: MlaRequest, file_id) -> MlaFile:
    """One file of `req` to download; Http404 when missing or not for `user` (see
    access_files). A central authority's download is audited (`mla:request:read_identity`)."""
    try:
        found = access_files(user, req).get(pk=int(file_id))
    except (MlaFile.DoesNotExist, TypeError, ValueError):
        raise Http404 from None
    if _is_audited_read(user, req):
        record("mla:request:read_identity", actor=user, obj=req, rendering="file")
    return found
