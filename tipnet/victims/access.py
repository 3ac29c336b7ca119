"""Who may see what of victims. Deny by default; a missing and a forbidden record both give 404.

* Caseworkers of the agency that registered a victim see and change everything about them.
* Analysts of the node see victims by code only (and aggregates); never names or contacts.
* Users of a service provider see the referrals addressed to it by code; the name only when the
  referral shares identity and the victim's data-sharing consent for that provider is active.
* Everyone else sees nothing. An attempt on another agency's victim is audited.
"""

from typing import NoReturn

from django.db.models import Q, QuerySet
from django.http import Http404

from tipnet.audit.actions import first_visible_or_404, record

from .models import (
    Consent,
    HotlineCall,
    IncomingHandOver,
    Purpose,
    Referral,
    RepatriationPlan,
    ServiceOffer,
    Victim,
)


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_caseworker(user) -> bool:
    return _active(user) and user.agency_id is not None and user.has_role("caseworker")


def is_analyst(user) -> bool:
    return _active(user) and user.has_role("analyst")


def access_caseworker(user) -> None:
    """Raise Http404 unless `user` is a caseworker of an agency (who may register victims)."""
    if not is_caseworker(user):
        raise Http404


def access_victims(user) -> QuerySet:
    """Victims `user` may list: their agency's for a caseworker, all (by code) for an analyst."""
    if is_caseworker(user):
        return Victim.objects.filter(agency_id=user.agency_id)
    if is_analyst(user):
        return Victim.objects.all()
    raise Http404


def can_see_identity(user, victim: Victim) -> bool:
    """True only for caseworkers of the agency that registered `victim`."""
    return is_caseworker(user) and user.agency_id == victim.agency_id


def _denied(user, code: str) -> NoReturn:
    if Victim.objects.filter(code=code).exists():
        record("victims:victim:denied", actor=user, code=code)
    raise Http404


def access_victim_by_code(user, code: str) -> Victim:
    """The victim `code` for its own caseworkers; Http404 (and an audit event) for anyone else."""
    if not is_caseworker(user):
        _denied(user, code)
    victim = Victim.objects.filter(agency_id=user.agency_id, code=code).first()
    if victim is None:
        _denied(user, code)
    return victim


def has_consent(victim: Victim, purpose: str, recipient_id: int | None = None) -> bool:
    """Whether `victim` has an active (not withdrawn) consent for `purpose` (and `recipient`)."""
    consents = Consent.objects.filter(victim=victim, purpose=purpose, withdrawn_at__isnull=True)
    if recipient_id is not None:
        consents = consents.filter(recipient_id=recipient_id)
    return consents.exists()


def access_consent(user, victim: Victim, consent_id: int) -> Consent:
    """One consent of `victim` (already accessed by `user`); Http404 otherwise."""
    consent = Consent.objects.filter(victim=victim, pk=consent_id).first()
    if consent is None or not can_see_identity(user, victim):
        raise Http404
    return consent


def access_return_plan(user, victim: Victim, plan_id) -> RepatriationPlan:
    """One return plan of `victim` (already accessed by `user`); Http404 otherwise."""
    try:
        plan = victim.returns.select_related("receiving_service").filter(pk=int(plan_id)).first()
    except (TypeError, ValueError):
        plan = None
    if plan is None or not can_see_identity(user, victim):
        raise Http404
    return plan


def _provider_id(user) -> int | None:
    if not (_active(user) and user.agency_id and user.has_role("caseworker")):
        return None
    return user.agency.directory_agency_id


def access_incoming_referrals(user) -> QuerySet:
    """Referrals addressed to the directory agency of `user`'s agency (empty if none)."""
    provider = _provider_id(user)
    if provider is None:
        return Referral.objects.none()
    return Referral.objects.filter(offer__provider_id=provider).select_related(
        "victim", "offer", "offer__provider"
    )


def access_outgoing_referrals(user) -> QuerySet:
    """Referrals made for victims of `user`'s agency (a caseworker's; empty otherwise)."""
    if not is_caseworker(user):
        return Referral.objects.none()
    return Referral.objects.filter(victim__agency_id=user.agency_id).select_related(
        "victim", "offer", "offer__provider"
    )


def access_referral(user, referral_id: int) -> Referral:
    """A referral seen by its receiving provider or by the referring agency; Http404 otherwise."""
    visible = access_incoming_referrals(user) | access_outgoing_referrals(user)
    return first_visible_or_404(
        visible, Referral, referral_id, "victims:referral:denied", user, referral=referral_id
    )


def is_receiver(user, referral: Referral) -> bool:
    return _provider_id(user) == referral.offer.provider_id


def referral_identity(user, referral: Referral) -> str | None:
    """The name a user may see on a referral, or None: consent decides, at the time of reading."""
    victim = referral.victim
    if can_see_identity(user, victim):
        return " ".join(filter(None, [victim.given_name, victim.family_name]))
    if not (is_receiver(user, referral) and referral.shares_identity):
        return None
    if not has_consent(victim, Purpose.DATA_SHARING, referral.offer.provider_id):
        return None
    return " ".join(filter(None, [victim.given_name, victim.family_name]))


def access_incoming_hand_overs(user) -> QuerySet:
    """Hand-overs from other nodes addressed to the service of `user`'s agency (its caseworkers'
    only: the identity travelled with consent naming that service; empty for everyone else)."""
    provider = _provider_id(user)
    if provider is None:
        return IncomingHandOver.objects.none()
    return IncomingHandOver.objects.filter(receiving_service_id=provider)


def access_incoming_hand_over(user, hand_over_id: int) -> IncomingHandOver:
    """One incoming hand-over for the receiving service's caseworkers; Http404 otherwise."""
    return first_visible_or_404(
        access_incoming_hand_overs(user),
        IncomingHandOver,
        hand_over_id,
        "victims:hand_over:denied",
        user,
        hand_over=hand_over_id,
    )


def access_offers(user) -> QuerySet:
    """Active service offers, for any active user of the node."""
    if not _active(user):
        raise Http404
    return ServiceOffer.objects.filter(is_active=True).select_related(
        "provider", "provider__country"
    )


def access_hotline(user) -> QuerySet:
    """Hotline calls of `user`'s agency, for its caseworkers."""
    access_caseworker(user)
    return HotlineCall.objects.filter(agency_id=user.agency_id)


def access_statistics(user) -> Q:
    """The filter on victims and calls whose aggregates `user` may see; Http404 for others."""
    if is_analyst(user):
        return Q()
    if is_caseworker(user):
        return Q(agency_id=user.agency_id)
    raise Http404
