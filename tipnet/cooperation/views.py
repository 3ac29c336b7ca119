"""Police-message pages: inbox and outbox, a new message from a case, a thread and its actions.

access_* -> form -> do_* -> render. Missing and forbidden threads both answer 404.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tipnet.accounts.models import User
from tipnet.cases.models import Person
from tipnet.lib.paging import link_query

from . import actions, queries
from .access import (
    access_item,
    access_source_case,
    access_thread,
    is_officer,
    pickable_persons,
    target_cases,
    thread_refusal,
    visible_threads,
)
from .forms import (
    AssignForm,
    AttachForm,
    ConsentAnswerForm,
    ConsentRequestForm,
    ForwardForm,
    MessageForm,
    ReplyForm,
)
from .models import Attachment, Direction


def _officer_or_404(user) -> None:
    if not is_officer(user):
        raise Http404


def _fail(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
def box(request):
    _officer_or_404(request.user)
    direction = request.GET.get("box") or Direction.INCOMING
    if direction not in Direction.values:
        raise Http404
    threads = visible_threads(request.user).filter(direction=direction)
    page = Paginator(threads, settings.TIPNET_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = queries.with_flags(request.user, page.object_list)
    context = {"page": page, "direction": direction, "query": link_query(request.GET)}
    return render(request, "cooperation/box.html", context)


def _files(request) -> list[tuple[str, bytes]]:
    return [(f.name, f.read()) for f in request.FILES.getlist("attachments")]


@login_required
def new(request):
    _officer_or_404(request.user)
    case = (
        access_source_case(request.user, request.GET["case"]) if request.GET.get("case") else None
    )
    rows = list(pickable_persons(request.user, case)) if case else []
    reference = request.GET.get("reference", "")[:200]
    initial: dict = {"kind": "request"}
    recipients = actions.recipients()
    if reference:
        # A follow-up of a check's hit: the node that answered, the person checked, and the
        # reference quoted, so that the officer only writes what is asked.
        initial["body"] = _("Concerning your reference “%(reference)s”:") % {"reference": reference}
        initial["subject"] = _("Follow-up of check hit %(reference)s") % {"reference": reference}
        node = request.GET.get("node", "")
        values = [value for value, _label in recipients]
        initial["recipient"] = next(
            (v for v in values if v == node),
            next((v for v in values if v.startswith(f"{node}/")), ""),
        )
        person = request.GET.get("person", "")
        initial["persons"] = [str(r.pk) for r in rows if str(r.person_id) == person]
    form = MessageForm(
        request.POST or None,
        request.FILES or None,
        recipients=recipients,
        rows=rows,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            thread = actions.do_send(
                request.user,
                case,
                kind=data["kind"],
                recipient=data["recipient"],
                subject=data["subject"],
                body=data["body"],
                priority=data["priority"],
                deadline=data["deadline"],
                handling_code=data["handling_code"],
                person_ids=data.get("persons", []),
                identifier_ids=data.get("identifiers", []),
                files=_files(request),
            )
        except ValidationError as exc:
            _fail(form, exc)
        else:
            messages.success(request, _("The message is queued for sending."))
            return redirect("cooperation:thread", thread.pk)
    context = {"form": form, "case": case, "multipart": True}
    return render(request, "cooperation/new.html", context)


def _thread_context(request, thread, **forms):
    user = request.user
    rows = list(pickable_persons(user, thread.case)) if thread.case else []
    cases = list(target_cases(user)[:100])
    persons = Person.objects.filter(case_roles__case__in=cases).exclude(case_roles__role="victim")
    officers = User.objects.filter(
        agency_id=thread.agency_id, is_active=True, roles__role__in=["investigator", "prosecutor"]
    ).distinct()
    incoming_consent = thread.messages.exclude(kind__in=["opening", "reply"]).last()
    return {
        "thread": thread,
        "code": queries.code_of(thread),
        "clock": queries.clock(thread),
        "thread_messages": queries.messages_of(thread),
        "reply_form": forms.get("reply_form") or ReplyForm(rows=rows),
        "forward_form": forms.get("forward_form") or ForwardForm(recipients=_others(thread)),
        "consent_form": forms.get("consent_form") or ConsentRequestForm(),
        "answer_form": forms.get("answer_form") or ConsentAnswerForm(),
        "attach_form": AttachForm(cases=cases, persons=persons.distinct()[:200]),
        "assign_form": AssignForm(officers=officers, initial={"officer": thread.assigned_to_id}),
        "forward_refusal": thread_refusal(thread, "forward"),
        "export_refusal": thread_refusal(thread, "export"),
        "can_ask_consent": thread.messages.filter(direction=Direction.INCOMING).exists()
        and thread.consent not in ("requested", "granted")
        and bool(thread_refusal(thread, "forward") or thread_refusal(thread, "export")),
        "can_answer_consent": bool(
            incoming_consent
            and incoming_consent.kind == "consent_request"
            and incoming_consent.direction == Direction.INCOMING
        ),
        "multipart": True,
    }


def _others(thread):
    return [
        (value, label)
        for value, label in actions.recipients()
        if actions.split_recipient(value)[0] != thread.counterpart_node
    ]


@login_required
def thread_detail(request, thread_id):
    thread = access_thread(request.user, thread_id)
    context = _thread_context(request, thread)
    actions.do_mark_read(request.user, thread)
    return render(request, "cooperation/thread.html", context)


def _rerender(request, thread, status=400, **forms):
    context = _thread_context(request, thread, **forms)
    return render(request, "cooperation/thread.html", context, status=status)


@login_required
@require_POST
def reply(request, thread_id):
    thread = access_thread(request.user, thread_id)
    rows = list(pickable_persons(request.user, thread.case)) if thread.case else []
    form = ReplyForm(request.POST, request.FILES, rows=rows)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_reply(
                request.user,
                thread,
                data["body"],
                data.get("persons", []),
                data.get("identifiers", []),
                _files(request),
            )
        except ValidationError as exc:
            _fail(form, exc)
        else:
            messages.success(request, _("The reply is queued for sending."))
            return redirect("cooperation:thread", thread.pk)
    return _rerender(request, thread, reply_form=form)


@login_required
@require_POST
def forward(request, thread_id):
    thread = access_thread(request.user, thread_id)
    form = ForwardForm(request.POST, recipients=_others(thread))
    reason = thread_refusal(thread, "forward")
    if reason:
        form.is_valid()
        form.add_error(None, reason)
        return _rerender(request, thread, status=409, forward_form=form)
    if form.is_valid():
        try:
            new_thread = actions.do_forward(
                request.user,
                thread,
                recipient=form.cleaned_data["recipient"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as exc:
            _fail(form, exc)
        else:
            messages.success(request, _("Forwarded."))
            return redirect("cooperation:thread", new_thread.pk)
    return _rerender(request, thread, forward_form=form)


@login_required
def export(request, thread_id):
    thread = access_thread(request.user, thread_id)
    try:
        name, content = actions.do_export(request.user, thread)
    except ValidationError as exc:
        return render(
            request,
            "cooperation/refused.html",
            {"thread": thread, "reason": " ".join(exc.messages)},
            status=409,
        )
    response = HttpResponse(content, content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def consent_request(request, thread_id):
    thread = access_thread(request.user, thread_id)
    form = ConsentRequestForm(request.POST)
    if form.is_valid():
        try:
            actions.do_request_consent(request.user, thread, form.cleaned_data["body"])
        except ValidationError as exc:
            _fail(form, exc)
        else:
            messages.success(request, _("The request for consent is queued for sending."))
            return redirect("cooperation:thread", thread.pk)
    return _rerender(request, thread, consent_form=form)


@login_required
@require_POST
def consent_answer(request, thread_id):
    thread = access_thread(request.user, thread_id)
    form = ConsentAnswerForm(request.POST)
    if form.is_valid():
        try:
            actions.do_answer_consent(
                request.user, thread, form.cleaned_data["granted"], form.cleaned_data["body"]
            )
        except ValidationError as exc:
            _fail(form, exc)
        else:
            messages.success(request, _("The answer is queued for sending."))
            return redirect("cooperation:thread", thread.pk)
    return _rerender(request, thread, answer_form=form)


@login_required
@require_POST
def assign(request, thread_id):
    thread = access_thread(request.user, thread_id)
    officers = User.objects.filter(agency_id=thread.agency_id, is_active=True)
    form = AssignForm(request.POST, officers=officers)
    if form.is_valid():
        officer = officers.filter(pk=form.cleaned_data["officer"]).first()
        try:
            actions.do_assign(request.user, thread, officer)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("cooperation:thread", thread.pk)
    messages.error(request, _("Choose an officer of this agency."))
    return redirect("cooperation:thread", thread.pk)


@login_required
@require_POST
def attach(request, thread_id, item_id):
    thread = access_thread(request.user, thread_id)
    item = access_item(request.user, thread, item_id)
    cases = target_cases(request.user)
    persons = Person.objects.filter(case_roles__case__in=cases).distinct()
    form = AttachForm(request.POST, cases=cases[:100], persons=persons[:200])
    if form.is_valid():
        case = cases.filter(pk=form.cleaned_data["case"]).first()
        person = persons.filter(pk=form.cleaned_data["person"]).first()
        try:
            if case is None:
                raise ValidationError({"case": _("Choose an open case of your agency.")})
            actions.do_attach_item(request.user, item, case, person=person)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Attached to %(case)s.") % {"case": case.reference})
        return redirect("cooperation:thread", thread.pk)
    messages.error(request, _("Choose an open case of your agency."))
    return redirect("cooperation:thread", thread.pk)


@login_required
def file_download(request, thread_id, file_id):
    thread = access_thread(request.user, thread_id)
    try:
        found = Attachment.objects.get(pk=int(file_id), message__thread=thread)
    except (Attachment.DoesNotExist, ValueError):
        raise Http404 from None
    response = HttpResponse(bytes(found.content), content_type=found.content_type)
    response["Content-Disposition"] = f'attachment; filename="{found.filename}"'
    return response
