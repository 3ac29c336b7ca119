"""Joint investigation pages: access_* → form → do_* → render. Members only; everyone else 404."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from tipnet.cases.access import access_case, visible_cases
from tipnet.cases.enums import PersonRole
from tipnet.directory.countries import country_name
from tipnet.exchange.registry import current

from . import actions, forms, retention, sops
from . import chain as chain_view
from .access import (
    access_agreement,
    access_agreement_to_sign,
    access_item,
    can_propose,
    can_sign,
    gone_items,
    live_items,
    visible_agreements,
)
from .enums import ItemKind, TaskStatus
from .state import signed_nodes
from .text import signature_fields, verify


def _testids(form) -> None:
    # Browser tests find inputs by data-testid="field-<name>", never by CSS.
    for name, field in form.fields.items():
        field.widget.attrs.setdefault("data-testid", f"field-{name}")


def _form_page(request, form, title: str, agreement=None, status: int = 200):
    _testids(form)
    context = {"form": form, "title": title, "agreement": agreement}
    return render(request, "jit/form.html", context, status=status)


def _refused(form, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


@login_required
def agreement_list(request):
    if not can_propose(request.user):
        raise Http404
    agreements = visible_agreements(request.user)
    case = None
    if request.GET.get("case"):
        case = access_case(request.user, request.GET["case"])
        agreements = agreements.filter(case=case)
    return render(request, "jit/list.html", {"agreements": agreements, "case": case})


@login_required
def propose(request):
    if not can_propose(request.user):
        raise Http404
    case = access_case(request.user, request.GET.get("case") or request.POST.get("case"))
    form = forms.ProposeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        node = current().node(d["partner"])
        partner = actions.party(
            node.id, node.country, d["partner_agency"] or node.id, d["partner_leader"]
        )
        text = {k: d[k] for k in forms.TextForm.base_fields}
        try:
            agreement = actions.do_propose(
                request.user,
                case,
                kind=d["kind"],
                partners=[partner],
                leader=d["leader"],
                members_text=d["members_text"],
                member_users=list(d["member_users"]),
                **text,
            )
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("The proposal was sent to the partner."))
            return redirect("jit:detail", agreement.pk)
    return _form_page(request, form, _("Propose a joint or parallel investigation"))


def _signatures(agreement) -> list[dict]:
    rows = []
    named = chain_view.parties(agreement)
    for party in agreement.parties:
        found = agreement.signatures.filter(node=party["node"], version=agreement.version).first()
        rows.append(
            {
                "party": party,
                "named": chain_view.party_of(named, party["node"]),
                "signature": found,
                "is_valid": bool(found) and verify(signature_fields(found), found.value),
            }
        )
    return rows


def _items(agreement, kind: str) -> list[dict]:
    rows = []
    named = chain_view.parties(agreement)
    for item in live_items(agreement).filter(kind=kind):
        body = json.loads(item.body)
        mine = item.owner_node == settings.TIPNET_NODE_ID
        status = dict(TaskStatus.choices).get(body.get("status", ""), "")
        party = chain_view.party_of(named, item.owner_node).label
        rows.append(
            {"item": item, "body": body, "mine": mine, "status_label": status, "party": party}
        )
    return rows


# The procedure's step that signing the agreement itself completes: each party that signed the
# current version has done it, so it is shown from the signatures, not marked by hand.
SIGNING_STEP = "agreement"


def _procedures(agreement) -> list[dict]:
    countries = [p["country"] for p in agreement.parties]
    marks: dict[tuple, set[str]] = {}
    for row in _items(agreement, ItemKind.SOP):
        if row["body"]["done"]:
            key = (row["body"]["pair"], row["body"]["step"])
            marks.setdefault(key, set()).add(row["item"].owner_node)
    named = chain_view.parties(agreement)
    signed = signed_nodes(agreement)
    found = []
    for procedure in sops.for_countries(countries):
        steps = []
        for step in procedure.steps:
            by_signing = step.code == SIGNING_STEP
            done = signed if by_signing else marks.get((procedure.pair, step.code), set())
            steps.append(
                {
                    "step": step,
                    "done": done,
                    "done_by": sorted(chain_view.party_of(named, n).label for n in done),
                    "by_signing": by_signing,
                    "url": sops.action_url(step, agreement.case_id),
                }
            )
        found.append(
            {
                "procedure": procedure,
                "origin": country_name(procedure.origin),
                "destination": country_name(procedure.destination),
                "steps": steps,
            }
        )
    return found


def _shareable(agreement) -> list:
    if agreement.case is None:
        return []
    shared = live_items(agreement).filter(source__isnull=False).values("source")
    rows = agreement.case.case_persons.filter(role__in=[PersonRole.SUSPECT, PersonRole.WITNESS])
    return list(rows.exclude(pk__in=shared).select_related("person", "case"))


@login_required
def detail(request, agreement_id: int):
    agreement = access_agreement(request.user, agreement_id)
    cols = chain_view.columns(agreement, settings.TIPNET_NODE_ID)
    cases = visible_cases(request.user).filter(agency=agreement.agency)
    context = {
        "agreement": agreement,
        "node": settings.TIPNET_NODE_ID,
        "signatures": _signatures(agreement),
        "signed": signed_nodes(agreement),
        "can_sign": can_sign(request.user),
        "columns": cols,
        "chain_svg": mark_safe(chain_view.svg(cols)),  # noqa: S308 - every text is escaped
        "closed_on": retention.closed_on(agreement),
        "purge_on": retention.purge_on(agreement),
        "days_allowed": retention.days_allowed(agreement),
        "gone": gone_items(agreement).count(),
        "tasks": _items(agreement, ItemKind.TASK),
        "notes": _items(agreement, ItemKind.NOTE),
        "evidence": _items(agreement, ItemKind.EVIDENCE),
        "procedures": _procedures(agreement),
        "members": agreement.members.select_related("user"),
        "shareable": _shareable(agreement),
        "case_form": forms.CaseForm(cases=cases) if agreement.case is None else None,
        "member_form": forms.MemberForm(agreement=agreement),
        "task_form": forms.TaskForm(),
        "note_form": forms.NoteForm(),
        "evidence_form": forms.EvidenceForm(),
        "status_form": forms.TaskStatusForm(),
        "custody_form": forms.CustodyForm(),
    }
    for name in ("case_form", "member_form", "task_form", "note_form", "evidence_form"):
        if context[name] is not None:
            _testids(context[name])
    return render(request, "jit/detail.html", context)


def _post_form(request, agreement, form, title, run, success: str):
    """Validate `form`, run the action, and go back to the workspace (or show the errors)."""
    if request.method != "POST":
        return _form_page(request, form, title, agreement)
    if form.is_valid():
        try:
            run(form.cleaned_data)
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, success)
            return redirect("jit:detail", agreement.pk)
    return _form_page(request, form, title, agreement, status=400)


@login_required
def amend(request, agreement_id: int):
    agreement = access_agreement_to_sign(request.user, agreement_id)
    initial = {name: getattr(agreement, name) for name in forms.TextForm.base_fields}
    form = forms.TextForm(request.POST or None, initial=initial)
    return _post_form(
        request,
        agreement,
        form,
        _("Amend the agreement"),
        lambda d: actions.do_amend(request.user, agreement, **d),
        _("The amendment was sent to every party."),
    )


@login_required
def sign(request, agreement_id: int):
    agreement = access_agreement_to_sign(request.user, agreement_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        actions.do_sign(request.user, agreement)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Signed for this node with its key."))
    return redirect("jit:detail", agreement.pk)


@login_required
def extend(request, agreement_id: int):
    agreement = access_agreement_to_sign(request.user, agreement_id)
    form = forms.ExtendForm(request.POST or None)
    return _post_form(
        request,
        agreement,
        form,
        _("Extend the period"),
        lambda d: actions.do_extend(request.user, agreement, d["until"]),
        _("The extension was sent to every party."),
    )


@login_required
def end(request, agreement_id: int):
    agreement = access_agreement_to_sign(request.user, agreement_id)
    form = forms.EndForm(request.POST or None)
    return _post_form(
        request,
        agreement,
        form,
        _("End the agreement"),
        lambda d: actions.do_end(request.user, agreement, d["reason"]),
        _("The agreement has ended; nothing more is shared."),
    )


@login_required
def add_member(request, agreement_id: int):
    agreement = access_agreement(request.user, agreement_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = forms.MemberForm(request.POST, agreement=agreement)
    return _post_form(
        request,
        agreement,
        form,
        _("Add a member"),
        lambda d: actions.do_add_member(request.user, agreement, d["user"]),
        _("Member added."),
    )


@login_required
def attach_case(request, agreement_id: int):
    agreement = access_agreement(request.user, agreement_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    cases = visible_cases(request.user).filter(agency=agreement.agency)
    form = forms.CaseForm(request.POST, cases=cases)
    return _post_form(
        request,
        agreement,
        form,
        _("Our case"),
        lambda d: actions.do_attach_case(request.user, agreement, d["case"]),
        _("Case attached."),
    )


@login_required
def share(request, agreement_id: int):
    agreement = access_agreement(request.user, agreement_id)
    form = forms.ShareForm(request.POST or None, rows=_shareable(agreement))

    def run(_data):
        for row in form.chosen():
            actions.do_share_person(request.user, agreement, row)

    return _post_form(
        request,
        agreement,
        form,
        _("Share persons in the chain"),
        run,
        _("Shared with every party."),
    )


@login_required
def add_task(request, agreement_id: int):
    agreement = access_agreement(request.user, agreement_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = forms.TaskForm(request.POST)
    return _post_form(
        request,
        agreement,
        form,
        _("Add a task"),
        lambda d: actions.do_add_task(request.user, agreement, d["title"], d["owner"], d["due"]),
        _("Task added to the action plan."),
    )


@login_required
def add_note(request, agreement_id: int):
    agreement = access_agreement(request.user, agreement_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = forms.NoteForm(request.POST)
    return _post_form(
        request,
        agreement,
        form,
        _("Add meeting notes"),
        lambda d: actions.do_add_note(request.user, agreement, d["held_on"], d["text"]),
        _("Meeting notes shared."),
    )


@login_required
def add_evidence(request, agreement_id: int):
    agreement = access_agreement(request.user, agreement_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = forms.EvidenceForm(request.POST)

    def run(d):
        args = (d["description"], d["sha256"], d["collected_by"], d["collected_on"])
        actions.do_log_evidence(request.user, agreement, *args)

    return _post_form(
        request, agreement, form, _("Log an evidence item"), run, _("Evidence item logged.")
    )


@login_required
def task_status(request, agreement_id: int, item_id: int):
    agreement = access_agreement(request.user, agreement_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    item = access_item(request.user, agreement, item_id)
    form = forms.TaskStatusForm(request.POST)
    return _post_form(
        request,
        agreement,
        form,
        _("Task status"),
        lambda d: actions.do_set_task_status(request.user, item, d["status"]),
        _("Task updated."),
    )


@login_required
def custody(request, agreement_id: int, item_id: int):
    agreement = access_agreement(request.user, agreement_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    item = access_item(request.user, agreement, item_id)
    form = forms.CustodyForm(request.POST)
    return _post_form(
        request,
        agreement,
        form,
        _("Transfer of custody"),
        lambda d: actions.do_transfer_custody(request.user, item, d["to"], d["on"]),
        _("Transfer of custody recorded."),
    )


@login_required
def withdraw(request, agreement_id: int, item_id: int):
    agreement = access_agreement(request.user, agreement_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    item = access_item(request.user, agreement, item_id)
    try:
        actions.do_withdraw_item(request.user, item)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Withdrawn on every node."))
    return redirect("jit:detail", agreement.pk)


@login_required
def mark_step(request, agreement_id: int):
    agreement = access_agreement(request.user, agreement_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = forms.StepForm(request.POST)
    return _post_form(
        request,
        agreement,
        form,
        _("Step of the procedure"),
        lambda d: actions.do_mark_step(request.user, agreement, d["pair"], d["step"], d["done"]),
        _("Progress shared with every party."),
    )


@login_required
def chain_svg(request, agreement_id: int):
    agreement = access_agreement(request.user, agreement_id)
    cols = chain_view.columns(agreement, settings.TIPNET_NODE_ID)
    return HttpResponse(chain_view.svg(cols), content_type="image/svg+xml")
