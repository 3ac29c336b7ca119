"""Who may see and change which case.

A case belongs to its agency. Members of that agency with an operational role (or an analyst,
who sees no identities) see it; anyone else only through an unexpired `CaseGrant` to their
agency or to them. Victims' identities are shown only to investigators, prosecutors and
caseworkers of the owning agency. What people wrote in their own words about a case (its title,
summary, timeline and stage notes, documents) is read only by operational roles: see
`can_read_free_text`, the one rule the pages, the API and the searches follow. A missing case
and a forbidden one both answer 404; the forbidden attempt is audited.
"""

from datetime import datetime

from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tipnet.audit.actions import record
from tipnet.lib.prepared import Prepared

from .enums import GrantLevel, PersonRole
from .models import Case, CaseGrant, CasePerson, CaseTask, Document, Person, TaskStatus

# Roles that see the cases of their own agency.
READER_ROLES = ("investigator", "prosecutor", "central_authority", "caseworker", "analyst")
# Roles that may open and change the cases of their own agency.
WRITER_ROLES = ("investigator", "prosecutor")
# Roles that may see victims' identities in their own agency's cases.
IDENTITY_ROLES = ("investigator", "prosecutor", "caseworker")
# Roles that may read the free text and documents of the cases they see (analysts may not:
# see can_read_free_text).
NARRATIVE_ROLES = ("investigator", "prosecutor", "central_authority", "caseworker")


def _is_user(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _live_grants(user) -> QuerySet[CaseGrant]:
    now = timezone.now()
    who = Q(user=user)
    if user.agency_id is not None:
        who |= Q(agency_id=user.agency_id)
    return CaseGrant.objects.filter(who).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))


# A user's grants and their agency's, live or expired: read on every list and search, so its SQL
# is built once (tipnet/lib/prepared.py); the few rows are sorted out by their end here.
_GRANTS_OF: Prepared[tuple[int, datetime | None]] = Prepared(
    lambda user_id, agency_id: (
        CaseGrant.objects.filter(Q(user_id=user_id) | Q(agency_id=agency_id))
        .order_by()
        .values_list("case_id", "expires_at")
    )
)


def _granted_case_ids(user) -> list[int]:
    # Grants are few per user; a literal id list keeps the planner on the indexes, where an
    # EXISTS inside an OR made PostgreSQL scan every case (see bench/README.md).
    if user.agency_id is None:
        return list(_live_grants(user).values_list("case_id", flat=True).distinct())
    now = timezone.now()
    live = {
        case_id
        for case_id, ends in _GRANTS_OF(user.pk, user.agency_id)
        if ends is None or ends > now
    }
    return sorted(live)


def _visible(user, prefix: str = "") -> Q | None:
    """The condition for visible cases on `prefix` (such as "case__"); None when none is."""
    if not _is_user(user):
        return None
    condition = Q()
    if user.has_role(*READER_ROLES) and user.agency_id:
        condition |= Q(**{f"{prefix}agency_id": user.agency_id})
    granted = _granted_case_ids(user)
    if granted:
        condition |= Q(**{f"{prefix}id__in": granted})
    return condition or None


def visible_cases(user) -> QuerySet[Case]:
    """All cases `user` may read: their agency's (for case roles) and those granted to them."""
    condition = _visible(user)
    if condition is None:
        return Case.objects.none()
    return Case.objects.filter(condition).select_related("agency")


def access_case(user, pk) -> Case:
    """The case `pk` if `user` may read it; Http404 otherwise (the refused attempt is audited)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    # visible_cases' rule for one case: read it by its key, then decide on the row (a case of
    # the reader's own agency needs no other statement). Missing and forbidden answer alike.
    if not 0 < pk < 2**63:
        raise Http404
    found = _CASE_BY_PK(pk)
    if not found:
        raise Http404
    case = found[0]
    if not _may_read(user, case):
        record("cases:case:denied", actor=user, case_id=pk)
        raise Http404
    return case


# Read on every case page: its SQL is built once (tipnet/lib/prepared.py).
_CASE_BY_PK: Prepared[Case] = Prepared(
    lambda pk: Case.objects.select_related("agency").filter(pk=pk).order_by()
)


def _may_read(user, case: Case) -> bool:
    if not _is_user(user):
        return False
    if user.agency_id and case.agency_id == user.agency_id and user.has_role(*READER_ROLES):
        return True
    return _live_grants(user).filter(case_id=case.pk).exists()


def access_case_by_reference(user, reference: str) -> Case:
    """The case with this reference if `user` may read it; Http404 otherwise (audited)."""
    found = Case.objects.filter(reference=reference).values_list("pk", flat=True).first()
    if found is None:
        raise Http404
    return access_case(user, found)


def can_edit_case(user, case: Case) -> bool:
    """True when `user` may change `case`: a writer of the owning agency or a write grant."""
    if not _is_user(user) or case.is_closed:
        return False
    if case.agency_id == user.agency_id and user.has_role(*WRITER_ROLES):
        return True
    return _live_grants(user).filter(case=case, level=GrantLevel.WRITE).exists()


def access_case_for_edit(user, pk) -> Case:
    """The case `pk` if `user` may change it; Http404 otherwise (the attempt is audited)."""
    case = access_case(user, pk)
    if not can_edit_case(user, case):
        record("cases:case:denied", actor=user, obj=case, wanted="edit")
        raise Http404
    return case


def can_grant(user, case: Case) -> bool:
    """Only writers of the owning agency may share a case with others."""
    return _is_user(user) and case.agency_id == user.agency_id and user.has_role(*WRITER_ROLES)


def can_see_identity(user, case: Case) -> bool:
    """True when `user` may see victims' names, birth dates and identifiers in `case`."""
    return bool(
        _is_user(user) and case.agency_id == user.agency_id and user.has_role(*IDENTITY_ROLES)
    )


def access_case_person(user, case: Case, case_person_id) -> CasePerson:
    """One person row of an accessed case; hidden victims answer 404 like missing rows."""
    try:
        row = case.case_persons.select_related("person").get(pk=int(case_person_id))
    except (CasePerson.DoesNotExist, TypeError, ValueError):
        raise Http404 from None
    if row.role == PersonRole.VICTIM and not can_see_identity(user, case):
        raise Http404
    return row


def free_text_condition(user) -> Q:
    """The condition on cases whose free text `user` may read; combine it with visible_cases.

    Investigators write names into titles, summaries, timeline and stage notes and documents,
    so analysts (who never see identities) get only the structured facts of a case, unless its
    owning agency granted the case to them by name (a recorded, expiring decision).
    """
    if not _is_user(user):
        return Q(pk__in=[])
    if user.has_role(*NARRATIVE_ROLES):
        return Q()
    named = _live_grants(user).filter(user=user).values_list("case_id", flat=True)
    return Q(pk__in=list(named))


def _free_text_ids(user, ids: set[int]) -> set[int]:
    if not ids or not _is_user(user):
        return set()
    if user.has_role(*NARRATIVE_ROLES):
        return ids  # free_text_condition would be Q(): spare the query
    return set(
        Case.objects.filter(pk__in=ids)
        .filter(free_text_condition(user))
        .values_list("pk", flat=True)
    )


def mark_free_text(user, cases):
    """Set `free_text_shown` on each of `cases` (already accessed) for `user`; return them.

    Templates read the flag and treat a case without it as withheld (deny by default).
    """
    cases = list(cases)
    shown = _free_text_ids(user, {case.pk for case in cases})
    for case in cases:
        case.free_text_shown = case.pk in shown
        case.free_text_user = getattr(user, "pk", None)
    return cases


def can_read_free_text(user, case: Case) -> bool:
    """True when `user` may read the free text of `case` (already accessed): its title and
    summary, timeline event and stage-change notes, document titles and the documents.

    The answer is kept on `case` (as `free_text_shown`) for the templates and API schemas.
    """
    if getattr(case, "free_text_user", object()) != getattr(user, "pk", None):
        mark_free_text(user, [case])
    return bool(getattr(case, "free_text_shown", False))


def can_read_documents(user, case: Case) -> bool:
    """True when `user` may list and open the documents of `case` (already accessed).

    Statements, scans and photos are free text of the case: the rule is can_read_free_text's,
    so analysts see only how many documents there are, unless granted the case by name.
    """
    return can_read_free_text(user, case)


def access_documents(user, case: Case) -> QuerySet[Document]:
    """The documents of an accessed case, without their bytes; Http404 (audited) for a user
    who may not read them."""
    if not can_read_documents(user, case):
        record("cases:document:denied", actor=user, obj=case)
        raise Http404
    return case.documents.defer("content")


def access_document(user, case: Case, document_id) -> Document:
    """One document of an accessed case; Http404 when it is not one of its documents or
    `user` may not read documents (the refusal is audited)."""
    access_documents(user, case)
    try:
        return case.documents.get(pk=int(document_id))
    except (Document.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def identity_cases(user) -> QuerySet[Case]:
    """The visible cases in which `user` may also see victims' identities."""
    if not (_is_user(user) and user.agency_id and user.has_role(*IDENTITY_ROLES)):
        return Case.objects.none()
    return visible_cases(user).filter(agency_id=user.agency_id)


def visible_case_persons(user) -> QuerySet[CasePerson]:
    """Person rows of visible cases, without victims whose identity `user` may not see."""
    condition = _visible(user, "case__")
    if condition is None:
        return CasePerson.objects.none()
    rows = CasePerson.objects.filter(condition)
    if user.agency_id and user.has_role(*IDENTITY_ROLES):
        hidden = Q(role=PersonRole.VICTIM) & ~Q(case__agency_id=user.agency_id)
    else:
        hidden = Q(role=PersonRole.VICTIM)
    return rows.exclude(hidden).select_related("person", "case")


def access_person(user, pk) -> Person:
    """A person who appears in a visible case (not as a hidden victim); Http404 otherwise."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    if not visible_case_persons(user).filter(person_id=pk).exists():
        if Person.objects.filter(pk=pk).exists():
            record("cases:person:denied", actor=user, person_id=pk)
        raise Http404
    return Person.objects.get(pk=pk)


def access_case_for_grant(user, pk) -> Case:
    """The case `pk` if `user` may share it; Http404 otherwise (the attempt is audited)."""
    case = access_case(user, pk)
    if not can_grant(user, case):
        record("cases:case:denied", actor=user, obj=case, wanted="grant")
        raise Http404
    return case


def access_grant(user, case: Case, grant_id) -> CaseGrant:
    """One grant of a case `user` may share; Http404 when it is not one of its grants."""
    try:
        return case.grants.get(pk=int(grant_id))
    except (CaseGrant.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def case_opening_agencies():
    """Active agencies of this node with an investigator or prosecutor: where a report that
    should become a case (a hotline call, say) can be passed."""
    from tipnet.accounts.models import Agency

    writers = {"users__is_active": True, "users__roles__role__in": WRITER_ROLES}
    return Agency.objects.filter(is_active=True, **writers).distinct().order_by("code")


def can_read_tasks(user, case: Case) -> bool:
    """Task titles are free text (they name people), so the rule is can_read_free_text's."""
    return can_read_free_text(user, case)


def task_assignees(case: Case, grants: list[CaseGrant] | None = None):
    """The users a task of `case` may be given to: active users with a role that reads free
    text, of the owning agency or of an agency (or named user) holding a live grant.

    `grants`: all the case's grants, when the caller has read them already.
    """
    from tipnet.accounts.models import User

    if grants is None:
        now = timezone.now()
        live = case.grants.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        agencies = [case.agency_id, *live.exclude(agency=None).values_list("agency_id", flat=True)]
        named = list(live.exclude(user=None).values_list("user_id", flat=True))
    else:
        live_grants = [g for g in grants if not g.is_expired]
        agencies = [case.agency_id, *(g.agency_id for g in live_grants if g.agency_id)]
        named = [g.user_id for g in live_grants if g.user_id]
    users = User.objects.filter(Q(agency_id__in=agencies) | Q(pk__in=named), is_active=True)
    users = users.filter(roles__role__in=NARRATIVE_ROLES).distinct()
    return users.order_by("username")


def access_task(user, case: Case, task_id) -> CaseTask:
    """One task of an accessed case that `user` may change: a writer of the case or the
    assignee; Http404 otherwise, like a missing task (the refusal is audited)."""
    try:
        task = case.tasks.select_related("assignee").get(pk=int(task_id))
    except (CaseTask.DoesNotExist, TypeError, ValueError):
        raise Http404 from None
    if not (can_edit_case(user, case) or task.assignee_id == user.pk):
        record("cases:task:denied", actor=user, obj=task, case_id=case.pk)
        raise Http404
    return task


def my_open_tasks(user) -> QuerySet[CaseTask]:
    """The open tasks assigned to `user` on cases they may still see and read."""
    if not _is_user(user):
        return CaseTask.objects.none()
    cases = visible_cases(user).filter(free_text_condition(user))
    return (
        CaseTask.objects.filter(assignee=user, status=TaskStatus.OPEN, case__in=cases)
        .exclude(case__stage="closed")
        .select_related("case")
        .order_by(models.F("due_on").asc(nulls_last=True), "id")
    )
