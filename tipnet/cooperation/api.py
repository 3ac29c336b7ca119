"""Police-to-police messages in the JSON API: the inbox and outbox, a thread, sending, replying,
forwarding, exporting and asking consent. Refusals answer the one error shape; a handling code
that forbids an onward action answers 409 with its reason."""

import base64
from datetime import datetime

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from . import actions, queries
from .access import access_source_case, access_thread, is_officer, thread_refusal, visible_threads

router = Router()


class ThreadOut(Schema):
    id: int
    reference: str
    direction: str
    kind: str
    counterpart_node: str
    counterpart_agency: str
    subject: str
    priority: str
    deadline: datetime | None
    handling_code: str
    consent: str
    case_id: int | None
    assigned_to_id: int | None
    is_unread: bool = False


class PersonOut(Schema):
    full_name: str
    role: str = ""
    chain_role: str = ""
    birth: str = ""
    identifiers: list[dict]


class MessageOut(Schema):
    id: int
    direction: str
    kind: str
    sender_name: str
    body: str
    created_at: datetime
    delivery: str
    persons: list[PersonOut]
    files: list[str]


class ThreadDetailOut(ThreadOut):
    messages: list[MessageOut]
    forward_refusal: str
    export_refusal: str


class FileIn(Schema):
    filename: str = Field(max_length=200)
    content_base64: str = Field(max_length=3_000_000)


class ThreadIn(Schema):
    case_id: int | None = None
    kind: str = Field(max_length=12)
    recipient: str = Field(max_length=32)
    # An agency on that node as the directory names it; empty: the node's own agency.
    agency: str = Field("", max_length=255)
    subject: str = Field(max_length=300)
    body: str = Field("", max_length=20000)
    priority: str = Field("routine", max_length=12)
    deadline: datetime | None = None
    handling_code: str = Field("", max_length=8)
    person_ids: list[int] = Field([], max_length=50)
    identifier_ids: list[int] = Field([], max_length=200)
    files: list[FileIn] = Field([], max_length=5)


class ReplyIn(Schema):
    body: str = Field(max_length=20000)
    person_ids: list[int] = Field([], max_length=50)
    identifier_ids: list[int] = Field([], max_length=200)
    files: list[FileIn] = Field([], max_length=5)


class ForwardIn(Schema):
    recipient: str = Field(max_length=32)
    body: str = Field("", max_length=20000)


class PoliceConsentIn(Schema):
    body: str = Field(max_length=20000)


class BoxFilter(Schema):
    box: str = Field("incoming", pattern="^(incoming|outgoing)$")


def _files(files: list[FileIn]) -> list[tuple[str, bytes]]:
    try:
        return [(f.filename, base64.b64decode(f.content_base64, validate=True)) for f in files]
    except ValueError:
        raise ValidationError({"files": _("A file is not valid base64.")}) from None


def _thread_out(thread) -> dict:
    return {
        **{f: getattr(thread, f) for f in ThreadOut.model_fields if f != "is_unread"},
        "is_unread": getattr(thread, "is_unread", False),
    }


def _detail(thread) -> dict:
    rows = queries.messages_of(thread)
    return {
        **_thread_out(thread),
        "messages": [
            {
                "id": m.pk,
                "direction": m.direction,
                "kind": m.kind,
                "sender_name": m.sender_name,
                "body": m.body,
                "created_at": m.created_at,
                "delivery": getattr(m, "delivery", ""),
                "persons": [getattr(i, "person_data", {}) for i in getattr(m, "persons", [])],
                "files": [f.filename for f in m.files.all()],
            }
            for m in rows
        ],
        "forward_refusal": thread_refusal(thread, "forward"),
        "export_refusal": thread_refusal(thread, "export"),
    }


@router.get("/threads", response=list[ThreadOut], summary="The inbox or the outbox")
def list_threads(request, filters: Query[BoxFilter]):
    if not is_officer(request.user):
        raise Http404
    threads = visible_threads(request.user).filter(direction=filters.box)[:200]
    return [_thread_out(t) for t in queries.with_flags(request.user, threads)]


@router.get("/threads/{thread_id}", response=ThreadDetailOut, summary="One thread")
def get_thread(request, thread_id: int):
    thread = access_thread(request.user, thread_id)
    actions.do_mark_read(request.user, thread)
    return _detail(thread)


@router.post("/threads", response={201: ThreadDetailOut}, summary="Send a request or information")
def send(request, payload: ThreadIn):
    if not is_officer(request.user):
        raise Http404
    case = access_source_case(request.user, payload.case_id) if payload.case_id else None
    thread = actions.do_send(
        request.user,
        case,
        kind=payload.kind,
        recipient=payload.recipient,
        agency=payload.agency,
        subject=payload.subject,
        body=payload.body,
        priority=payload.priority,
        deadline=payload.deadline,
        handling_code=payload.handling_code,
        person_ids=payload.person_ids,
        identifier_ids=payload.identifier_ids,
        files=_files(payload.files),
    )
    return 201, _detail(thread)


@router.post(
    "/threads/{thread_id}/replies", response={201: ThreadDetailOut}, summary="Reply in a thread"
)
def reply(request, thread_id: int, payload: ReplyIn):
    thread = access_thread(request.user, thread_id)
    actions.do_reply(
        request.user,
        thread,
        payload.body,
        payload.person_ids,
        payload.identifier_ids,
        _files(payload.files),
    )
    return 201, _detail(thread)


@router.post(
    "/threads/{thread_id}/forward",
    response={201: ThreadDetailOut},
    summary="Forward what a thread brought in to another node, if its handling code allows",
)
def forward(request, thread_id: int, payload: ForwardIn):
    thread = access_thread(request.user, thread_id)
    reason = thread_refusal(thread, "forward")
    if reason:
        raise HttpError(409, reason)
    new = actions.do_forward(request.user, thread, recipient=payload.recipient, body=payload.body)
    return 201, _detail(new)


@router.get(
    "/threads/{thread_id}/export", summary="A thread as a JSON file, if its handling code allows"
)
def export(request, thread_id: int):
    thread = access_thread(request.user, thread_id)
    reason = thread_refusal(thread, "export")
    if reason:
        raise HttpError(409, reason)
    name, content = actions.do_export(request.user, thread)
    response = HttpResponse(content, content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.post(
    "/threads/{thread_id}/consent",
    response={201: ThreadDetailOut},
    summary="Ask the sender's consent to pass on what it sent",
)
def consent(request, thread_id: int, payload: PoliceConsentIn):
    thread = access_thread(request.user, thread_id)
    actions.do_request_consent(request.user, thread, payload.body)
    return 201, _detail(thread)
