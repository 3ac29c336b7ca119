"""The MLA JSON API (mounted at /api/mla/): the same access rules and actions as the pages.

A request the token holder may not open answers 404 like a missing one (and is audited);
invalid input answers 422, a transition the lifecycle refuses 409, both in the one error shape,
with nothing changed.
"""

import datetime as dt
import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Body, Field, Query, Router, Schema, Status
from ninja.errors import HttpError, ValidationError
from ninja.pagination import paginate

from tipnet.api import Page
from tipnet.cases.access import access_case_person

from . import actions, letters
from .access import (
    access_case_for_request,
    access_counted_requests,
    access_draft,
    access_person_for_edit,
    access_persons,
    access_request,
    can_act,
    can_draft,
    is_central_authority,
    visible_requests,
)
from .completeness import STEP_NAMES, final_check, gaps_for
from .deadlines import overdue
from .enums import Basis, Channel, Direction, Instrument, PartyStatus, PersonKind, State
from .lifecycle import TRANSITIONS, TransitionError, allowed
from .models import BilateralTreaty, MlaRequest, StateProfile, TreatyStatus
from .queries import filter_register
from .resolver import resolve
from .stats import counts_by_country_and_age, counts_by_state, median_days

router = Router()
# A free-form JSON object body; its keys are checked against the step or transition's fields.
BODY = Annotated[dict[str, Any], Body(...)]


def _codes(enum):
    return Literal[tuple(enum.values)]


def _run(action, *args, **kwargs):
    """Call an action, turning the lifecycle's refusals into 409 (a ValidationError rises to
    the API's handler: 422)."""
    try:
        return action(*args, **kwargs)
    except TransitionError as exc:
        raise HttpError(409, str(exc)) from None
    except ValueError as exc:
        raise HttpError(409, str(exc)) from None


# Schemas


class BasisOut(Schema):
    code: str
    rule: str
    is_primary: bool
    unverified: list[str]


class ResolutionOut(Schema):
    requesting: str
    requested: str
    bases: list[BasisOut]
    languages: list[str]
    accepted_languages: list[str]
    channel: str
    central_authority: str | None
    unverified: list[str]
    problem: str


class GapOut(Schema):
    step: str
    field: str
    message: str

    @staticmethod
    def resolve_message(obj):
        return str(obj.message)


class MlaPersonOut(Schema):
    id: int
    kind: str
    full_name: str
    birth_date: str
    birth_place: str
    citizenship: str
    residence: str
    occupation: str
    parents_names: str
    # True for a victim whose identity the reader may not see (access.may_see_identities).
    redacted: bool = False


class MeasureOut(Schema):
    id: int
    kind: str
    fields: dict[str, str]


class MlaEventOut(Schema):
    transition: str
    from_state: str
    to_state: str
    side: str
    from_node: str
    occurred_at: datetime


class RequestOut(Schema):
    id: int
    uid: uuid.UUID
    reference: str
    direction: str
    state: str
    requesting_state: str
    requested_state: str
    counterpart_node: str
    counterpart_ref: str
    legal_basis: str
    language: str
    channel: str
    urgency: str
    deadline: date | None
    submitted_at: datetime | None


class RequestDetailOut(RequestOut):
    case_id: int | None
    requesting_authority: str
    requested_authority: str
    conducting_authority: str
    proceedings: str
    subject: str
    case_number: str
    basis_rule: str
    deadline_reason: str
    confidentiality: str
    facts: str
    offences: str
    purpose: str
    procedures: str
    contact_name: str
    contact_email: str
    contact_phone: str
    assurances: str
    annexes: str
    signatory: str
    refusal_ground: str
    refusal_reasons: str
    persons: list[MlaPersonOut] = Field(..., alias="shown_persons")
    measures: list[MeasureOut]
    events: list[MlaEventOut]
    next_transitions: list[str]


class NewRequestIn(Schema):
    case_id: int
    requested_state: str = Field(..., min_length=2, max_length=2)


class MeasureIn(Schema):
    kind: str = Field(..., max_length=24)
    fields: dict[str, str] = Field(default_factory=dict)


class MlaPersonIn(Schema):
    kind: _codes(PersonKind)
    full_name: str = Field("", max_length=200)
    birth_date: str = Field("", max_length=10)
    birth_place: str = Field("", max_length=200)
    citizenship: str = Field("", max_length=100)
    residence: str = Field("", max_length=300)
    occupation: str = Field("", max_length=200)
    parents_names: str = Field("", max_length=300)
    case_person_id: int | None = None


class RegisterFilters(Schema):
    direction: _codes(Direction) = "outgoing"
    state: _codes(State) | None = None
    country: str = Field("", max_length=2, pattern="^[A-Za-z]{0,2}$")
    q: str = Field("", max_length=80)


class PartyStatusIn(Schema):
    status: _codes(PartyStatus)
    source: str = Field(..., min_length=1, max_length=500)
    is_verified: bool
    date: dt.date | None = None


class DeadlinesIn(Schema):
    acknowledge_days: int = Field(..., ge=1, le=3650)
    decide_days: int = Field(..., ge=1, le=3650)
    execute_days: int = Field(..., ge=1, le=3650)


def _detail(user, req: MlaRequest) -> MlaRequest:
    """`req` with what the detail schema adds: the persons `user` may see, next transitions."""
    # The two attributes are not fields of the model: the detail schema reads them off the
    # instance, so they are set on it for this response only (setattr, as mypy knows the model's
    # attributes and rightly rejects new ones written the plain way).
    setattr(req, "shown_persons", access_persons(user, req, "json"))  # noqa: B010
    side = actions.local_side(req)
    transitions = allowed(req.state, side) if can_act(user, req) else []
    setattr(req, "next_transitions", transitions)  # noqa: B010
    return req


# Legal bases


@router.get("/resolve", response=ResolutionOut, summary="Legal bases, language and channel")
def resolve_pair(
    request,
    requesting: str = Query(..., max_length=2),
    requested: str = Query(..., max_length=2),
):
    if not (can_draft(request.auth) or is_central_authority(request.auth)):
        raise Http404
    result = resolve(requesting, requested)
    ca = result.central_authority
    return {**result.__dict__, "central_authority": ca.name_en if ca else None}


@router.get("/treaties", summary="Treaty facts per state, each with source and verified mark")
def treaties(request) -> list[dict[str, Any]]:
    if not request.auth.is_authenticated:
        raise Http404
    rows = []
    for p in StateProfile.objects.select_related("central_authority").prefetch_related("parties"):
        rows.append(
            {
                "country": p.country_id,
                "languages": p.languages,
                "channels": p.channels,
                "central_authority": p.central_authority.name_en if p.central_authority else None,
                "parties": {
                    s.instrument: {
                        "status": s.status,
                        "date": s.date,
                        "source": s.source,
                        "verified": s.is_verified,
                    }
                    for s in p.parties.all()
                },
            }
        )
    return rows


def _node_admin(user) -> None:
    if not user.has_role("node_admin"):
        raise Http404


@router.put("/treaties/{country}/{instrument}", summary="Change a party status (node admins)")
def set_status(request, country: str, instrument: _codes(Instrument), payload: PartyStatusIn):
    _node_admin(request.auth)
    row = TreatyStatus.objects.filter(profile_id=country.upper(), instrument=instrument).first()
    if row is None:
        raise Http404
    _run(actions.do_set_party_status, request.auth, row, **payload.dict())
    return {
        "country": row.profile_id,
        "instrument": row.instrument,
        "status": row.status,
    }


class TreatyIn(Schema):
    code: str = Field(..., pattern=r"^[a-z0-9-]{3,64}$")
    states: list[str] = Field(..., min_length=2, max_length=2)
    title: str = Field(..., min_length=1, max_length=500)
    source: str = Field(..., min_length=1, max_length=500)
    is_verified: bool = False
    in_force_on: dt.date | None = None
    languages: list[Literal["en", "ru"]] = Field(default_factory=list, max_length=2)
    channels: list[_codes(Channel)] = Field(default_factory=list, max_length=4)


@router.post(
    "/treaties/bilateral",
    response={201: dict[str, Any]},
    summary="Record a bilateral MLA treaty (node admins)",
)
def add_treaty(request, payload: TreatyIn):
    _node_admin(request.auth)
    if BilateralTreaty.objects.filter(code=payload.code).exists():
        raise HttpError(409, _("A treaty with this code exists."))
    treaty = _run(actions.do_add_bilateral_treaty, request.auth, **payload.dict())
    return Status(201, {"code": treaty.code, "states": [treaty.state_a, treaty.state_b]})


@router.put("/deadlines/{basis}", summary="Set the target days of a legal basis (node admins)")
def set_deadlines(request, basis: str, payload: DeadlinesIn):
    _node_admin(request.auth)
    bilateral = BilateralTreaty.objects.values_list("code", flat=True)
    if basis not in (*Basis.values, *(f"BILATERAL:{code}" for code in bilateral)):
        raise Http404  # as the page does: a basis no rule knows is not a policy to store
    policy = _run(
        actions.do_set_deadlines,
        request.auth,
        basis,
        payload.acknowledge_days,
        payload.decide_days,
        payload.execute_days,
    )
    return {
        "basis": policy.basis,
        "acknowledge_days": policy.acknowledge_days,
        "decide_days": policy.decide_days,
        "execute_days": policy.execute_days,
    }


# Requests


@router.get("/requests", response=list[RequestOut], summary="The outgoing or incoming register")
@paginate(Page)
def register(request, filters: Query[RegisterFilters]):
    data = {**filters.dict(), "country": filters.country.upper()}
    if not (can_draft(request.auth) or is_central_authority(request.auth)):
        raise Http404
    if data["direction"] == Direction.INCOMING and not is_central_authority(request.auth):
        raise Http404
    return filter_register(visible_requests(request.auth), data)


@router.post("/requests", response={201: RequestDetailOut}, summary="Open a draft from a case")
def create_request(request, payload: NewRequestIn):
    case = access_case_for_request(request.auth, payload.case_id)
    req = _run(
        actions.do_create_request,
        request.auth,
        case,
        requested_state=payload.requested_state,
    )
    return Status(201, _detail(request.auth, req))


@router.get("/requests/{request_id}", response=RequestDetailOut, summary="One request")
def get_request(request, request_id: int):
    req = access_request(request.auth, request_id)
    return _detail(request.auth, req)


@router.patch(
    "/requests/{request_id}/steps/{step}",
    response=list[GapOut],
    summary="Save one drafting step; answers the step's missing elements",
)
def save_step(request, request_id: int, step: str, payload: BODY):
    req = access_draft(request.auth, request_id)
    if step not in actions.STEP_FIELDS:
        raise Http404
    unknown = set(payload) - set(actions.STEP_FIELDS[step])
    if unknown:
        raise DjangoValidationError({f: _("Not a field of this step.") for f in unknown})
    req = _run(actions.do_update_request, request.auth, req, step, payload)
    return gaps_for(req, step, _resolution(req))


def _resolution(req):
    if not req.requested_state:
        return None
    return resolve(req.requesting_state, req.requested_state, req.legal_basis or None)


@router.get(
    "/requests/{request_id}/check",
    response=list[GapOut],
    summary="Every missing element of a draft (empty when complete)",
)
def check(request, request_id: int, step: str = Query("check")):
    req = access_draft(request.auth, request_id)
    if step not in STEP_NAMES:
        raise Http404
    return gaps_for(req, step, _resolution(req))


@router.post("/requests/{request_id}/measures", response={201: MeasureOut})
def add_measure(request, request_id: int, payload: MeasureIn):
    req = access_draft(request.auth, request_id)
    return Status(
        201,
        _run(actions.do_add_measure, request.auth, req, payload.kind, payload.fields),
    )


@router.delete("/requests/{request_id}/measures/{measure_id}", response={204: None})
def remove_measure(request, request_id: int, measure_id: int):
    req = access_draft(request.auth, request_id)
    if not req.measures.filter(pk=measure_id).exists():
        raise Http404
    _run(actions.do_remove_measure, request.auth, req, measure_id)
    return Status(204, None)


@router.post("/requests/{request_id}/persons", response={201: MlaPersonOut})
def add_person(request, request_id: int, payload: MlaPersonIn):
    req = access_draft(request.auth, request_id)
    data = payload.dict()
    row_id = data.pop("case_person_id")
    row = None
    if row_id is not None:
        row = access_case_person(request.auth, req.case, row_id) if req.case else None
        if row is None:
            raise Http404
        data["full_name"] = data["full_name"] or row.person.full_name
    return Status(201, _run(actions.do_add_person, request.auth, req, data, row))


@router.patch("/requests/{request_id}/persons/{person_id}", response=MlaPersonOut)
def update_person(request, request_id: int, person_id: int, payload: MlaPersonIn):
    req = access_draft(request.auth, request_id)
    person = access_person_for_edit(request.auth, req, person_id)
    data = payload.dict(exclude_unset=True)
    data.pop("case_person_id", None)
    return _run(actions.do_update_person, request.auth, req, person, data)


@router.delete("/requests/{request_id}/persons/{person_id}", response={204: None})
def remove_person(request, request_id: int, person_id: int):
    req = access_draft(request.auth, request_id)
    if not req.persons.filter(pk=person_id).exists():
        raise Http404
    _run(actions.do_remove_person, request.auth, req, person_id)
    return Status(204, None)


@router.post(
    "/requests/{request_id}/submit",
    response=RequestDetailOut,
    summary="Submit a complete draft (422 lists every missing element); paper=true: on paper",
)
def submit(request, request_id: int, paper: bool = False):
    req = access_draft(request.auth, request_id)
    gaps = final_check(req, _resolution(req)) if req.requested_state else None
    if gaps:
        raise ValidationError(
            [{"loc": ["body", "payload", g.field], "msg": str(g.message)} for g in gaps]
        )
    req = _run(actions.do_submit, request.auth, req, off_network=paper)
    return _detail(request.auth, req)


@router.post(
    "/requests/{request_id}/transitions/{name}",
    response=RequestDetailOut,
    summary="Perform one lifecycle transition (409 when the lifecycle refuses)",
)
def transition(request, request_id: int, name: str, payload: BODY):
    req = access_request(request.auth, request_id)
    if name not in TRANSITIONS or name == "submit" or not can_act(request.auth, req):
        raise Http404
    req = _run(actions.do_transition, request.auth, req, name, payload)
    return _detail(request.auth, req)


@router.get("/requests/{request_id}/letter", summary="The letter as PDF or DOCX")
def letter(
    request,
    request_id: int,
    format: Literal["pdf", "docx"] = "pdf",
    lang: Literal["en", "ru"] | None = None,
):
    req = access_request(request.auth, request_id)
    filename, content_type, content = letters.render(
        req, format, lang or req.language or "en", reader=request.auth
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@router.get("/dashboard", summary="Counts per state, country and age; medians; overdue count")
def dashboard(request) -> dict[str, Any]:
    scope = access_counted_requests(request.auth)
    return {
        "by_state": counts_by_state(scope),
        "by_country": counts_by_country_and_age(scope),
        "medians": median_days(scope),
        "overdue": len(overdue(scope)),
    }
