"""The only code that writes checks records. Every do_* records an audit event.

Asking (`do_check`) and answering (`link.handle_query`, `do_review_hit`) queue their messages
inside their own transaction (the transactional outbox), so a check and its query, or a decision
and its answer, are stored together or not at all.
"""

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tipnet.audit.actions import record
from tipnet.cases.enums import PersonRole
from tipnet.cases.models import Case, CasePerson
from tipnet.exchange.actions import ExchangeError, queue
from tipnet.exchange.registry import RegistryError, current
from tipnet.linkage import name_keys
from tipnet.victims.access import can_see_identity
from tipnet.victims.models import Consent, Purpose

from . import index, link, netkey
from .models import (
    Alert,
    Decision,
    Hit,
    Kind,
    LegalBasis,
    OutgoingCheck,
    Result,
    Sharing,
)
from .policies import policy

# Roles a person check may find; victims are found only by the missing-person check.
POLICY_ROLES = (PersonRole.SUSPECT, PersonRole.WITNESS, PersonRole.OTHER)
ALL_NODES = "all"


def do_set_policy(actor, checkable_roles: Iterable[str], answer_missing: bool, hold_hits: bool):
    """Set which roles are checkable, whether victims answer missing-person checks, and
    whether hits wait for an officer's review."""
    roles = sorted(set(checkable_roles))
    unknown = [r for r in roles if r not in POLICY_ROLES]
    if unknown:
        raise ValidationError({"checkable_roles": _("A victim is never found by a person check.")})
    with transaction.atomic():
        found = policy()
        found.checkable_roles, found.answer_missing, found.hold_hits = (
            roles,
            bool(answer_missing),
            bool(hold_hits),
        )
        found.updated_by, found.updated_at = actor, timezone.now()
        found.save()
        record(
            "checks:policy:update",
            actor=actor,
            obj=found,
            roles=roles,
            answer_missing=found.answer_missing,
            hold_hits=found.hold_hits,
        )
    return found


def do_rebuild(actor) -> int:
    """Re-encode the whole index under the current key's epoch; the number of persons."""
    try:
        key = netkey.current()
    except netkey.CheckKeyError as exc:
        raise ValidationError(_("This node holds no network check key.")) from exc
    with transaction.atomic():
        count = index.rebuild(key)
        record("checks:index:rebuild", actor=actor, epoch=key.epoch, persons=count)
    return count


def partner_nodes() -> list[str]:
    """The other member nodes that may receive messages now, by id."""
    try:
        registry = current()
    except RegistryError:
        return []
    now = timezone.now()
    return sorted(
        n.id
        for n in registry.nodes.values()
        if n.id != settings.TIPNET_NODE_ID and not n.problem(now)
    )


def _recipients(nodes: Iterable[str]) -> list[str]:
    partners = partner_nodes()
    wanted = sorted(set(nodes))
    if ALL_NODES in wanted:
        wanted = partners
    unknown = [n for n in wanted if n not in partners]
    if unknown:
        raise ValidationError(
            {"nodes": _("Not a member of the network: %(nodes)s.") % {"nodes": ", ".join(unknown)}}
        )
    if not wanted:
        raise ValidationError({"nodes": _("Choose at least one partner node.")})
    return wanted


def _check_quota(actor, count: int) -> None:
    since = timezone.now() - timedelta(days=1)
    asked = OutgoingCheck.objects.filter(created_by=actor, created_at__gte=since).count()
    limit = settings.TIPNET_CHECKS_USER_DAILY
    if asked + count > limit:
        raise ValidationError(
            _(
                "Over your daily quota of checks: %(asked)d asked in the last 24 hours, "
                "%(count)d more would exceed %(limit)d."
            )
            % {"asked": asked, "count": count, "limit": limit}
        )


def _check_rows(case: Case, rows: list[CasePerson], kind: str) -> None:
    if not rows:
        raise ValidationError({"persons": _("Choose at least one person of the case.")})
    for row in rows:
        if row.case_id != case.pk:
            raise ValidationError({"persons": _("Choose persons of this case.")})
        is_victim = row.role == PersonRole.VICTIM
        if kind == Kind.PERSON and is_victim:
            raise ValidationError(
                {"persons": _("A victim is checked only as a missing or trafficked person.")}
            )
        if kind == Kind.MISSING and not is_victim:
            raise ValidationError(
                {"persons": _("A missing-person check is about a victim of the case.")}
            )
        if not link.has_minimum_fields(link.fields_of(row.person)):
            raise ValidationError(
                {
                    "persons": _(
                        "%(name)s: a surname alone is not enough; record the given name too, "
                        "or an identifier."
                    )
                    % {"name": row.person.full_name}
                }
            )


def _check_consent(actor, case: Case, rows: list[CasePerson], consent: Consent | None) -> None:
    """Refuse a missing-person check unless it relies on the victim's active consent to
    cross-border checks, recorded in the victims register by the actor's agency."""
    if consent is None:
        raise ValidationError(
            {
                "consent": _(
                    "A missing-person check needs the victim's consent to checks with partner "
                    "countries, recorded in the victims register: none was given."
                )
            }
        )
    if len(rows) != 1:
        raise ValidationError(
            {"persons": _("A missing-person check asks about one victim, with their consent.")}
        )
    victim = consent.victim
    if not can_see_identity(actor, victim):
        raise ValidationError(
            {
                "consent": _(
                    "Only a caseworker of the agency that registered %(code)s may rely on "
                    "their consent."
                )
                % {"code": victim.code}
            }
        )
    if consent.purpose != Purpose.BORDER_CHECK:
        raise ValidationError(
            {
                "consent": _(
                    "Consent %(consent)s of %(code)s is for another purpose, not for checks "
                    "with partner countries."
                )
                % {"consent": consent.pk, "code": victim.code}
            }
        )
    if consent.withdrawn_at is not None:
        raise ValidationError(
            {
                "consent": _(
                    "%(code)s withdrew their consent to checks with partner countries on "
                    "%(day)s: the check is not allowed."
                )
                % {"code": victim.code, "day": consent.withdrawn_at.date().isoformat()}
            }
        )
    if victim.case_id not in (None, case.pk):
        raise ValidationError(
            {"consent": _("%(code)s is linked to another case.") % {"code": victim.code}}
        )
    person_keys = name_keys(rows[0].person.full_name)
    victim_keys = name_keys(f"{victim.given_name} {victim.family_name}")
    if not victim_keys or not (victim_keys <= person_keys or person_keys <= victim_keys):
        raise ValidationError(
            {
                "consent": _(
                    "The consent is of %(code)s, whose recorded name is not that of %(name)s."
                )
                % {"code": victim.code, "name": rows[0].person.full_name}
            }
        )


def do_check(
    actor,
    case: Case,
    rows: list[CasePerson],
    nodes: Iterable[str],
    legal_basis: str,
    kind: str = Kind.PERSON,
    consent: Consent | None = None,
) -> list[OutgoingCheck]:
    """Ask `nodes` (ids, or "all") whether they know each person of `rows` (rows of `case`).

    Each query carries only the persons' encodings and identifier tokens, the kind, the legal
    basis, an opaque id of the case and the key's epoch. A missing-person check (about one
    victim) relies on `consent`, the victim's consent to cross-border checks in the victims
    register; it is recorded on the checks and in their audit events. Raises ValidationError,
    with nothing stored or sent, for an unknown node, a person with too few fields, a consent
    that is missing, withdrawn, for another purpose or of another victim, no key, or a user
    over quota.
    """
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Unknown type of check.")})
    if legal_basis not in LegalBasis.values:
        raise ValidationError({"legal_basis": _("Choose the legal basis of the check.")})
    if case is None:
        raise ValidationError({"case": _("A check is asked from a case.")})
    _check_rows(case, rows, kind)
    if kind == Kind.MISSING:
        _check_consent(actor, case, rows, consent)
    else:
        consent = None
    recipients = _recipients(nodes)
    try:
        key = netkey.current()
    except netkey.CheckKeyError as exc:
        raise ValidationError(_("This node holds no network check key.")) from exc
    _check_quota(actor, len(rows) * len(recipients))
    made = []
    with transaction.atomic():
        if consent is not None:
            # withdrawn in the meantime? Read it again under a lock, as the withdrawal writes it.
            consent = (
                Consent.objects.select_for_update().select_related("victim").get(pk=consent.pk)
            )
            _check_consent(actor, case, rows, consent)
        batch = OutgoingCheck().batch
        for row in rows:
            payload = link.query_payload(key, case, row.person, kind, legal_basis)
            for node in recipients:
                check = OutgoingCheck.objects.create(
                    batch=batch,
                    case=case,
                    person=row.person,
                    kind=kind,
                    legal_basis=legal_basis,
                    consent_recorded=consent is not None,
                    consent=consent,
                    node=node,
                    epoch=key.epoch,
                    created_by=actor,
                )
                try:
                    queue(
                        actor,
                        link.QUERY,
                        node,
                        {**payload, "query_id": str(check.uid)},
                        conversation_id=str(check.uid),
                    )
                except ExchangeError as exc:
                    raise ValidationError({"nodes": str(exc)}) from exc
                record(
                    "checks:query:send",
                    actor=actor,
                    obj=check,
                    case_id=case.pk,
                    node=node,
                    kind=kind,
                    legal_basis=legal_basis,
                    epoch=key.epoch,
                    consent=consent.pk if consent is not None else None,
                )
                made.append(check)
    return made


def do_review_hit(actor, hit: Hit, decision: str) -> Hit:
    """Decide a held hit: confirmed answers "hit" with the reference, rejected "no_hit"."""
    if decision not in (Decision.CONFIRMED, Decision.REJECTED):
        raise ValidationError({"decision": _("Confirm the hit or reject it.")})
    with transaction.atomic():
        hit = Hit.objects.select_for_update().select_related("incoming").get(pk=hit.pk)
        if hit.decision or hit.incoming.result != Result.HELD:
            raise ValidationError(_("This hit has already been reviewed."))
        hit.decision, hit.decided_by, hit.decided_at = decision, actor, timezone.now()
        hit.save(update_fields=["decision", "decided_by", "decided_at"])
        result = Result.HIT if decision == Decision.CONFIRMED else Result.NO_HIT
        link.answer(actor, hit.incoming, result, hit=hit if result == Result.HIT else None)
        record("checks:hit:review", actor=actor, obj=hit, decision=decision)
    return hit


def do_set_sharing(actor, hit: Hit, sharing: str) -> Hit:
    """Record what this node is ready to share about a hit's person on a follow-up request."""
    if sharing not in (Sharing.ON_REQUEST, Sharing.NOT_SHARED):
        raise ValidationError({"sharing": _("Choose what to share.")})
    with transaction.atomic():
        hit.sharing, hit.decided_by, hit.decided_at = sharing, actor, timezone.now()
        hit.save(update_fields=["sharing", "decided_by", "decided_at"])
        record("checks:hit:sharing", actor=actor, obj=hit, sharing=sharing)
    return hit


def do_close_alert(actor, alert: Alert) -> Alert:
    """Close an alert once an admin has looked into it."""
    with transaction.atomic():
        alert.is_open, alert.closed_by = False, actor
        alert.save(update_fields=["is_open", "closed_by"])
        record("checks:alert:close", actor=actor, obj=alert, sender=alert.sender)
    return alert
