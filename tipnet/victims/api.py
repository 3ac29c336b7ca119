"""The victims JSON API: the same rules as the pages (access_* → form → do_*).

Names and contacts appear only to the victim's own caseworkers (`name` is null for everyone
else); analysts list codes and read aggregates; other users get 404. Input is validated by the
pages' forms, so both refuse the same things with the same messages.
"""

import json
from datetime import date, datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import ValidationError
from ninja.pagination import paginate
from pydantic import Field

from tipnet.api import Page
from tipnet.cases.access import access_case_by_reference

from . import actions, forms, link
from .access import (
    access_caseworker,
    access_consent,
    access_hotline,
    access_incoming_hand_over,
    access_incoming_hand_overs,
    access_incoming_referrals,
    access_offers,
    access_outgoing_referrals,
    access_referral,
    access_return_plan,
    access_statistics,
    access_victim_by_code,
    access_victims,
    can_see_identity,
    is_receiver,
    referral_identity,
)
from .children import checklist_steps
from .models import HotlineCall, SopStep, Victim
from .stats import statistics

router = Router()

TEXT = Field("", max_length=4000)


# Schemas


class VictimOut(Schema):
    code: str
    status: str
    sex: str
    birth_year: int | None = None
    nationality: str
    exploitation_forms: list[str] = []
    exploitation_country: str = ""
    registered_at: datetime | None = None
    name: str | None = None
    phone: str | None = None
    case: str | None = None


class VictimIn(Schema):
    given_name: str = Field(..., max_length=200)
    family_name: str = Field("", max_length=200)
    phone: str = Field("", max_length=40)
    contact_notes: str = Field("", max_length=2000)
    sex: str = "unknown"
    birth_year: int | None = None
    nationality: str = Field("", max_length=2)
    exploitation_forms: list[str] = Field(default_factory=list, max_length=8)
    exploitation_country: str = Field("", max_length=2)


class ScreeningIn(Schema):
    indicators: list[str] = Field(default_factory=list, max_length=50)
    note: str = TEXT


class ScreeningOut(Schema):
    id: int
    indicators: list[str]
    suggested_status: str
    status: str


class VictimStatusIn(Schema):
    status: str = Field(..., max_length=16)
    authority: str = Field("", max_length=255)
    decided_on: date
    note: str = TEXT


class ConsentIn(Schema):
    purpose: str = Field(..., max_length=16)
    recipient_id: int | None = None
    given_on: date
    language: str = Field(..., max_length=8)
    explained_by: str = Field(..., max_length=255)


class ConsentOut(Schema):
    id: int
    purpose: str
    recipient_id: int | None
    given_on: date
    language: str
    explained_by: str
    withdrawn_at: datetime | None


class OfferOut(Schema):
    id: int
    kind: str
    provider_id: int
    provider: str
    country: str
    city: str


class ReferralIn(Schema):
    offer_id: int
    reason: str = Field(..., max_length=4000)
    shares_identity: bool = False


class ReferralOut(Schema):
    id: int
    code: str
    offer_id: int
    kind: str
    provider: str
    reason: str
    shares_identity: bool
    status: str
    response: str
    referred_at: datetime
    decided_at: datetime | None
    name: str | None = None


class DecisionIn(Schema):
    decision: str = Field(..., pattern="^(accept|decline)$")
    response: str = TEXT


class ReturnIn(Schema):
    from_country: str = Field(..., max_length=2)
    to_country: str = Field(..., max_length=2)
    receiving_service_id: int | None = None
    travel_documents: str = Field(..., max_length=255)
    escort: str = Field("", max_length=255)
    reception_point: str = Field(..., max_length=255)
    shelter_on_arrival: str = Field("", max_length=255)
    travel_on: date


class ReturnOut(Schema):
    id: int
    code: str
    from_country: str
    to_country: str
    receiving_service_id: int
    travel_on: date
    handed_over_at: datetime | None = None


class SendingOut(Schema):
    message_id: str
    recipient_node: str
    has_identity: bool
    has_assistance: bool
    sent_at: datetime
    received_at: datetime | None = None


class IncomingHandOverOut(Schema):
    id: int
    code: str
    from_node: str
    status: str
    from_country: str
    to_country: str
    travel_on: date
    travel_documents: str
    reception_point: str
    escort: str
    shelter_on_arrival: str
    name: str | None = None
    sex: str | None = None
    birth_year: int | None = None
    nationality: str | None = None
    assistance: dict | None = None
    received_at: datetime
    acknowledged_at: datetime | None = None


class CallIn(Schema):
    channel: str = Field(..., max_length=16)
    language: str = Field(..., max_length=8)
    caller_type: str = Field(..., max_length=16)
    summary: str = Field(..., max_length=4000)
    urgency: str = Field(..., max_length=16)
    outcome: str = Field(..., max_length=16)
    person_name: str = Field("", max_length=200)
    pass_to: str = Field("", max_length=64, description="agency code, for the outcome case")


class CallOut(Schema):
    id: int
    received_at: datetime
    channel: str
    outcome: str
    urgency: str
    code: str | None
    case: str | None = None


class CountOut(Schema):
    key: dict[str, str]
    count: int


class StatsOut(Schema):
    total: int
    by_status: list[CountOut]
    by_sex: list[CountOut]
    calls_by_channel_and_outcome: list[CountOut]


# Helpers


def _valid(form):
    """The form's cleaned data; its errors rise to the API's one handler (422)."""
    if not form.is_valid():
        raise DjangoValidationError(form.errors.as_data())
    return form.cleaned_data


def _victim_out(user, victim: Victim) -> dict:
    row: dict[str, object] = {
        "code": victim.code,
        "status": victim.status,
        "sex": victim.sex,
        "nationality": victim.nationality,
        "exploitation_forms": victim.exploitation_forms,
        "exploitation_country": victim.exploitation_country,
    }
    if can_see_identity(user, victim):
        # Year of birth and the moment of registration, joined to sex and citizenship, can
        # point to one person in a small group: only the victim's own caseworkers get them.
        row["birth_year"], row["registered_at"] = victim.birth_year, victim.registered_at
        row["name"] = " ".join(filter(None, [victim.given_name, victim.family_name]))
        row["phone"] = victim.phone
        row["case"] = victim.case.reference if victim.case else None
    return row


def _referral_out(user, referral) -> dict:
    return {
        "id": referral.pk,
        "code": referral.victim.code,
        "offer_id": referral.offer_id,
        "kind": referral.offer.kind,
        "provider": referral.offer.provider.name_en,
        "reason": referral.reason,
        "shares_identity": referral.shares_identity,
        "status": referral.status,
        "response": referral.response,
        "referred_at": referral.referred_at,
        "decided_at": referral.decided_at,
        "name": referral_identity(user, referral),
    }


def _counted(rows: list[dict]) -> list[dict]:
    return [{"key": {f: v for f, v in row.items() if f != "n"}, "count": row["n"]} for row in rows]


# Victims


@router.get("", response=list[VictimOut], summary="Victims by code (names only to own)")
@paginate(Page)
def list_victims(request):
    user = request.auth
    return [_victim_out(user, v) for v in access_victims(user).select_related("case")]


@router.post("", response={201: VictimOut}, summary="Register a person")
def create_victim(request, payload: VictimIn):
    access_caseworker(request.auth)
    data = _valid(forms.VictimForm(data=payload.dict()))
    victim = actions.do_register_victim(request.auth, data)
    return Status(201, _victim_out(request.auth, victim))


@router.post("/{code}/screenings", response={201: ScreeningOut}, summary="Screen")
def screen(request, code: str, payload: ScreeningIn):
    victim = access_victim_by_code(request.auth, code)
    screening = actions.do_screen(request.auth, victim, payload.indicators, payload.note)
    out = {"id": screening.pk, "indicators": screening.indicators}
    out |= {"suggested_status": screening.suggested_status, "status": victim.status}
    return Status(201, out)


@router.post("/{code}/status", response=VictimOut, summary="Decide the status")
def decide_status(request, code: str, payload: VictimStatusIn):
    victim = access_victim_by_code(request.auth, code)
    d = _valid(forms.StatusForm(data=payload.dict()))
    args = (d["status"], d["authority"], d["decided_on"], d["note"])
    actions.do_decide_status(request.auth, victim, *args)
    return _victim_out(request.auth, victim)


@router.get("/{code}/consents", response=list[ConsentOut], summary="Consents")
def list_consents(request, code: str):
    return list(access_victim_by_code(request.auth, code).consents.all())


@router.post("/{code}/consents", response={201: ConsentOut}, summary="Record consent")
def give_consent(request, code: str, payload: ConsentIn):
    victim = access_victim_by_code(request.auth, code)
    data = payload.dict()
    data["recipient"] = data.pop("recipient_id")
    d = _valid(forms.ConsentForm(data=data))
    return Status(201, actions.do_give_consent(request.auth, victim, d))


@router.post("/{code}/consents/{consent_id}/withdraw", response=ConsentOut, summary="Withdraw")
def withdraw_consent(request, code: str, consent_id: int):
    victim = access_victim_by_code(request.auth, code)
    consent = access_consent(request.auth, victim, consent_id)
    return actions.do_withdraw_consent(request.auth, consent)


# Referrals


@router.get("/offers", response=list[OfferOut], summary="Services offered by providers")
@paginate(Page)
def list_offers(request):
    return [
        {"id": o.pk, "kind": o.kind, "provider_id": o.provider_id, "provider": o.provider.name_en}
        | {"country": o.provider.country_id, "city": o.city}
        for o in access_offers(request.auth)
    ]


@router.post("/{code}/referrals", response={201: ReferralOut}, summary="Refer")
def refer(request, code: str, payload: ReferralIn):
    victim = access_victim_by_code(request.auth, code)
    offer = access_offers(request.auth).filter(pk=payload.offer_id).first()
    args = (victim, offer, payload.reason, payload.shares_identity)
    referral = actions.do_refer(request.auth, *args)
    return Status(201, _referral_out(request.auth, referral))


@router.get("/referrals", response=list[ReferralOut], summary="Referrals to and from us")
@paginate(Page)
def list_referrals(request):
    user = request.auth
    referrals = access_incoming_referrals(user) | access_outgoing_referrals(user)
    return [_referral_out(user, r) for r in referrals.distinct()]


@router.get("/referrals/{int:referral_id}", response=ReferralOut, summary="One referral")
def get_referral(request, referral_id: int):
    return _referral_out(request.auth, access_referral(request.auth, referral_id))


@router.post(
    "/referrals/{int:referral_id}/decision", response=ReferralOut, summary="Accept/decline"
)
def decide_referral(request, referral_id: int, payload: DecisionIn):
    referral = access_referral(request.auth, referral_id)
    if not is_receiver(request.auth, referral):
        access_caseworker(None)  # the referring side may not decide: answer as for no referral
    accept = payload.decision == "accept"
    actions.do_decide_referral(request.auth, referral, accept, payload.response)
    return _referral_out(request.auth, referral)


# Return


@router.post("/{code}/returns", response={201: ReturnOut}, summary="Plan the return")
def plan_return(request, code: str, payload: ReturnIn):
    victim = access_victim_by_code(request.auth, code)
    data = payload.dict()
    data["receiving_service"] = data.pop("receiving_service_id")
    d = _valid(forms.ReturnForm(data=data))
    plan = actions.do_plan_return(request.auth, victim, d)
    return Status(201, _return_out(plan))


def _return_out(plan) -> dict:
    out = {"id": plan.pk, "code": plan.victim.code, "from_country": plan.from_country}
    out |= {"to_country": plan.to_country, "receiving_service_id": plan.receiving_service_id}
    return out | {"travel_on": plan.travel_on, "handed_over_at": plan.handed_over_at}


# Hotline and aggregates


def _call_out(call: HotlineCall) -> dict:
    return {
        "id": call.pk,
        "received_at": call.received_at,
        "channel": call.channel,
        "outcome": call.outcome,
        "urgency": call.urgency,
        "code": call.victim.code if call.victim else None,
        "case": call.case.reference if call.case else None,
    }


@router.post("/hotline", response={201: CallOut}, summary="Log a hotline call")
def log_call(request, payload: CallIn):
    access_caseworker(request.auth)
    data = dict(_valid(forms.HotlineForm(data=payload.dict())))
    name, pass_to = data.pop("person_name"), data.pop("pass_to")
    call = actions.do_log_call(request.auth, data, name, pass_to)
    return Status(201, _call_out(call))


@router.get("/hotline", response=list[CallOut], summary="Hotline calls of our agency")
@paginate(Page)
def list_calls(request):
    calls = access_hotline(request.auth).select_related("victim", "case")
    return [_call_out(c) for c in calls]


@router.get("/stats", response=StatsOut, summary="Aggregates: no names, no codes")
def stats(request):
    figures = statistics(access_statistics(request.auth))
    return {
        "total": figures.total,
        "by_status": _counted(figures.by_status),
        "by_sex": _counted(figures.by_sex),
        "calls_by_channel_and_outcome": _counted(figures.calls_by_channel_and_outcome),
    }


# Assistance plan, SOP checklist, hand-over and case link


class ServiceIn(Schema):
    kind: str = Field(..., max_length=16)
    provider_name: str = Field(..., max_length=255)
    started_on: date
    ended_on: date | None = None
    note: str = TEXT


class GoalIn(Schema):
    text: str = Field(..., max_length=500)
    target_on: date | None = None


class FollowUpIn(Schema):
    due_on: date
    purpose: str = Field(..., max_length=500)


class OutcomeIn(Schema):
    outcome: str = Field(..., max_length=4000)


class CaseLinkIn(Schema):
    reference: str = Field(..., max_length=80)


class PlanOut(Schema):
    services: list[dict]
    goals: list[dict]
    follow_ups: list[dict]
    sop: list[dict]


def _plan_out(victim: Victim) -> dict:
    today = timezone.localdate()
    done = {d.step_id: d.done_at for d in victim.sop_done.all()}
    return {
        "services": list(
            victim.services.values("id", "kind", "provider_name", "started_on", "ended_on")
        ),
        "goals": list(victim.goals.values("id", "text", "target_on", "is_achieved")),
        "follow_ups": list(victim.follow_ups.values("id", "due_on", "purpose", "done_at")),
        "sop": [
            {"step_id": step.pk, "title": step.title, "due_on": step.due_for(victim)}
            | {
                "done_at": done.get(step.pk),
                "late": step.pk not in done and step.due_for(victim) < today,
            }
            for step in checklist_steps(victim)
        ],
    }


@router.get("/{code}/plan", response=PlanOut, summary="Services, goals, follow-ups and SOP")
def get_plan(request, code: str):
    return _plan_out(access_victim_by_code(request.auth, code))


@router.post("/{code}/services", response={201: PlanOut}, summary="Record a service delivered")
def record_service(request, code: str, payload: ServiceIn):
    victim = access_victim_by_code(request.auth, code)
    d = _valid(forms.ServiceForm(data=payload.dict()))
    actions.do_record_service(request.auth, victim, d)
    return Status(201, _plan_out(victim))


@router.post("/{code}/goals", response={201: PlanOut}, summary="Add a goal to the plan")
def add_goal(request, code: str, payload: GoalIn):
    victim = access_victim_by_code(request.auth, code)
    d = _valid(forms.GoalForm(data=payload.dict()))
    actions.do_add_goal(request.auth, victim, d["text"], d["target_on"])
    return Status(201, _plan_out(victim))


@router.post("/{code}/goals/{goal_id}/achieve", response=PlanOut, summary="Goal achieved")
def achieve_goal(request, code: str, goal_id: int):
    victim = access_victim_by_code(request.auth, code)
    goal = victim.goals.filter(pk=goal_id).first()
    if goal is None:
        raise Http404
    actions.do_achieve_goal(request.auth, goal)
    return _plan_out(victim)


@router.post("/{code}/follow-ups", response={201: PlanOut}, summary="Plan a follow-up")
def add_follow_up(request, code: str, payload: FollowUpIn):
    victim = access_victim_by_code(request.auth, code)
    d = _valid(forms.FollowUpForm(data=payload.dict()))
    actions.do_add_follow_up(request.auth, victim, d["due_on"], d["purpose"])
    return Status(201, _plan_out(victim))


@router.post("/{code}/follow-ups/{follow_up_id}/done", response=PlanOut, summary="Follow-up done")
def complete_follow_up(request, code: str, follow_up_id: int, payload: OutcomeIn):
    victim = access_victim_by_code(request.auth, code)
    follow_up = victim.follow_ups.filter(pk=follow_up_id).first()
    if follow_up is None:
        raise Http404
    d = _valid(forms.OutcomeForm(data=payload.dict()))
    actions.do_complete_follow_up(request.auth, follow_up, d["outcome"])
    return _plan_out(victim)


@router.post("/{code}/sop/{step_id}/done", response=PlanOut, summary="Tick an SOP step")
def complete_sop_step(request, code: str, step_id: int):
    victim = access_victim_by_code(request.auth, code)
    step = SopStep.objects.filter(pk=step_id, is_active=True).first()
    if step is None:
        raise Http404
    actions.do_complete_sop_step(request.auth, victim, step)
    return _plan_out(victim)


@router.get(
    "/{code}/returns/{plan_id}/hand-over",
    response=dict,
    summary="The hand-over message body, limited to what consent allows",
)
def hand_over_payload(request, code: str, plan_id: int):
    victim = access_victim_by_code(request.auth, code)
    plan = access_return_plan(request.auth, victim, plan_id)
    return actions.do_prepare_hand_over(request.auth, plan)


@router.post("/{code}/returns/{plan_id}/hand-over", response=ReturnOut, summary="Handed over")
def hand_over(request, code: str, plan_id: int):
    victim = access_victim_by_code(request.auth, code)
    plan = access_return_plan(request.auth, victim, plan_id)
    actions.do_hand_over(request.auth, plan)
    return _return_out(plan)


@router.post(
    "/{code}/returns/{plan_id}/send",
    response={201: SendingOut},
    summary="Send the hand-over to the receiving service's node",
)
def send_hand_over(request, code: str, plan_id: int):
    victim = access_victim_by_code(request.auth, code)
    plan = access_return_plan(request.auth, victim, plan_id)
    sent = link.do_send_hand_over(request.auth, plan)
    return Status(201, _sending_out(sent))


def _sending_out(sent) -> dict:
    out = {"message_id": str(sent.message_id), "recipient_node": sent.recipient_node}
    out |= {"has_identity": sent.has_identity, "has_assistance": sent.has_assistance}
    return out | {"sent_at": sent.sent_at, "received_at": sent.received_at}


_INCOMING_FIELDS = (
    "id",
    "code",
    "from_node",
    "status",
    "from_country",
    "to_country",
    "travel_on",
    "travel_documents",
    "reception_point",
    "escort",
    "shelter_on_arrival",
    "received_at",
    "acknowledged_at",
)


def _incoming_out(h) -> dict:
    out = {name: getattr(h, name) for name in _INCOMING_FIELDS}
    out["assistance"] = json.loads(h.assistance) if h.assistance else None
    if h.has_identity:
        out["name"] = " ".join(filter(None, [h.given_name, h.family_name]))
        out |= {"sex": h.sex, "birth_year": h.birth_year, "nationality": h.nationality}
    return out


@router.get(
    "/hand-overs",
    response=list[IncomingHandOverOut],
    summary="Returning victims handed over to the caller's service by other nodes",
)
@paginate(Page)
def incoming_hand_overs(request):
    return [_incoming_out(h) for h in access_incoming_hand_overs(request.auth)]


@router.get("/hand-overs/{int:hand_over_id}", response=IncomingHandOverOut, summary="One hand-over")
def incoming_hand_over(request, hand_over_id: int):
    return _incoming_out(access_incoming_hand_over(request.auth, hand_over_id))


@router.post(
    "/hand-overs/{int:hand_over_id}/received",
    response=IncomingHandOverOut,
    summary="Acknowledge reception; the acknowledgement travels back to the sending node",
)
def acknowledge_hand_over(request, hand_over_id: int):
    incoming = access_incoming_hand_over(request.auth, hand_over_id)
    return _incoming_out(link.do_acknowledge_hand_over(request.auth, incoming))


@router.post("/{code}/case", response=VictimOut, summary="Link to a case the caller may read")
def link_case(request, code: str, payload: CaseLinkIn):
    victim = access_victim_by_code(request.auth, code)
    d = _valid(forms.CaseLinkForm(data=payload.dict()))
    try:
        case = access_case_by_reference(request.auth, d["reference"].strip())
    except Http404:
        message = _("No case with this reference is open to you.")
        raise ValidationError([{"loc": ["body", "payload", "reference"], "msg": message}]) from None
    actions.do_link_case(request.auth, victim, case)
    return _victim_out(request.auth, victim)


# Registered last: "/{code}" would otherwise shadow /offers, /referrals, /hotline and /stats.
@router.get("/{code}", response=VictimOut, summary="One victim, for its caseworkers")
def get_victim(request, code: str):
    return _victim_out(request.auth, access_victim_by_code(request.auth, code))
