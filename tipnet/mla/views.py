"""MLA pages: registers, a request, its transitions and letters, the dashboard and statistics.

access_* -> form -> do_* -> render. Missing and forbidden requests both answer 404.
"""

from functools import lru_cache

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tipnet.cases.access import visible_cases
from tipnet.exchange.access import conversation_deliveries
from tipnet.lib.paging import link_query

from . import actions, letters, lifecycle
from .access import (
    access_counted_requests,
    access_file,
    access_files,
    access_persons,
    access_request,
    can_act,
    can_draft,
    can_edit,
    is_central_authority,
    visible_requests,
)
from .deadlines import overdue, policy_days
from .enums import Basis, Direction, PartyStatus, State
from .forms import DeadlinesForm, RegisterFilterForm, StatusForm, TransitionForm
from .measures import MEASURES
from .models import BilateralTreaty, StateProfile, TreatyStatus
from .queries import conversation, filter_register
from .resolver import resolve
from .stats import counts_by_country_and_age, counts_by_state, median_days
from .templatetags.mla_labels import transition_label
from .translation import checklist_for


@login_required
def register(request):
    if not (can_draft(request.user) or is_central_authority(request.user)):
        raise Http404
    form = RegisterFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    # A page without a direction (?page=2, a filter) is the outgoing register, as its tab says;
    # an unknown direction is not a register.
    data["direction"] = data.get("direction") or request.GET.get("direction") or Direction.OUTGOING
    if data["direction"] not in Direction.values:
        raise Http404
    if data["direction"] == Direction.INCOMING and not is_central_authority(request.user):
        raise Http404
    rows = filter_register(visible_requests(request.user), data)
    # The columns the rows show, not the requests with their agency and case joined in.
    rows = rows.select_related(None).values_list(*REGISTER_COLUMNS)
    page = Paginator(rows, settings.TIPNET_PAGE_SIZE).get_page(request.GET.get("page"))
    language = get_language()
    context = {
        "page": page,
        "query": link_query(request.GET),  # the filters, kept in the paging links
        "rows": [_register_row(language, *r) for r in page.object_list],
        "cases": _draft_cases(request.user),
        "filters": _register_filters(language, form, data["direction"]),
        "direction": data["direction"],
        "is_ca": is_central_authority(request.user),
    }
    return render(request, "mla/register.html", context)


REGISTER_COLUMNS = (
    "pk",
    "reference",
    "direction",
    "requested_state",
    "requesting_state",
    "legal_basis",
    "state",
    "submitted_at",
)


def _draft_cases(user) -> list:
    # Only what the links show: the cases' other columns (the summary among them) stay unread.
    if not can_draft(user):
        return []
    return list(visible_cases(user).select_related(None).values("pk", "reference", "title")[:50])


def _register_row(language: str, pk, reference, direction, requested, requesting, *rest) -> str:
    # Keyed by everything the row shows, so a cached row is never stale.
    basis, state, submitted_at = rest
    counterpart = requested if direction == Direction.OUTGOING else requesting
    submitted = timezone.localdate(submitted_at) if submitted_at else None
    return _render_register_row(language, pk, reference, counterpart, basis, state, submitted)


@lru_cache(maxsize=20_000)
def _render_register_row(language, pk, reference, counterpart, basis, state, submitted) -> str:
    """One row of the register, rendered once per language and content: the labels are the
    same for every reader (the 50 rows took most of the register's rendering time)."""
    context = {
        "pk": pk,
        "reference": reference,
        "counterpart": counterpart,
        "basis": basis,
        "state": State(state).label if state in State.values else state,
        "submitted": submitted,
    }
    with translation.override(language):
        return render_to_string("mla/register_row.html", context)


def _register_filters(language: str, form, direction: str) -> str:
    # The widgets show only what the address asked for, so a valid filter without a search
    # text renders the same for everyone who asks it: kept. Others are rendered afresh.
    invalid = form.is_bound and not form.is_valid()
    if invalid or form.data.get("q") or direction not in Direction.values:
        return _render_register_filters(form, direction)
    state, country = (form.data.get(name, "") for name in ("state", "country"))
    return _cached_register_filters(language, direction, state, country)


@lru_cache(maxsize=1_000)
def _cached_register_filters(language: str, direction: str, state: str, country: str) -> str:
    form = RegisterFilterForm({"state": state, "country": country} if state or country else None)
    with translation.override(language):
        return _render_register_filters(form, direction)


def _render_register_filters(form, direction: str) -> str:
    context = {"form": form, "direction": direction}
    return render_to_string("mla/register_filters.html", context)


def _transition_forms(user, req) -> list:
    if not can_act(user, req):
        return []
    names = lifecycle.allowed(req.state, actions.local_side(req))
    names = [n for n in names if n not in ("submit", "revise")]
    return [
        (n, TransitionForm(transition=lifecycle.TRANSITIONS[n], request_obj=req)) for n in names
    ]


def _record_forms(user, req) -> list:
    """Forms to record the other state's steps of a request that travels on paper."""
    if not req.is_off_network or not can_act(user, req):
        return []
    names = lifecycle.allowed(req.state, actions.remote_side(req))
    return [
        (n, TransitionForm(transition=lifecycle.TRANSITIONS[n], request_obj=req, remote=True))
        for n in names
    ]


def _unverified(req) -> list[str]:
    """The unverified facts behind the request's basis, language and channel (outgoing only)."""
    if req.direction != Direction.OUTGOING or not req.requested_state:
        return []
    return resolve(req.requesting_state, req.requested_state, req.legal_basis or None).unverified


@login_required
def detail(request, request_id: int):
    req = access_request(request.user, request_id)
    files = access_files(request.user, req)
    context = {
        "req": req,
        "persons": access_persons(request.user, req, "page"),
        "measures": req.measures.all(),
        "measure_specs": MEASURES,
        "events": req.events.all(),
        "files": files,
        "transitions": _transition_forms(request.user, req),
        "record_steps": _record_forms(request.user, req),
        "can_edit": can_edit(request.user, req),
        "can_revise": can_act(request.user, req)
        and "revise" in lifecycle.allowed(req.state, actions.local_side(req)),
        "reminders": req.reminders.all(),
        "unverified": _unverified(req),
        "conversation": conversation(req, files),
        "deliveries": conversation_deliveries(str(req.uid)),
        "translation": checklist_for(req),
    }
    return render(request, "mla/detail.html", context)


@login_required
@require_POST
def transition(request, request_id: int, name: str):
    req = access_request(request.user, request_id)
    t = lifecycle.TRANSITIONS.get(name)
    if t is None or not can_act(request.user, req):
        raise Http404
    parsed = _transition_input(request, t, req)
    if parsed is None:
        return redirect("mla:detail", req.pk)
    fields, files = parsed
    try:
        done = actions.do_transition(request.user, req, name, fields, files)
    except (ValueError, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(
            request,
            _("Done: %(step)s. The request is now “%(state)s”.")
            % {"step": transition_label(name), "state": done.get_state_display()},
        )
    return redirect("mla:detail", req.pk)


def _transition_input(request, t, req, remote: bool = False):
    """(fields, files) of a posted transition form, or None after saying what is wrong."""
    form = TransitionForm(request.POST, request.FILES, transition=t, request_obj=req, remote=remote)
    if not form.is_valid():
        messages.error(
            request, " ".join(f"{k}: {' '.join(map(str, v))}" for k, v in form.errors.items())
        )
        return None
    fields = {
        k: (v.isoformat() if hasattr(v, "isoformat") else v)
        for k, v in form.cleaned_data.items()
        if k != "file"
    }
    upload = form.cleaned_data.get("file")
    files = (
        [(upload.name, upload.content_type or "application/octet-stream", upload.read())]
        if upload
        else []
    )
    return fields, files


@login_required
@require_POST
def record_step(request, request_id: int, name: str):
    """Record a step the other state took on paper (a letter received) in a paper request."""
    req = access_request(request.user, request_id)
    t = lifecycle.TRANSITIONS.get(name)
    if t is None or not req.is_off_network or not can_act(request.user, req):
        raise Http404
    parsed = _transition_input(request, t, req, remote=True)
    if parsed is None:
        return redirect("mla:detail", req.pk)
    fields, _files = parsed
    try:
        done = actions.do_record_counterpart_step(request.user, req, name, fields)
    except (ValueError, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(
            request,
            _("Recorded: %(step)s. The request is now “%(state)s”.")
            % {"step": transition_label(name), "state": done.get_state_display()},
        )
    return redirect("mla:detail", req.pk)


@login_required
@require_POST
def submit(request, request_id: int):
    req = access_request(request.user, request_id)
    if not can_edit(request.user, req):
        raise Http404
    paper = request.POST.get("channel") == "paper"
    try:
        actions.do_submit(request.user, req, off_network=paper)
    except (ValueError, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("mla:step", req.pk, "check")
    if paper:
        messages.success(
            request,
            _(
                "Request recorded as sent on paper. Print the letter, send it through the channel "
                "the country guide names, and record here each answer that comes back."
            ),
        )
    else:
        messages.success(request, _("Request submitted; it is queued for the requested state."))
    return redirect("mla:detail", req.pk)


@login_required
def letter(request, request_id: int, fmt: str):
    req = access_request(request.user, request_id)
    lang = request.GET.get("lang") or req.language or "en"
    if fmt not in letters.FORMATS or lang not in letters.LANGUAGES:
        raise Http404
    filename, content_type, content = letters.render(req, fmt, lang, reader=request.user)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def file_download(request, request_id: int, file_id: int):
    req = access_request(request.user, request_id)
    found = access_file(request.user, req, file_id)
    response = HttpResponse(bytes(found.content), content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{found.filename}"'
    return response


@login_required
def dashboard(request):
    scope = access_counted_requests(request.user)
    show_rows = can_draft(request.user) or is_central_authority(request.user)
    late = overdue(visible_requests(request.user)) if show_rows else []
    context = {
        "by_state": counts_by_state(scope),
        "by_country": counts_by_country_and_age(scope),
        "medians": median_days(scope),
        "overdue": late,
        "overdue_count": len(overdue(scope)),
        "show_rows": show_rows,
    }
    return render(request, "mla/dashboard.html", context)


@login_required
@require_POST
def revise(request, request_id: int):
    req = access_request(request.user, request_id)
    if not can_act(request.user, req):
        raise Http404
    try:
        actions.do_revise(request.user, req)
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The request is back in draft."))
    return redirect("mla:detail", req.pk)


def _treaty_reader(user) -> None:
    if not (can_draft(user) or is_central_authority(user) or user.has_role("node_admin")):
        raise Http404


@login_required
def treaties(request):
    _treaty_reader(request.user)
    profiles = StateProfile.objects.select_related("central_authority", "country")
    context = {
        "profiles": profiles.prefetch_related("parties"),
        "treaties": BilateralTreaty.objects.all(),
        "can_edit": request.user.has_role("node_admin"),
        "statuses": PartyStatus.choices,
        "policies": [(b, policy_days(b)) for b in (*Basis.values, *_bilateral_bases())],
    }
    return render(request, "mla/treaties.html", context)


def _bilateral_bases() -> list[str]:
    return [f"BILATERAL:{code}" for code in BilateralTreaty.objects.values_list("code", flat=True)]


@login_required
@require_POST
def deadlines(request, basis: str):
    if not request.user.has_role("node_admin"):
        raise Http404
    if basis not in (*Basis.values, *_bilateral_bases()):
        raise Http404
    form = DeadlinesForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_set_deadlines(
                request.user, basis, data["acknowledge"], data["decide"], data["execute"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Target days saved."))
    else:
        messages.error(request, " ".join(" ".join(map(str, v)) for v in form.errors.values()))
    return redirect("mla:treaties")


@login_required
@require_POST
def treaty_status(request, country: str, instrument: str):
    if not request.user.has_role("node_admin"):
        raise Http404
    row = TreatyStatus.objects.filter(profile_id=country.upper(), instrument=instrument).first()
    form = StatusForm(request.POST)
    if row is None:
        raise Http404
    if form.is_valid():
        try:
            actions.do_set_party_status(request.user, row, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Treaty status saved."))
    else:
        messages.error(request, " ".join(" ".join(map(str, v)) for v in form.errors.values()))
    return redirect("mla:treaties")
