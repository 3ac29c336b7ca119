"""The directory's JSON API: the same lists, filters and records as the pages.

Reads are open to every token holder of the node; creating agencies, contact points and events,
verifying contacts and adding follow-ups needs the node_admin role (others get 404, as for a
missing record). What an event produced is listed and linked by each caller within their own
access to cases, MLA requests and agreements.
"""

from datetime import date
from typing import Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import ValidationError
from ninja.pagination import paginate
from pydantic import field_validator

from tipnet.api import Page
from tipnet.lib.text import Line, Text
from tipnet.mla.measures import MEASURES

from . import actions
from .access import (
    access_agencies,
    access_agency_by_id,
    access_contact_by_id,
    access_contacts,
    access_countries,
    access_country_by_code,
    access_directory_admin,
    access_event_by_id,
    access_events,
    access_follow_up,
    access_guide_by_country,
    access_guides,
    access_network_by_code,
    access_networks,
)
from .filters import filter_agencies, filter_contacts, filter_events
from .finder import find
from .models import AgencyType, EventKind, FollowUpStatus, OutcomeKind, PractitionerNetwork
from .outcomes import find_by_reference, visible_outcomes
from .staleness import is_stale
from .validators import (
    NETWORK_CODE,
    normalise_phone,
    parse_language_codes,
    validate_multiline,
    validate_single_line,
)

router = Router()

AgencyKind = Literal[tuple(AgencyType.values)]  # type: ignore[valid-type]
EventKindCode = Literal[tuple(EventKind.values)]  # type: ignore[valid-type]
CountryCode = Field(..., pattern=r"^[A-Za-z]{2}$")


def _check(validator, value):
    try:
        validator(value)
    except DjangoValidationError as exc:
        raise ValueError(" ".join(exc.messages)) from None
    return value


# Schemas out


class CountryOut(Schema):
    code: str
    alpha3: str
    name_en: str
    name_ru: str
    name_uz: str


class AgencyBrief(Schema):
    id: int
    # In the language of the request (Accept-Language), English where there is none.
    name: str
    name_en: str
    country: str = Field(..., alias="country_id")


class NetworkBrief(Schema):
    code: str
    # In the language of the request (Accept-Language), English where there is none.
    name: str
    name_en: str
    name_ru: str
    name_uz: str


class AgencyOut(Schema):
    id: int
    country: str = Field(..., alias="country_id")
    kind: str
    # In the language of the request (Accept-Language), English where there is none.
    name: str
    name_en: str
    name_ru: str
    name_uz: str
    name_local: str
    local_language: str
    node_id: str
    website: str
    is_fictional: bool


class ContactOut(Schema):
    id: int
    agency: AgencyBrief
    name: str
    position: str
    languages: list[str]
    phone: str
    email: str
    is_24_7: bool
    is_fictional: bool


class AgencyDetailOut(AgencyOut):
    contact_points: list[ContactOut]
    networks: list[NetworkBrief]

    @staticmethod
    def resolve_contact_points(obj):
        return list(obj.contact_points.all())

    @staticmethod
    def resolve_networks(obj):
        return list(obj.networks.all())


class MemberOut(Schema):
    agency: AgencyBrief
    contact_point_id: int | None
    since: date | None


class NetworkOut(NetworkBrief):
    # In the language of the request, English where there is none.
    description: str
    description_en: str
    description_ru: str
    description_uz: str
    is_informal: bool
    secretariat: AgencyBrief | None


class NetworkDetailOut(NetworkOut):
    members: list[MemberOut]


class GuideEntryOut(Schema):
    topic: str
    text: str
    source: str
    is_verified: bool


class GuideOut(Schema):
    country: str = Field(..., alias="country_id")
    central_authority: AgencyBrief | None
    accepted_languages: list[str]


class GuideDetailOut(GuideOut):
    entries: list[GuideEntryOut]

    @staticmethod
    def resolve_entries(obj):
        return list(obj.entries.all())


class ParticipantOut(Schema):
    contact_point_id: int
    name: str
    agency: str
    country: str
    role: str
    is_fictional: bool

    @staticmethod
    def resolve_name(obj):
        return obj.contact_point.name

    @staticmethod
    def resolve_agency(obj):
        return obj.contact_point.agency.name_en

    @staticmethod
    def resolve_country(obj):
        return obj.contact_point.agency.country_id

    @staticmethod
    def resolve_is_fictional(obj):
        return obj.contact_point.is_fictional


class DirectoryEventOut(Schema):
    id: int
    kind: str
    title: str
    starts_on: date
    ends_on: date
    country: str = Field(..., alias="country_id")
    city: str
    organiser_id: int | None
    network: str | None

    @staticmethod
    def resolve_network(obj):
        return obj.network.code if obj.network_id else None


class EventDetailOut(DirectoryEventOut):
    outcomes: str
    follow_ups: str
    participants: list[ParticipantOut]

    @staticmethod
    def resolve_participants(obj):
        return obj.participant_rows


# Filters


class AgencyFilters(Schema):
    q: str = Field("", max_length=200)
    country: str = Field("", pattern=r"^([A-Za-z]{2})?$")
    kind: AgencyKind | Literal[""] = ""
    network: str = Field("", max_length=32)


class ContactFilters(AgencyFilters):
    language: str = Field("", pattern=r"^([a-z]{2})?$")
    is_24_7: bool = False


class EventFilters(Schema):
    country: str = Field("", pattern=r"^([A-Za-z]{2})?$")
    kind: EventKindCode | Literal[""] = ""
    year: int | None = Field(None, ge=1990, le=2100)
    period: Literal["", "upcoming", "past"] = ""
    network: str = Field("", max_length=32)


# Schemas in


class AgencyIn(Schema):
    country: str = CountryCode
    kind: AgencyKind
    name_en: str = Field(..., min_length=1, max_length=255)
    name_ru: str = Field("", max_length=255)
    name_uz: str = Field("", max_length=255)
    name_local: str = Field("", max_length=255)
    local_language: str = Field("", max_length=2)
    node_id: str = Field("", max_length=64)
    website: str = Field("", max_length=200)
    networks: list[str] = Field(default_factory=list, max_length=20)

    @field_validator("name_en", "name_ru", "name_uz", "name_local", "node_id")
    @classmethod
    def one_line(cls, value):
        return _check(validate_single_line, value)

    @field_validator("local_language")
    @classmethod
    def iso_639_1(cls, value):
        if value:
            _check(parse_language_codes, [value])
        return value


class ContactIn(Schema):
    agency_id: int
    name: str = Field(..., min_length=1, max_length=255)
    position: str = Field("", max_length=255)
    languages: list[str] = Field(default_factory=list, max_length=20)
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=254)
    is_24_7: bool = False

    @field_validator("name", "position")
    @classmethod
    def one_line(cls, value):
        return _check(validate_single_line, value)

    @field_validator("languages")
    @classmethod
    def iso_639_1(cls, value):
        try:
            return parse_language_codes(value)
        except DjangoValidationError as exc:
            raise ValueError(" ".join(exc.messages)) from None


class ParticipantIn(Schema):
    contact_point_id: int
    role: str = Field("", max_length=128)


class DirectoryEventIn(Schema):
    kind: EventKindCode
    title: str = Field(..., min_length=1, max_length=255)
    starts_on: date
    ends_on: date
    country: str = CountryCode
    city: str = Field("", max_length=128)
    organiser_id: int | None = None
    network: str | None = None
    outcomes: str = Field("", max_length=10_000)
    follow_ups: str = Field("", max_length=10_000)
    participants: list[ParticipantIn] = Field(default_factory=list, max_length=500)

    @field_validator("title", "city")
    @classmethod
    def one_line(cls, value):
        return _check(validate_single_line, value)

    @field_validator("outcomes", "follow_ups")
    @classmethod
    def text(cls, value):
        return _check(validate_multiline, value)


NAME = 255
DESCRIPTION = 10_000


class NetworkIn(Schema):
    code: str = Field(..., pattern=rf"^{NETWORK_CODE.pattern}$", max_length=32)
    name_en: Line = Field(..., min_length=1, max_length=NAME)
    name_ru: Line = Field("", max_length=NAME)
    name_uz: Line = Field("", max_length=NAME)
    description_en: Text = Field("", max_length=DESCRIPTION)
    description_ru: Text = Field("", max_length=DESCRIPTION)
    description_uz: Text = Field("", max_length=DESCRIPTION)
    secretariat_id: int | None = None
    is_informal: bool = False


class NetworkUpdateIn(Schema):
    """Only the fields sent change; the code never does."""

    name_en: Line | None = Field(None, min_length=1, max_length=NAME)
    name_ru: Line | None = Field(None, max_length=NAME)
    name_uz: Line | None = Field(None, max_length=NAME)
    description_en: Text | None = Field(None, max_length=DESCRIPTION)
    description_ru: Text | None = Field(None, max_length=DESCRIPTION)
    description_uz: Text | None = Field(None, max_length=DESCRIPTION)
    secretariat_id: int | None = None
    is_informal: bool | None = None


def _invalid(field: str, message: str):
    return ValidationError([{"loc": ["body", "payload", field], "msg": message}])


# Countries


@router.get("/countries", response=list[CountryOut], summary="Countries (ISO 3166-1)")
@paginate(Page)
def list_countries(request, q: str = Query("", max_length=100)):
    countries = access_countries(request.auth)
    if q:
        countries = countries.filter(name_en__icontains=q) | countries.filter(code__iexact=q)
    return countries


@router.get("/countries/{code}", response=CountryOut, summary="One country")
def get_country(request, code: str):
    return access_country_by_code(request.auth, code)


# Agencies


@router.get("/agencies", response=list[AgencyOut], summary="Agencies, searched and filtered")
@paginate(Page)
def list_agencies(request, filters: Query[AgencyFilters]):
    return filter_agencies(access_agencies(request.auth), **filters.dict())


@router.get("/agencies/{agency_id}", response=AgencyDetailOut, summary="One agency")
def get_agency(request, agency_id: int):
    return access_agency_by_id(request.auth, agency_id)


@router.post("/agencies", response={201: AgencyDetailOut}, summary="Create an agency")
def create_agency(request, payload: AgencyIn):
    access_directory_admin(request.auth)
    data = payload.dict()
    codes = data.pop("networks")
    networks = list(PractitionerNetwork.objects.filter(code__in=codes))
    if len(networks) != len(set(codes)):
        raise _invalid("networks", _("Unknown network code."))
    data["country"] = access_country_by_code(request.auth, data["country"])
    agency = actions.do_create_agency(request.auth, data, networks)
    return Status(201, access_agency_by_id(request.auth, agency.pk))


# Contact points


@router.get("/contacts", response=list[ContactOut], summary="Contact points, filtered")
@paginate(Page)
def list_contacts(request, filters: Query[ContactFilters]):
    return filter_contacts(access_contacts(request.auth), **filters.dict())


@router.get("/contacts/{contact_id}", response=ContactOut, summary="One contact point")
def get_contact(request, contact_id: int):
    return access_contact_by_id(request.auth, contact_id)


@router.post("/contacts", response={201: ContactOut}, summary="Create a contact point")
def create_contact(request, payload: ContactIn):
    access_directory_admin(request.auth)
    data = payload.dict()
    data["agency"] = agency = access_agency_by_id(request.auth, data.pop("agency_id"))
    try:
        data["phone"] = normalise_phone(data["phone"], agency.country_id)
    except DjangoValidationError as exc:
        raise DjangoValidationError({"phone": exc.messages}) from None
    contact = actions.do_create_contact(request.auth, data)
    return Status(201, access_contact_by_id(request.auth, contact.pk))


# Networks


@router.get("/networks", response=list[NetworkOut], summary="Practitioners' networks")
@paginate(Page)
def list_networks(request):
    return access_networks(request.auth)


@router.get("/networks/{code}", response=NetworkDetailOut, summary="One network and its members")
def get_network(request, code: str):
    return access_network_by_code(request.auth, code)


def _network_data(request, data: dict) -> dict:
    data = {k: v for k, v in data.items() if v is not None or k == "secretariat_id"}
    if "secretariat_id" in data:
        agency_id = data.pop("secretariat_id")
        data["secretariat"] = access_agency_by_id(request.auth, agency_id) if agency_id else None
    return data


@router.post("/networks", response={201: NetworkDetailOut}, summary="Create a network")
def create_network(request, payload: NetworkIn):
    access_directory_admin(request.auth)
    if PractitionerNetwork.objects.filter(code=payload.code).exists():
        raise _invalid("code", _("A network with this code exists."))
    network = actions.do_create_network(request.auth, _network_data(request, payload.dict()))
    return Status(201, access_network_by_code(request.auth, network.code))


@router.patch(
    "/networks/{code}",
    response=NetworkDetailOut,
    summary="Change a network's names, descriptions, secretariat or informality",
)
def update_network(request, code: str, payload: NetworkUpdateIn):
    access_directory_admin(request.auth)
    network = access_network_by_code(request.auth, code)
    data = _network_data(request, payload.dict(exclude_unset=True))
    actions.do_update_network(request.auth, network, data)
    return access_network_by_code(request.auth, code)


# Guides


@router.get("/guides", response=list[GuideOut], summary="Country guides")
@paginate(Page)
def list_guides(request, country: str = Query("", pattern=r"^([A-Za-z]{2})?$")):
    guides = access_guides(request.auth)
    return guides.filter(country_id=country.upper()) if country else guides


@router.get("/guides/{code}", response=GuideDetailOut, summary="One country's guide")
def get_guide(request, code: str):
    return access_guide_by_country(request.auth, code)


# Events


@router.get("/events", response=list[DirectoryEventOut], summary="Events, filtered")
@paginate(Page)
def list_events(request, filters: Query[EventFilters]):
    return filter_events(access_events(request.auth), **filters.dict())


@router.get("/events/{event_id}", response=EventDetailOut, summary="One event and its participants")
def get_event(request, event_id: int):
    return access_event_by_id(request.auth, event_id)


def _event_data(request, payload: DirectoryEventIn) -> tuple[dict, list]:
    data = payload.dict()
    rows = data.pop("participants")
    data["country"] = access_country_by_code(request.auth, data["country"])
    organiser_id = data.pop("organiser_id")
    data["organiser"] = access_agency_by_id(request.auth, organiser_id) if organiser_id else None
    code = data["network"]
    data["network"] = get_object_or_404(PractitionerNetwork, code=code) if code else None
    contacts = {
        c.pk: c
        for c in access_contacts(request.auth).filter(pk__in=[r["contact_point_id"] for r in rows])
    }
    if len(contacts) != len(rows) or len({r["contact_point_id"] for r in rows}) != len(rows):
        raise _invalid("participants", _("Unknown or repeated contact point."))
    return data, [(contacts[r["contact_point_id"]], r["role"]) for r in rows]


@router.post("/events", response={201: EventDetailOut}, summary="Create an event")
def create_event(request, payload: DirectoryEventIn):
    access_directory_admin(request.auth)
    if payload.ends_on < payload.starts_on:
        raise _invalid("ends_on", _("The event cannot end before it starts."))
    data, participants = _event_data(request, payload)
    event = actions.do_create_event(request.auth, data, participants)
    return Status(201, access_event_by_id(request.auth, event.pk))


# Knowledge exchange: verification, follow-ups, what an event produced, the authority finder

MeasureCode = Literal[tuple(MEASURES)]  # type: ignore[valid-type]
StatusCode = Literal[tuple(FollowUpStatus.values)]  # type: ignore[valid-type]
OutcomeKindCode = Literal[tuple(OutcomeKind.values)]  # type: ignore[valid-type]


class ContactVerifiedOut(Schema):
    id: int
    verified_on: date | None
    is_stale: bool

    @staticmethod
    def resolve_is_stale(obj) -> bool:
        return is_stale(obj)


@router.post(
    "/contacts/{contact_id}/verify",
    response=ContactVerifiedOut,
    summary="Mark a contact verified today",
)
def verify_contact(request, contact_id: int):
    access_directory_admin(request.auth)
    contact = access_contact_by_id(request.auth, contact_id)
    return actions.do_verify_contact(request.auth, contact)


class EventFollowUpOut(Schema):
    id: int
    text: str
    owner_id: int | None
    due_on: date | None
    status: str


class EventFollowUpIn(Schema):
    text: str = Field(..., min_length=1, max_length=500)
    owner_id: int | None = None
    due_on: date | None = None
    status: StatusCode = "open"

    @field_validator("text")
    @classmethod
    def _one_line(cls, value: str) -> str:
        return _check(validate_single_line, value)


class EventFollowUpStatusIn(Schema):
    status: StatusCode


@router.get(
    "/events/{event_id}/follow-ups",
    response=list[EventFollowUpOut],
    summary="An event's follow-ups",
)
def list_follow_ups(request, event_id: int):
    event = access_event_by_id(request.auth, event_id)
    return event.follow_up_items.select_related("owner")


@router.post(
    "/events/{event_id}/follow-ups", response={201: EventFollowUpOut}, summary="Add a follow-up"
)
def add_follow_up(request, event_id: int, payload: EventFollowUpIn):
    access_directory_admin(request.auth)
    event = access_event_by_id(request.auth, event_id)
    data = payload.dict()
    owner_id = data.pop("owner_id")
    if owner_id is not None:
        owner = event.participants.filter(pk=owner_id).first()
        if owner is None:
            message = _("The owner must be one of the event's participants.")
            raise _invalid("owner_id", message)
        data["owner"] = owner
    return Status(201, actions.do_add_follow_up(request.auth, event, data))


@router.post(
    "/events/{event_id}/follow-ups/{follow_up_id}",
    response=EventFollowUpOut,
    summary="Change a follow-up's status",
)
def set_follow_up_status(request, event_id: int, follow_up_id: int, payload: EventFollowUpStatusIn):
    access_directory_admin(request.auth)
    event = access_event_by_id(request.auth, event_id)
    follow_up = access_follow_up(request.auth, event, follow_up_id)
    return actions.do_update_follow_up(request.auth, follow_up, payload.dict())


class EventProducedOut(Schema):
    id: int
    kind: str
    object_id: int
    label: str
    url: str


class EventProducedIn(Schema):
    kind: OutcomeKindCode
    reference: str = Field(..., min_length=1, max_length=200)


def _produced(row) -> dict:
    outcome = row.outcome
    return {"id": outcome.pk, "kind": outcome.kind, "object_id": outcome.object_id} | {
        "label": row.label,
        "url": row.url,
    }


@router.get(
    "/events/{event_id}/produced",
    response=list[EventProducedOut],
    summary="The cases, requests and agreements an event produced that the caller may open",
)
def list_produced(request, event_id: int):
    event = access_event_by_id(request.auth, event_id)
    return [_produced(row) for row in visible_outcomes(request.auth, event)]


@router.post(
    "/events/{event_id}/produced",
    response={201: EventProducedOut},
    summary="Link a case, request or agreement the caller may open to an event",
)
def add_produced(request, event_id: int, payload: EventProducedIn):
    event = access_event_by_id(request.auth, event_id)
    found = find_by_reference(request.auth, payload.kind, payload.reference)
    if found is None:
        raise _invalid("reference", _("No such record that you may open."))
    outcome = actions.do_link_outcome(request.auth, event, payload.kind, found.pk)
    row = next(r for r in visible_outcomes(request.auth, event) if r.outcome.pk == outcome.pk)
    return Status(201, _produced(row))


class AuthorityFinderQuery(Schema):
    country: str = CountryCode
    measure: MeasureCode
    region: str = Field("", max_length=128)


class AuthorityFinderOut(Schema):
    kinds: list[str]
    kind: str
    local: list[AgencyBrief]
    national: list[AgencyBrief]
    other: list[AgencyBrief]
    note: str
    source: str


@router.get("/finder", response=AuthorityFinderOut, summary="The authority that executes a measure")
def authority_finder(request, query: Query[AuthorityFinderQuery]):
    agencies = access_agencies(request.auth)
    return find(agencies, query.country, query.measure, query.region)
