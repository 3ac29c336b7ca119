"""Writes about victims. Each `do_*` checks the rules (consent first), saves and records one audit
event. Audit details carry codes and ids, never names or contact details.

A refused write raises django.core.exceptions.ValidationError with a message for the user and
stores nothing.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tipnet.audit.actions import record

from .access import has_consent
from .children import guardian_referral, has_accepted_guardian, is_child
from .indicators import indicator_codes, suggested_status
from .models import (
    Consent,
    FollowUp,
    Goal,
    HotlineCall,
    Outcome,
    Purpose,
    Referral,
    ReferralStatus,
    RepatriationPlan,
    Screening,
    ServiceDelivery,
    ServiceKind,
    ServiceOffer,
    SopCompletion,
    SopStep,
    Status,
    StatusDecision,
    Victim,
    new_code,
)

IDENTITY_FIELDS = ("given_name", "family_name", "phone", "contact_notes")
VICTIM_FIELDS: tuple[str, ...] = (*IDENTITY_FIELDS, "sex", "birth_year", "nationality")
VICTIM_FIELDS += ("exploitation_forms", "exploitation_country")


def _save_new_victim(victim: Victim) -> None:
    # Codes are random; on the rare clash draw another rather than fail.
    for _attempt in range(5):
        try:
            with transaction.atomic():
                victim.save()
            return
        except IntegrityError:
            victim.code = new_code()
    raise RuntimeError("could not draw a unique victim code")


def do_register_victim(actor, data: dict, registered_at=None) -> Victim:
    """Register a victim for `actor`'s agency from validated `data`; the code is generated.

    `registered_at` back-dates a record brought in from earlier files (never in the future);
    the audit event keeps both that date and the moment it was entered."""
    victim = Victim(agency_id=actor.agency_id, caseworker=actor)
    for name in VICTIM_FIELDS:
        if name in data:
            setattr(victim, name, data[name])
    extra = {}
    if registered_at is not None:
        if registered_at > timezone.now():
            raise ValidationError({"registered_at": _("A registration cannot be in the future.")})
        victim.registered_at = registered_at
        extra["registered_at"] = registered_at.isoformat()
    victim.full_clean(exclude=["code"])
    with transaction.atomic():
        _save_new_victim(victim)
        record("victims:victim:create", actor=actor, obj=victim, code=victim.code, **extra)
    return victim


def do_update_victim(actor, victim: Victim, data: dict) -> Victim:
    """Change a victim's identity and profile fields from validated `data`."""
    for name in VICTIM_FIELDS:
        if name in data:
            setattr(victim, name, data[name])
    victim.full_clean()
    with transaction.atomic():
        victim.save()
        fields = sorted(set(data) & set(VICTIM_FIELDS))
        record("victims:victim:update", actor=actor, obj=victim, code=victim.code, fields=fields)
    return victim


def do_screen(actor, victim: Victim, codes: list[str], note: str = "") -> Screening:
    """Record a screening on the indicators `codes`; a potential victim becomes presumed when
    the indicators suggest it (identification itself is `do_decide_status`)."""
    unknown = sorted(set(codes) - indicator_codes())
    if unknown:
        raise ValidationError(_("Unknown indicators: %s.") % ", ".join(unknown))
    suggestion = suggested_status(codes)
    screening = Screening(
        victim=victim, indicators=sorted(set(codes)), suggested_status=suggestion, note=note
    )
    screening.screened_by = actor
    with transaction.atomic():
        screening.save()
        if victim.status == Status.POTENTIAL and suggestion == Status.PRESUMED:
            victim.status = Status.PRESUMED
            victim.save(update_fields=["status"])
        record(
            "victims:screening:create",
            actor=actor,
            obj=screening,
            code=victim.code,
            indicators=len(screening.indicators),
            suggested=suggestion,
        )
    return screening


def do_decide_status(
    actor, victim: Victim, status: str, authority: str, decided_on: date, note: str = ""
) -> StatusDecision:
    """Set the identification status; identified and not-a-victim need the deciding authority."""
    authority = (authority or "").strip()
    if status not in Status.values:
        raise ValidationError(_("Unknown identification status."))
    if status in (Status.IDENTIFIED, Status.NOT_VICTIM) and not authority:
        raise ValidationError(_("Name the competent authority that took this decision."))
    if decided_on > timezone.localdate():
        raise ValidationError(_("The date of the decision cannot be in the future."))
    decision = StatusDecision(
        victim=victim, status=status, authority=authority, decided_on=decided_on, note=note
    )
    decision.recorded_by = actor
    decision.full_clean()
    with transaction.atomic():
        decision.save()
        victim.status = status
        victim.save(update_fields=["status"])
        record("victims:status:decide", actor=actor, obj=victim, code=victim.code, status=status)
    return decision


def do_give_consent(actor, victim: Victim, data: dict) -> Consent:
    """Record informed consent for one purpose; data sharing must name the receiving agency."""
    consent = Consent(victim=victim, recorded_by=actor, **data)
    if consent.purpose == Purpose.DATA_SHARING and consent.recipient_id is None:
        raise ValidationError(_("Consent to share data must name the agency that may receive it."))
    if consent.purpose != Purpose.DATA_SHARING:
        consent.recipient = None
    if consent.given_on > timezone.localdate():
        raise ValidationError(_("Consent cannot be dated in the future."))
    consent.full_clean()
    with transaction.atomic():
        consent.save()
        record(
            "victims:consent:give",
            actor=actor,
            obj=consent,
            code=victim.code,
            purpose=consent.purpose,
            recipient=consent.recipient_id,
        )
    return consent


def do_withdraw_consent(actor, consent: Consent) -> Consent:
    """Withdraw a consent; from now on nothing it allowed is shared or referred."""
    if consent.withdrawn_at is not None:
        raise ValidationError(_("This consent was already withdrawn."))
    with transaction.atomic():
        consent.withdrawn_at = timezone.now()
        consent.save(update_fields=["withdrawn_at"])
        record(
            "victims:consent:withdraw",
            actor=actor,
            obj=consent,
            code=consent.victim.code,
            purpose=consent.purpose,
        )
    return consent


def do_create_offer(actor, provider, kind: str, city: str = "") -> ServiceOffer:
    """Register that the directory agency `provider` offers the service `kind`."""
    offer = ServiceOffer(provider=provider, kind=kind, city=city)
    offer.full_clean()
    with transaction.atomic():
        offer.save()
        record("victims:offer:create", actor=actor, obj=offer, provider=provider.pk, kind=kind)
    return offer


def _check_referral(victim: Victim, offer: ServiceOffer | None, shares_identity: bool) -> None:
    if offer is None or not offer.is_active:
        raise ValidationError(_("Choose a service that a provider offers."))
    if not has_consent(victim, Purpose.ASSISTANCE):
        raise ValidationError(
            _("The victim has not given (or has withdrawn) consent to assistance and referral.")
        )
    if shares_identity and not has_consent(victim, Purpose.DATA_SHARING, offer.provider_id):
        raise ValidationError(
            _("The victim has not consented to share their identity with this provider.")
        )
    if (
        shares_identity
        and is_child(victim)
        and offer.kind != ServiceKind.CHILD_PROTECTION
        and not has_accepted_guardian(victim)
    ):
        raise ValidationError(
            _(
                "A child's identity is shared only once a guardian or the child-protection "
                "service has accepted the referral."
            )
        )


def do_refer(actor, victim: Victim, offer, reason: str, shares_identity: bool = False) -> Referral:
    """Refer `victim` to a service offer; needs active consent to assistance (and to share
    identity with that provider when `shares_identity`)."""
    _check_referral(victim, offer, shares_identity)
    if not (reason or "").strip():
        raise ValidationError(_("Give the reason for the referral."))
    referral = Referral(victim=victim, offer=offer, reason=reason, shares_identity=shares_identity)
    referral.referred_by = actor
    with transaction.atomic():
        referral.save()
        record(
            "victims:referral:create",
            actor=actor,
            obj=referral,
            code=victim.code,
            provider=offer.provider_id,
            kind=offer.kind,
            shares_identity=shares_identity,
        )
    return referral


def do_decide_referral(actor, referral: Referral, accept: bool, response: str) -> Referral:
    """Accept or decline a pending referral as its receiving service; declining needs reasons."""
    response = (response or "").strip()
    if referral.status != ReferralStatus.PENDING:
        raise ValidationError(_("This referral has already been decided."))
    if not accept and not response:
        raise ValidationError(_("Give the reasons for declining."))
    if accept and not has_consent(referral.victim, Purpose.ASSISTANCE):
        raise ValidationError(_("The victim has withdrawn consent; the referral cannot go ahead."))
    referral.status = ReferralStatus.ACCEPTED if accept else ReferralStatus.DECLINED
    referral.response, referral.decided_by, referral.decided_at = response, actor, timezone.now()
    with transaction.atomic():
        referral.save()
        record(
            "victims:referral:decide",
            actor=actor,
            obj=referral,
            code=referral.victim.code,
            status=referral.status,
        )
    return referral


def do_record_service(actor, victim: Victim, data: dict) -> ServiceDelivery:
    """Record a service delivered to `victim` with its dates."""
    service = ServiceDelivery(victim=victim, recorded_by=actor, **data)
    if service.ended_on and service.ended_on < service.started_on:
        raise ValidationError(_("A service cannot end before it starts."))
    service.full_clean()
    with transaction.atomic():
        service.save()
        record("victims:service:create", actor=actor, obj=service, code=victim.code)
    return service


def do_add_goal(actor, victim: Victim, text: str, target_on: date | None = None) -> Goal:
    """Add a goal to `victim`'s assistance plan."""
    goal = Goal(victim=victim, text=text, target_on=target_on)
    goal.full_clean()
    with transaction.atomic():
        goal.save()
        record("victims:goal:create", actor=actor, obj=goal, code=victim.code)
    return goal


def do_achieve_goal(actor, goal: Goal) -> Goal:
    """Mark a goal of the assistance plan as achieved."""
    with transaction.atomic():
        goal.is_achieved = True
        goal.save(update_fields=["is_achieved"])
        record("victims:goal:achieve", actor=actor, obj=goal, code=goal.victim.code)
    return goal


def do_add_follow_up(actor, victim: Victim, due_on: date, purpose: str) -> FollowUp:
    """Plan a follow-up of `victim` on `due_on`."""
    follow_up = FollowUp(victim=victim, due_on=due_on, purpose=purpose)
    follow_up.full_clean()
    with transaction.atomic():
        follow_up.save()
        record("victims:follow_up:create", actor=actor, obj=follow_up, code=victim.code)
    return follow_up


def do_complete_follow_up(actor, follow_up: FollowUp, outcome: str) -> FollowUp:
    """Mark a follow-up done with its outcome."""
    if follow_up.done_at is not None:
        raise ValidationError(_("This follow-up is already done."))
    with transaction.atomic():
        follow_up.done_at, follow_up.outcome = timezone.now(), outcome
        follow_up.save(update_fields=["done_at", "outcome"])
        record("victims:follow_up:done", actor=actor, obj=follow_up, code=follow_up.victim.code)
    return follow_up


def do_create_sop_step(actor, order: int, title: str, due_days: int) -> SopStep:
    """Add a step to this node's standard operating procedure checklist."""
    step = SopStep(order=order, title=title, due_days=due_days)
    step.full_clean()
    with transaction.atomic():
        step.save()
        record("victims:sop_step:create", actor=actor, obj=step, due_days=due_days)
    return step


def do_complete_sop_step(actor, victim: Victim, step: SopStep) -> SopCompletion:
    """Tick one SOP step for `victim`."""
    if SopCompletion.objects.filter(victim=victim, step=step).exists():
        raise ValidationError(_("This step is already done."))
    done = SopCompletion(victim=victim, step=step, done_by=actor)
    with transaction.atomic():
        done.save()
        record("victims:sop_step:done", actor=actor, obj=done, code=victim.code, step=step.pk)
    return done


def do_plan_return(actor, victim: Victim, data: dict) -> RepatriationPlan:
    """Plan `victim`'s return; needs consent to return and a receiving service at home."""
    if not has_consent(victim, Purpose.RETURN):
        raise ValidationError(_("The victim has not consented to return."))
    if data.get("receiving_service") is None:
        raise ValidationError(_("Name the service that receives the victim on return."))
    if is_child(victim) and guardian_referral(victim) is None:
        raise ValidationError(
            _(
                "A child's return needs a referral to a guardian or the child-protection "
                "service first, for the best-interest determination."
            )
        )
    plan = RepatriationPlan(victim=victim, planned_by=actor, **data)
    if plan.from_country == plan.to_country:
        raise ValidationError(_("A return goes from one country to another."))
    plan.full_clean()
    with transaction.atomic():
        plan.save()
        record(
            "victims:return:create",
            actor=actor,
            obj=plan,
            code=victim.code,
            to_country=plan.to_country,
            receiving=plan.receiving_service_id,
        )
    return plan


def do_hand_over(actor, plan: RepatriationPlan) -> RepatriationPlan:
    """Record that the returning victim was handed over to the receiving service."""
    if plan.handed_over_at is not None:
        raise ValidationError(_("The hand-over is already recorded."))
    with transaction.atomic():
        plan.handed_over_at = timezone.now()
        plan.save(update_fields=["handed_over_at"])
        record("victims:return:hand_over", actor=actor, obj=plan, code=plan.victim.code)
    return plan


def _return_part(plan: RepatriationPlan) -> dict:
    fields = ("from_country", "to_country", "travel_documents", "escort", "reception_point")
    part = {name: getattr(plan, name) for name in fields}
    part |= {"shelter_on_arrival": plan.shelter_on_arrival, "travel_on": plan.travel_on.isoformat()}
    return part


def _identity_part(victim: Victim) -> dict:
    # Contact notes and the phone stay here: they describe the victim's life in the
    # destination country, and the consent is to share who they are, not how to reach them.
    return {
        "given_name": victim.given_name,
        "family_name": victim.family_name,
        "sex": victim.sex,
        "birth_year": victim.birth_year,
        "nationality": victim.nationality,
    }


def _assistance_part(victim: Victim) -> dict:
    services = victim.services.order_by("started_on", "pk")
    goals = victim.goals.filter(is_achieved=False)
    return {
        "services": [
            {
                "kind": s.kind,
                "started_on": s.started_on.isoformat(),
                "ended_on": s.ended_on and s.ended_on.isoformat(),
            }
            for s in services
        ],
        "open_goals": [g.text for g in goals],
    }


def do_prepare_hand_over(actor, plan: RepatriationPlan) -> dict:
    """The hand-over of a returning victim to the origin-country service, as a message body
    that carries only what the victim's active consents allow at this moment.

    Without consent to return nothing is prepared. The identity travels only with active
    consent to share it with the receiving service itself; the services and open goals of the
    assistance plan only with active consent to assistance. Everything else is the victim's
    code and the journey. The exchange will send this body; until then the caseworker reads
    it on the hand-over page or takes it from the API.
    """
    victim, receiver = plan.victim, plan.receiving_service
    if not has_consent(victim, Purpose.RETURN):
        raise ValidationError(_("The victim has not consented to return."))
    shares_identity = has_consent(victim, Purpose.DATA_SHARING, receiver.pk)
    shares_assistance = has_consent(victim, Purpose.ASSISTANCE)
    payload = {
        "type": "victims.hand_over",
        "code": victim.code,
        "status": victim.status,
        "receiving_service": {"id": receiver.pk, "name": receiver.name_en},
        "return": _return_part(plan),
        "identity": _identity_part(victim) if shares_identity else None,
        "assistance": _assistance_part(victim) if shares_assistance else None,
    }
    record(
        "victims:return:prepare_hand_over",
        actor=actor,
        obj=plan,
        code=victim.code,
        receiving=receiver.pk,
        identity=shares_identity,
        assistance=shares_assistance,
    )
    return payload


def _open_case_from_call(actor, call: HotlineCall, agency):
    from tipnet.cases.actions import do_create_case

    received = timezone.localdate(call.received_at).isoformat()
    title = _("Hotline report of %(date)s") % {"date": received}
    return do_create_case(actor, agency=agency, title=title, summary=call.summary)


def do_log_call(actor, data: dict, person_name: str = "", pass_to=None) -> HotlineCall:
    """Log a hotline call. The outcomes `screening` and `referral` open a new victim record
    (to screen, or to record consent and refer); the outcome `case` opens a case, in the
    detection stage, at `pass_to`, the agency of this node that the report is passed to."""
    call = HotlineCall(agency_id=actor.agency_id, taken_by=actor, **data)
    call.full_clean(exclude=["victim", "case"])
    if call.outcome == Outcome.CASE and pass_to is None:
        raise ValidationError(_("Name the agency the report is passed to for a case."))
    with transaction.atomic():
        if call.outcome in (Outcome.SCREENING, Outcome.REFERRAL):
            call.victim = do_register_victim(actor, {"given_name": person_name})
        if call.outcome == Outcome.CASE:
            call.case = _open_case_from_call(actor, call, pass_to)
        call.save()
        record(
            "victims:call:create",
            actor=actor,
            obj=call,
            channel=call.channel,
            outcome=call.outcome,
            code=call.victim.code if call.victim else "",
            case=call.case_id,
        )
    return call


def do_link_case(actor, victim: Victim, case) -> Victim:
    """Link `victim` to a criminal case `actor` may read (already accessed through cases)."""
    with transaction.atomic():
        victim.case = case
        victim.save(update_fields=["case"])
        record("victims:victim:link_case", actor=actor, obj=victim, code=victim.code, case=case.pk)
    return victim


def do_retire_sop_step(actor, step: SopStep) -> SopStep:
    """Take a step off this node's SOP checklist; ticks already made are kept."""
    with transaction.atomic():
        step.is_active = False
        step.save(update_fields=["is_active"])
        record("victims:sop_step:retire", actor=actor, obj=step)
    return step
