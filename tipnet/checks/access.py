"""Who may ask checks, see their answers, resolve a hit's reference and set the policy.

* Investigators and prosecutors ask "is this person known?" about non-victims of a case they
  may see; caseworkers ask "is this missing or trafficked person known?" about victims whose
  identity they may see, relying on the victim's consent to cross-border checks recorded by
  their agency in the victims register (``check_consents``).
* The answers are seen by whoever may ask about that case.
* On the answering node, a hit's reference resolves only for an officer (investigator,
  prosecutor, central-authority officer) who may see a case in which the person has a role.
* Node administrators set the policy and see the alerts.

A missing record and a forbidden one both answer 404; the forbidden attempt is audited.
"""

from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.http import Http404

from tipnet.audit.actions import record
from tipnet.cases.access import (
    access_case,
    can_see_identity,
    visible_case_persons,
)
from tipnet.cases.enums import PersonRole
from tipnet.cases.models import Case, CasePerson
from tipnet.lib.prepared import Prepared
from tipnet.victims.access import is_caseworker
from tipnet.victims.models import Consent, Purpose

from .models import Alert, Hit, Kind, OutgoingCheck

PERSON_CHECK_ROLES = ("investigator", "prosecutor")
MISSING_CHECK_ROLES = ("caseworker",)
OFFICER_ROLES = ("investigator", "prosecutor", "central_authority")


def _is_user(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def check_kinds(user) -> list[str]:
    """The kinds of check `user` may ask (none for most roles)."""
    if not (_is_user(user) and user.agency_id):
        return []
    kinds: list[str] = []
    if user.has_role(*PERSON_CHECK_ROLES):
        kinds.append(Kind.PERSON)
    if user.has_role(*MISSING_CHECK_ROLES):
        kinds.append(Kind.MISSING)
    return kinds


def can_check(user) -> bool:
    return bool(check_kinds(user))


def is_officer(user) -> bool:
    return _is_user(user) and user.has_role(*OFFICER_ROLES)


def is_node_admin(user) -> bool:
    return _is_user(user) and user.has_role("node_admin")


def access_case_for_check(user, pk) -> Case:
    """The case `pk` if `user` may ask checks about its persons; Http404 otherwise (audited)."""
    case = access_case(user, pk)
    if not can_check(user):
        record("checks:case:denied", actor=user, obj=case)
        raise Http404
    return case


def checkable_rows(user, case: Case, rows: Iterable[CasePerson] | None = None) -> list[CasePerson]:
    """The persons of `case` that `user` may ask about, by the kinds of check they may ask.

    `rows`: the case's persons (with `person`) when the caller has read them already.
    """
    kinds = check_kinds(user)
    if rows is None:
        rows = case.case_persons.select_related("person").order_by("role", "id")
    found = []
    for row in rows:
        if row.role == PersonRole.VICTIM and Kind.MISSING not in kinds:
            continue
        if row.role != PersonRole.VICTIM and Kind.PERSON not in kinds:
            continue
        # access_case_person's rule, on the row in hand (no query per person)
        if row.role == PersonRole.VICTIM and not can_see_identity(user, case):
            continue
        found.append(row)
    return found


def case_checks(user, case: Case) -> QuerySet[OutgoingCheck]:
    """The checks asked about `case`, for someone who may ask them; none for anyone else."""
    if not can_check(user):
        return OutgoingCheck.objects.none()
    return OutgoingCheck.objects.filter(case=case)


# Read on every case page of a user who may ask checks: the SQL is built once
# (tipnet/lib/prepared.py). Prefetched, not joined: most cases have no checks, and the related
# rows cost three queries only when there are checks.
_RECENT_CASE_CHECKS: Prepared[OutgoingCheck] = Prepared(
    lambda case_id: OutgoingCheck.objects.filter(case_id=case_id).prefetch_related(
        "person", "consent__victim"
    )[:50]
)


def recent_case_checks(user, case: Case) -> list[OutgoingCheck]:
    """The last 50 of `case_checks`, with their persons and consents, for the case page."""
    if not can_check(user):
        return []
    return _RECENT_CASE_CHECKS(case.pk)


def access_case_checks(user, case_pk) -> tuple[Case, QuerySet[OutgoingCheck]]:
    case = access_case_for_check(user, case_pk)
    return case, case_checks(user, case)


def _visible_person_ids(user) -> QuerySet:
    return visible_case_persons(user).values("person_id")


def visible_hits(user) -> QuerySet[Hit]:
    """The hits on this node whose person `user` may see in one of their cases (officers)."""
    if not is_officer(user):
        return Hit.objects.none()
    return Hit.objects.filter(person_id__in=_visible_person_ids(user)).select_related(
        "incoming", "person"
    )


def access_hit(user, reference: str) -> Hit:
    """The hit with this reference if `user` may resolve it; Http404 otherwise (audited)."""
    found = visible_hits(user).filter(reference=str(reference)[:64]).first()
    if found is None:
        record("checks:hit:denied", actor=user, reference=str(reference)[:64])
        raise Http404
    return found


def hit_cases(user, hit: Hit) -> list[CasePerson]:
    """The roles of the hit's person in cases `user` may see."""
    return list(visible_case_persons(user).filter(person_id=hit.person_id))


def access_alerts(user) -> QuerySet[Alert]:
    if not is_node_admin(user):
        raise Http404
    return Alert.objects.all()


def access_alert(user, pk) -> Alert:
    try:
        return access_alerts(user).get(pk=int(pk))
    except (Alert.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def check_consents(user, case: Case) -> QuerySet[Consent]:
    """Consents to cross-border checks that `user` may rely on for victims of `case`: those
    recorded for victims of the user's agency that are linked to the case or to no case,
    withdrawn ones included (so that relying on one is refused with its reason); none for
    anyone but caseworkers. ``actions.do_check`` also requires the victim's recorded name to be
    the checked person's."""
    if not (is_caseworker(user) and Kind.MISSING in check_kinds(user)):
        return Consent.objects.none()
    return (
        Consent.objects.filter(purpose=Purpose.BORDER_CHECK, victim__agency_id=user.agency_id)
        .filter(Q(victim__case=case) | Q(victim__case__isnull=True))
        .select_related("victim")
    )


def access_check_consent(user, case: Case, pk) -> Consent:
    """One consent of ``check_consents``; Http404 for any other (audited)."""
    try:
        return check_consents(user, case).get(pk=int(pk))
    except (Consent.DoesNotExist, TypeError, ValueError):
        record("checks:consent:denied", actor=user, obj=case, consent=str(pk)[:32])
        raise Http404 from None
