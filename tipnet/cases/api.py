"""The cases JSON API: the same access rules as the pages.

A case the token holder may not see answers 404 exactly like a missing one (and is audited);
invalid input answers 422 in the one error shape, with nothing stored.
"""

from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.errors import HttpError, ValidationError
from ninja.files import UploadedFile
from ninja.pagination import paginate

from tipnet.api import Page, error_response
from tipnet.audit.actions import record
from tipnet.lib.paging import LOOKAHEAD
from tipnet.lib.text import Line, Text

from . import actions
from .access import (
    WRITER_ROLES,
    access_case,
    access_case_for_edit,
    access_case_for_grant,
    access_case_person,
    access_document,
    access_documents,
    access_grant,
    access_person,
    can_read_free_text,
    can_see_identity,
    mark_free_text,
    visible_cases,
)
from .enums import (
    ChainRole,
    Confidentiality,
    EventKind,
    ExploitationForm,
    GrantLevel,
    IdentifierKind,
    LegKind,
    Outcome,
    PersonRole,
    Sex,
    Stage,
    SuspectStatus,
)
from .importer import import_file
from .network import case_network
from .queries import filter_cases, search_persons, similar_persons
from .validation import country_code, parse_partial_date

router = Router()


def _codes(enum):
    return Literal[tuple(enum.values)]


def _refuse_large_file(file) -> None:
    # 413, as for a request over TIPNET_MAX_REQUEST_MB: the size is the problem, not a field.
    if file.size > actions.max_document_bytes():
        raise HttpError(413, _("The file is larger than the limit."))


# Schemas


class LegSchema(Schema):
    country: str = Field(..., min_length=2, max_length=3)
    kind: _codes(LegKind)


def _shown(case, context) -> bool:
    return can_read_free_text(context["request"].auth if context else None, case)


def _free_text(obj, case, field: str, context) -> str | None:
    # Free text is null, never absent, for a reader who may not see it, so clients keep one
    # shape; the rule itself is can_read_free_text's.
    return getattr(obj, field) if _shown(case, context) else None


class CaseOut(Schema):
    id: int
    reference: str
    agency: str = Field(..., alias="agency.code")
    title: str | None
    offence_articles: str
    exploitation_forms: list[str]
    summary: str | None
    confidentiality: str
    stage: str
    outcome: str
    opened_on: date
    free_text_withheld: bool = Field(False, description="title and summary withheld (null)")

    @staticmethod
    def resolve_title(obj, context):
        return _free_text(obj, obj, "title", context)

    @staticmethod
    def resolve_summary(obj, context):
        return _free_text(obj, obj, "summary", context)

    @staticmethod
    def resolve_free_text_withheld(obj, context):
        return not _shown(obj, context)


class CaseDetailOut(CaseOut):
    route: list[LegSchema]
    persons_by_role: dict[str, int] = Field(
        default_factory=dict, description="how many persons have each role, victims included"
    )

    @staticmethod
    def resolve_persons_by_role(obj):
        # Counts identify no one, so every reader gets them, even when victims are hidden.
        rows = obj.case_persons.values("role").annotate(n=Count("pk")).order_by("role")
        return {row["role"]: row["n"] for row in rows}

    @staticmethod
    def resolve_route(obj):
        return [{"country": leg.country, "kind": leg.kind} for leg in obj.route.all()]


class CaseIn(Schema):
    title: Line = Field(..., min_length=1, max_length=200)
    offence_articles: Line = Field("", max_length=200)
    exploitation_forms: list[_codes(ExploitationForm)] = Field(default_factory=list, max_length=10)
    summary: Text = Field("", max_length=20000)
    confidentiality: _codes(Confidentiality) = "confidential"
    opened_on: date | None = None
    route: list[LegSchema] = Field(default_factory=list, max_length=20)


class CaseFilters(Schema):
    q: str = Field("", max_length=100)
    stage: _codes(Stage) | None = None
    form: _codes(ExploitationForm) | None = None
    country: str = Field("", max_length=3)
    agency: str = Field("", max_length=64)
    opened_from: date | None = None
    opened_to: date | None = None


class StageIn(Schema):
    stage: _codes(Stage)
    occurred_on: date | None = None
    outcome: _codes(Outcome) | Literal[""] = ""
    note: Line = Field("", max_length=2000)


class IdentifierOut(Schema):
    id: int
    kind: str
    value: str
    normalised: str
    country: str


class CasePersonOut(Schema):
    id: int = Field(..., alias="person.id")
    row_id: int = Field(..., alias="id")
    full_name: str = Field(..., alias="person.full_name")
    latin_name: str = Field(..., alias="person.latin_name")
    role: str
    chain_role: str
    status: str
    sex: str = Field(..., alias="person.sex")
    birth: str = Field(..., alias="person.birth_display")
    citizenships: list[str] = Field(..., alias="person.citizenships")
    identifiers: list[IdentifierOut]

    @staticmethod
    def resolve_identifiers(obj):
        return list(obj.person.identifiers.all())


class IdentifierIn(Schema):
    kind: _codes(IdentifierKind)
    value: Line = Field(..., min_length=1, max_length=300)
    country: str = Field("", max_length=3)


class CasePersonIn(Schema):
    full_name: Line = Field(..., min_length=1, max_length=200)
    role: _codes(PersonRole)
    chain_role: _codes(ChainRole) | Literal[""] = ""
    status: _codes(SuspectStatus) | Literal[""] = ""
    sex: _codes(Sex) = "unknown"
    birth: str = Field("", max_length=11, description="YYYY-MM-DD, YYYY-MM, YYYY or ~YYYY")
    citizenships: list[str] = Field(default_factory=list, max_length=5)
    identifiers: list[IdentifierIn] = Field(default_factory=list, max_length=10)
    confirm_new: bool = Field(
        False,
        description="Add a new person even though similar persons are already recorded "
        "(the first attempt answers 409 possible_duplicate, listing them)",
    )


class CaseEventIn(Schema):
    kind: _codes(EventKind)
    occurred_on: date
    description: Text = Field(..., min_length=1, max_length=5000)


class CaseEventOut(Schema):
    id: int
    kind: str
    occurred_on: date
    description: str | None = Field(..., description="null when withheld for the reader's role")
    stage_from: str
    stage_to: str

    @staticmethod
    def resolve_description(obj, context):
        return _free_text(obj, obj.case, "description", context)


class DocumentOut(Schema):
    id: int
    title: str
    filename: str
    content_type: str
    size: int
    sha256: str


class HitOut(Schema):
    person_id: int
    case_id: int
    case_reference: str
    full_name: str
    latin_name: str
    role: str
    chain_role: str
    score: float
    matched: str


# Cases


class CasePage(Page):
    """The one pagination, with the total counted at most LOOKAHEAD rows past `offset`: an
    exact COUNT(*) would read every visible case on each call."""

    class Output(Schema):
        items: list[Any]
        count: int = Field(..., description="the total, or a lower bound (count_is_exact false)")
        count_is_exact: bool = Field(True, description="false: there are more than `count`")

    def paginate_queryset(self, queryset, pagination, request, **params):
        offset, limit = pagination.offset, min(pagination.limit, self.max_limit)
        ahead = queryset.order_by()[offset : offset + LOOKAHEAD + 1].count()
        if ahead == 0 and offset > 0:  # past the end: the total itself, counted
            return {"items": [], "count": queryset.count(), "count_is_exact": True}
        # The columns CaseOut shows, and whether each case's free text is shown decided once
        # for the page rather than once a case and field.
        rows = queryset.only(*CASE_OUT_COLUMNS)[offset : offset + limit]
        return {
            "items": mark_free_text(request.auth, rows),
            "count": offset + min(ahead, LOOKAHEAD),
            "count_is_exact": ahead <= LOOKAHEAD,
        }


CASE_OUT_COLUMNS = (
    "reference",
    "agency__code",
    "title",
    "offence_articles",
    "exploitation_forms",
    "summary",
    "confidentiality",
    "stage",
    "outcome",
    "opened_on",
)


@router.get("/", response=list[CaseOut], summary="Cases the token holder may see, filtered")
@paginate(CasePage)
def list_cases(request, filters: Query[CaseFilters]):
    data = {k: v for k, v in filters.dict().items() if v}
    if data.get("country"):
        try:
            data["country"] = country_code(data["country"])
        except DjangoValidationError as exc:
            raise DjangoValidationError({"country": exc.messages}) from None
    return filter_cases(request.auth, visible_cases(request.auth), **data)


@router.post("/", response={201: CaseDetailOut}, summary="Open a case for the caller's agency")
def create_case(request, payload: CaseIn):
    user = request.auth
    if not (user.agency_id and user.has_role(*WRITER_ROLES)):
        raise Http404
    data = payload.dict()
    data["route"] = [(leg["country"], leg["kind"]) for leg in data["route"]]
    case = actions.do_create_case(user, **data)
    return Status(201, case)


class ImportOut(Schema):
    dry_run: bool
    written: bool
    rows: int
    cases: int
    persons: int


@router.post("/import", response=ImportOut, summary="Check, then import, a CSV or XLSX file")
def import_cases(request, file: File[UploadedFile], dry_run: Form[bool] = True):
    user = request.auth
    if not (user.agency_id and user.has_role(*WRITER_ROLES)):
        raise Http404
    _refuse_large_file(file)
    report = import_file(user, file.name or "upload", file.read(), dry_run=dry_run)
    record(
        "cases:import:run",
        actor=user,
        dry_run=dry_run,
        written=report.written,
        cases=report.cases,
        problems=len(report.problems),
    )
    if report.problems:
        # Each problem keeps its place in the file: field "rows.<row>.<column>".
        raise ValidationError(
            [
                {"loc": ["rows", row, column], "msg": problem}
                for row, column, problem in report.problems
            ]
        )
    counts = {"rows": report.rows, "cases": report.cases, "persons": report.persons}
    return {"dry_run": dry_run, "written": report.written, **counts}


@router.get("/persons/search", response=list[HitOut], summary="Persons across visible cases")
def search(request, q: str = Query(..., min_length=1, max_length=200)):
    return [
        {
            "person_id": h.row.person_id,
            "case_id": h.row.case_id,
            "case_reference": h.row.case.reference,
            "full_name": h.row.person.full_name,
            "latin_name": h.row.person.latin_name,
            "role": h.row.role,
            "chain_role": h.row.chain_role,
            "score": round(h.score, 3),
            "matched": h.matched,
        }
        for h in search_persons(request.auth, q)
    ]


@router.get("/{case_id}", response=CaseDetailOut, summary="One case")
def get_case(request, case_id: int):
    case = access_case(request.auth, case_id)
    record("cases:case:view", actor=request.auth, obj=case)
    return case


@router.post("/{case_id}/stage", response=CaseDetailOut, summary="Move a case to a new stage")
def change_stage(request, case_id: int, payload: StageIn):
    case = access_case_for_edit(request.auth, case_id)
    data = payload.dict()
    actions.do_change_stage(
        request.auth, case, data["stage"], data["occurred_on"], data["outcome"], data["note"]
    )
    return case


@router.get("/{case_id}/persons", response=list[CasePersonOut], summary="Persons in a case")
def list_persons(request, case_id: int):
    case = access_case(request.auth, case_id)
    rows = case.case_persons.select_related("person").prefetch_related("person__identifiers")
    if not can_see_identity(request.auth, case):
        rows = rows.exclude(role=PersonRole.VICTIM)
    return list(rows)


@router.post("/{case_id}/persons", response={201: CasePersonOut}, summary="Add a person to a case")
def add_person(request, case_id: int, payload: CasePersonIn):
    case = access_case_for_edit(request.auth, case_id)
    data = payload.dict()
    try:
        birth = parse_partial_date(data["birth"])
    except DjangoValidationError as exc:
        raise DjangoValidationError({"birth": exc.messages}) from None
    idents = [(i["kind"], i["value"], i["country"]) for i in data["identifiers"]]
    similar = similar_persons(request.auth, data["full_name"], idents)
    if similar and not data["confirm_new"]:
        return _possible_duplicate(request, similar)
    with transaction.atomic():
        person = actions.do_create_person(
            request.auth,
            full_name=data["full_name"],
            sex=data["sex"],
            birth=birth,
            citizenships=data["citizenships"],
            similar_to=[s.person.pk for s in similar],
        )
        row = actions.do_add_person_to_case(
            request.auth, case, person, data["role"], data["chain_role"], data["status"]
        )
        for number, (kind, value, country) in enumerate(idents):
            try:
                actions.do_add_identifier(request.auth, person, kind, value, country)
            except DjangoValidationError as exc:
                messages = " ".join(exc.messages)
                raise DjangoValidationError({f"identifiers.{number}": messages}) from None
    return Status(201, row)


def _possible_duplicate(request, similar):
    """409 in the one error shape, listing the persons (only those the caller may see) who
    may be the one being added, to link instead (POST .../persons/link) or to confirm past."""
    details = [
        {
            "person_id": s.person.pk,
            "full_name": s.person.full_name,
            "latin_name": s.person.latin_name,
            "score": round(s.score, 3),
            "matched": s.matched,
            "cases": [
                {"case_id": r.case_id, "reference": r.case.reference, "role": r.role}
                for r in s.rows
            ],
        }
        for s in similar
    ]
    message = _(
        "This person may already be recorded. Link one of the persons listed, or send "
        "confirm_new to add a new person anyway."
    )
    return error_response(request, 409, "possible_duplicate", message, details)


class PersonLinkIn(Schema):
    person_id: int
    role: _codes(PersonRole)
    chain_role: _codes(ChainRole) | Literal[""] = ""
    status: _codes(SuspectStatus) | Literal[""] = ""


@router.post(
    "/{case_id}/persons/link",
    response={201: CasePersonOut},
    summary="Give a person recorded in another visible case a role in this one",
)
def link_person(request, case_id: int, payload: PersonLinkIn):
    case = access_case_for_edit(request.auth, case_id)
    person = access_person(request.auth, payload.person_id)
    data = payload.dict()
    row = actions.do_add_person_to_case(
        request.auth, case, person, data["role"], data["chain_role"], data["status"]
    )
    return Status(201, row)


@router.post(
    "/{case_id}/persons/{row_id}/identifiers",
    response={201: IdentifierOut},
    summary="Add an identifier (phone, passport, ...) to a person of a case",
)
def add_identifier(request, case_id: int, row_id: int, payload: IdentifierIn):
    case = access_case_for_edit(request.auth, case_id)
    row = access_case_person(request.auth, case, row_id)
    ident = actions.do_add_identifier(request.auth, row.person, **payload.dict())
    return Status(201, ident)


@router.get("/{case_id}/events", response=list[CaseEventOut], summary="Timeline of a case")
def list_events(request, case_id: int):
    case = access_case(request.auth, case_id)
    events = list(case.events.all())
    for event in events:
        event.case = case  # one free-text decision for the whole timeline
    return events


@router.post("/{case_id}/events", response={201: CaseEventOut}, summary="Add a timeline event")
def add_event(request, case_id: int, payload: CaseEventIn):
    case = access_case_for_edit(request.auth, case_id)
    event = actions.do_add_event(request.auth, case, **payload.dict())
    return Status(201, event)


@router.get("/{case_id}/documents", response=list[DocumentOut], summary="Documents of a case")
def list_documents(request, case_id: int):
    case = access_case(request.auth, case_id)
    return list(access_documents(request.auth, case))


@router.post("/{case_id}/documents", response={201: DocumentOut}, summary="Attach a document")
def upload_document(request, case_id: int, title: Form[str], file: File[UploadedFile]):
    case = access_case_for_edit(request.auth, case_id)
    _refuse_large_file(file)
    document = actions.do_upload_document(
        request.auth, case, title, file.name or "upload", file.read()
    )
    return Status(201, document)


@router.get("/{case_id}/documents/{document_id}", summary="Download a document")
def download_document(request, case_id: int, document_id: int):
    case = access_case(request.auth, case_id)
    document = access_document(request.auth, case, document_id)
    record("cases:document:download", actor=request.auth, obj=document, case_id=case.pk)
    response = HttpResponse(bytes(document.content), content_type=document.content_type)
    response["Content-Disposition"] = f'attachment; filename="document-{document.pk}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.get("/{case_id}/network", summary="Persons, identifiers and cases linked to a case")
def network(request, case_id: int, depth: int = Query(2, ge=1, le=3)):
    case = access_case(request.auth, case_id)
    return case_network(request.auth, case, depth)


class GrantIn(Schema):
    agency: str = Field("", max_length=64, description="an agency code, or")
    username: str = Field("", max_length=150, description="one user's name")
    level: _codes(GrantLevel) = "read"
    reason: Line = Field(..., min_length=1, max_length=300)
    expires_on: date | None = Field(None, description="the last day of access (inclusive)")
    expires_at: datetime | None = Field(None, description="or the moment access ends")


class GrantOut(Schema):
    id: int
    agency: str | None = Field(None, alias="agency.code")
    username: str | None = Field(None, alias="user.username")
    level: str
    reason: str
    expires_at: datetime | None
    expires_on: date | None


@router.get("/{case_id}/grants", response=list[GrantOut], summary="Who a case is shared with")
def list_grants(request, case_id: int):
    case = access_case_for_grant(request.auth, case_id)
    return list(case.grants.select_related("agency", "user"))


@router.post("/{case_id}/grants", response={201: GrantOut}, summary="Share a case")
def add_grant(request, case_id: int, payload: GrantIn):
    case = access_case_for_grant(request.auth, case_id)
    data = payload.dict()
    grantee = actions.resolve_grantee(data.pop("agency"), data.pop("username"))
    grant = actions.do_grant_case(request.auth, case, **data, **grantee)
    return Status(201, grant)


@router.delete("/{case_id}/grants/{grant_id}", response={204: None}, summary="Withdraw a grant")
def revoke_grant(request, case_id: int, grant_id: int):
    case = access_case_for_grant(request.auth, case_id)
    actions.do_revoke_grant(request.auth, access_grant(request.auth, case, grant_id))
    return Status(204, None)


class SuspectIn(Schema):
    chain_role: _codes(ChainRole) | Literal[""] = ""
    status: _codes(SuspectStatus)


@router.patch(
    "/{case_id}/persons/{row_id}",
    response=CasePersonOut,
    summary="Change a suspect's chain role or status",
)
def update_suspect(request, case_id: int, row_id: int, payload: SuspectIn):
    case = access_case_for_edit(request.auth, case_id)
    row = access_case_person(request.auth, case, row_id)
    actions.do_update_case_person(request.auth, row, **payload.dict())
    return row


class CaseUpdateIn(Schema):
    title: Line | None = Field(None, min_length=1, max_length=200)
    offence_articles: Line | None = Field(None, max_length=200)
    exploitation_forms: list[_codes(ExploitationForm)] | None = Field(None, max_length=10)
    summary: Text | None = Field(None, max_length=20000)
    confidentiality: _codes(Confidentiality) | None = None
    route: list[LegSchema] | None = Field(None, max_length=20)


@router.patch("/{case_id}", response=CaseDetailOut, summary="Change a case's fields or route")
def update_case(request, case_id: int, payload: CaseUpdateIn):
    case = access_case_for_edit(request.auth, case_id)
    data = payload.dict(exclude_unset=True)
    route = data.pop("route", None)
    with transaction.atomic():
        actions.do_update_case(request.auth, case, **data)
        if route is not None:
            legs = [(leg["country"], leg["kind"]) for leg in route]
            actions.do_set_route(request.auth, case, legs)
    return case
