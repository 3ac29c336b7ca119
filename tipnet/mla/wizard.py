"""The drafting wizard: one page per step; a step is left only when its essentials are there.

Each step: access_draft -> form -> do_update_request (or the measure/person actions) ->
completeness.gaps_for(step) -> the next step, or the same page listing what is missing.
"""

from copy import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from tipnet.directory.models import Country, CountryGuide
from tipnet.exchange.registry import RegistryError, current

from . import actions
from .access import (
    access_case_for_request,
    access_draft,
    access_person_for_edit,
    access_persons,
    can_draft,
    pickable_case_persons,
)
from .completeness import STEP_NAMES, STEPS, gaps_for
from .forms import (
    BasisForm,
    FromCaseForm,
    NewRequestForm,
    PersonForm,
    StateForm,
    measure_form,
    step_form,
)
from .measures import MEASURES
from .models import StateProfile
from .picker import propose_state, search_cases
from .resolver import resolve
from .translation import checklist_for


def apply_errors(form, exc: ValidationError) -> None:
    """Put an action's ValidationError on the form's fields (or the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, [e.messages[0] for e in errors])
    else:
        form.add_error(None, exc.messages)


def state_choices(exclude: str) -> list[tuple[str, str]]:
    codes = StateProfile.objects.exclude(country_id=exclude).values_list("country_id", flat=True)
    return sorted(
        ((c.code, c.name) for c in Country.objects.filter(code__in=codes)), key=lambda p: p[1]
    )


@login_required
def new_request(request):
    if not can_draft(request.user):
        raise Http404
    case_id = request.GET.get("case") or request.POST.get("case")
    if not case_id:
        return pick_case(request)
    case = access_case_for_request(request.user, case_id)
    choices = state_choices(request.user.agency.country)
    allowed = [code for code, _name in choices]
    proposal = _answering_state(request.GET.get("node", ""), allowed) or propose_state(
        case, allowed
    )
    initial = {
        "case": case.pk,
        "requested_state": proposal[0] if proposal else "",
        "check_reference": request.GET.get("reference", "")[:64],
    }
    form = NewRequestForm(request.POST or None, initial=initial, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            req = actions.do_create_request(
                request.user,
                case,
                requested_state=form.cleaned_data["requested_state"],
                check_reference=form.cleaned_data["check_reference"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("mla:step", req.pk, STEP_NAMES[0])
    proposed = {"name": dict(choices)[proposal[0]], "why": proposal[1]} if proposal else None
    context = {"form": form, "case": case, "proposed": proposed}
    return render(request, "mla/new.html", context)


def _answering_state(node: str, allowed: list[str]) -> tuple[str, str] | None:
    """(country, why) of the node that answered a check, when the draft starts from its hit."""
    if not node:
        return None
    try:
        found = current().node(node)
    except RegistryError:  # a node in no network: no node answered anything
        return None
    if found is None or found.country not in allowed:
        return None
    return found.country, _("its node answered the check with a possible match")


def pick_case(request):
    """The searchable list of cases the drafter may start a request from."""
    query = request.GET.get("q", "")[:100]
    cases, has_more = search_cases(request.user, query)
    context = {"cases": cases, "has_more": has_more, "q": query}
    return render(request, "mla/pick_case.html", context)


def _first_gap_before(req, step: str, resolution):
    for earlier in STEP_NAMES[: STEP_NAMES.index(step)]:
        if gaps_for(req, earlier, resolution):
            return earlier
    return None


def _next(step: str) -> str:
    return STEP_NAMES[min(STEP_NAMES.index(step) + 1, len(STEP_NAMES) - 1)]


def _resolution(req):
    if not req.requested_state:
        return None
    return resolve(req.requesting_state, req.requested_state, req.legal_basis or None)


@login_required
def step(request, request_id: int, step: str):
    if step not in STEP_NAMES:
        raise Http404
    req = access_draft(request.user, request_id)
    resolution = _resolution(req)
    blocked = _first_gap_before(req, step, resolution)
    if blocked:
        messages.error(request, _("Complete this step first."))
        return redirect("mla:step", req.pk, blocked)
    handler = HANDLERS.get(step, _fields_step)
    return handler(request, req, step, resolution)


def _render(request, req, step, resolution, form=None, **extra):
    gaps = extra.pop("gaps", None)
    context = {
        "req": req,
        "step": step,
        "steps": STEPS,
        "form": form,
        "resolution": resolution,
        "gaps": gaps,
        "step_index": STEP_NAMES.index(step) + 1,
        "persons": access_persons(request.user, req, "page") if step == "persons" else [],
        **extra,
    }
    return render(request, "mla/step.html", context)


def _leave_or_stay(request, req, step, resolution, form=None, **extra):
    """After a save: go on when the step is complete, or show what is missing."""
    req.refresh_from_db()
    resolution = _resolution(req)
    gaps = gaps_for(req, step, resolution)
    if gaps:
        return _render(request, req, step, resolution, form, gaps=gaps, **extra)
    return redirect("mla:step", req.pk, _next(step))


def _save(request, req, step, form):
    if not form.is_valid():
        return False
    try:
        actions.do_update_request(request.user, req, step, form.cleaned_data)
    except ValidationError as exc:
        apply_errors(form, exc)
        return False
    return True


def _fields_step(request, req, step, resolution):
    form_class = step_form(step)
    form = form_class(request.POST or None, instance=req)
    if request.method == "POST":
        form = form_class(request.POST, instance=copy(req))
        if _save(request, req, step, form):
            return _leave_or_stay(request, req, step, resolution, form)
    return _render(request, req, step, resolution, form)


def _state_step(request, req, step, resolution):
    choices = state_choices(req.requesting_state)
    initial = {
        "requested_state": req.requested_state,
        "requested_authority": req.requested_authority,
    }
    form = StateForm(request.POST or None, initial=initial, choices=choices)
    if request.method == "POST" and _save(request, req, step, form):
        return _leave_or_stay(request, req, step, resolution, form)
    guide = CountryGuide.objects.filter(country_id=req.requested_state).first()
    return _render(request, req, step, resolution, form, guide=guide)


def _basis_step(request, req, step, resolution):
    options = resolution.bases if resolution else []
    form = BasisForm(
        request.POST or None, initial={"legal_basis": req.legal_basis}, options=options
    )
    if request.method == "POST" and _save(request, req, step, form):
        return _leave_or_stay(request, req, step, resolution, form)
    return _render(request, req, step, resolution, form)


def _assistance_step(request, req, step, resolution):
    kind = request.GET.get("kind") or request.POST.get("kind")
    if kind and kind not in MEASURES:
        raise Http404
    form = measure_form(kind)(request.POST or None) if kind else None
    if request.method == "POST" and request.POST.get("remove"):
        _try(request, actions.do_remove_measure, request.user, req, request.POST["remove"])
        return redirect("mla:step", req.pk, step)
    if request.method == "POST" and form is not None:
        if form.is_valid():
            actions.do_add_measure(request.user, req, kind, form.cleaned_data)
            return redirect("mla:step", req.pk, step)
    elif request.method == "POST":
        return _leave_or_stay(request, req, step, resolution, measures=MEASURES.values())
    hidden = [("kind", kind)] if kind else []
    return _render(
        request,
        req,
        step,
        resolution,
        form,
        kind=kind,
        measures=MEASURES.values(),
        kind_hidden=hidden,
    )


def _try(request, action, *args) -> bool:
    try:
        action(*args)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    return True


def _persons_step(request, req, step, resolution):
    rows = pickable_case_persons(request.user, req.case) if req.case else []
    pick = FromCaseForm(rows=rows)
    form = PersonForm(request.POST if request.POST.get("add") == "manual" else None)
    if request.method == "POST":
        if request.POST.get("remove"):
            _try(request, actions.do_remove_person, request.user, req, request.POST["remove"])
            return redirect("mla:step", req.pk, step)
        if request.POST.get("add") == "case":
            _add_from_case(request, req, rows)
            return redirect("mla:step", req.pk, step)
        if request.POST.get("add") == "manual":
            if form.is_valid() and _try(
                request, actions.do_add_person, request.user, req, form.cleaned_data
            ):
                return redirect("mla:step", req.pk, step)
        else:
            return _leave_or_stay(
                request, req, step, resolution, PersonForm(), pick=pick, manual_hidden=MANUAL
            )
    return _render(request, req, step, resolution, form, pick=pick, manual_hidden=MANUAL)


MANUAL = [("add", "manual")]


def _add_from_case(request, req, rows) -> None:
    row = next((r for r in rows if str(r.pk) == request.POST.get("case_person")), None)
    if row is None:
        raise Http404
    person = row.person
    kinds = {"victim": "victim", "suspect": "suspect", "witness": "witness"}
    data = {
        "kind": kinds.get(row.role, "other"),
        "full_name": person.full_name,
        "birth_date": person.birth_display.lstrip("~"),
        "citizenship": ", ".join(person.citizenships),
    }
    _try(request, actions.do_add_person, request.user, req, data, row)


def _check_step(request, req, step, resolution):
    from .completeness import final_check
    from .link import reaches_node

    gaps = final_check(req, resolution)
    translation = checklist_for(req)
    return _render(
        request,
        req,
        step,
        resolution,
        None,
        gaps=gaps,
        is_check=True,
        translation=translation,
        reaches_node=reaches_node(req.requested_state),
    )


@login_required
def person_edit(request, request_id: int, person_id: int):
    req = access_draft(request.user, request_id)
    person = access_person_for_edit(request.user, req, person_id)
    form = PersonForm(request.POST or None, instance=copy(person))
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_person(request.user, req, person, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect(reverse("mla:step", args=[req.pk, "persons"]))
    return render(request, "mla/person_form.html", {"req": req, "form": form, "person": person})


HANDLERS = {
    "state": _state_step,
    "basis": _basis_step,
    "assistance": _assistance_step,
    "persons": _persons_step,
    "check": _check_step,
}
