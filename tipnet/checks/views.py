"""Pages: ask checks from a case, see their answers, resolve hits, set the node's policy."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tipnet.cases.enums import PersonRole
from tipnet.mla.access import can_draft

from . import access, actions, index, netkey
from .forms import CheckForm, PolicyForm, ReviewForm, SharingForm
from .models import Result


def _errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, [e.messages[0] for e in errors])
    else:
        form.add_error(None, exc.messages)


@login_required
def home(request):
    user = request.user
    if not (access.can_check(user) or access.is_officer(user) or access.is_node_admin(user)):
        raise Http404
    mine = []
    if access.can_check(user):
        mine = list(
            access.OutgoingCheck.objects.filter(created_by=user).select_related("case")[:50]
        )
    context = {
        "mine": mine,
        "hits": list(access.visible_hits(user)[:50]),
        "is_admin": access.is_node_admin(user),
        "is_officer": access.is_officer(user),
    }
    return render(request, "checks/home.html", context)


def _initial_rows(request, rows) -> list[str]:
    if request.GET.get("suspects"):
        return [str(r.pk) for r in rows if r.role == PersonRole.SUSPECT]
    wanted = request.GET.get("person", "")
    return [str(r.pk) for r in rows if str(r.pk) == wanted]


@login_required
def new(request, case_id):
    case = access.access_case_for_check(request.user, case_id)
    rows = access.checkable_rows(request.user, case)
    kinds = access.check_kinds(request.user)
    initial = {"persons": _initial_rows(request, rows), "kind": kinds[0], "nodes": ["all"]}
    consents = access.check_consents(request.user, case)
    form = CheckForm(
        request.POST or None,
        initial=initial,
        rows=rows,
        partners=actions.partner_nodes(),
        kinds=kinds,
        consents=consents.filter(withdrawn_at__isnull=True),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = [r for r in rows if str(r.pk) in data["persons"]]
        consent = None
        if data.get("consent"):
            consent = access.access_check_consent(request.user, case, data["consent"])
        try:
            made = actions.do_check(
                request.user,
                case,
                chosen,
                data["nodes"],
                data["legal_basis"],
                data["kind"],
                consent,
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("%(n)d checks sent.") % {"n": len(made)})
            return redirect("checks:case", case.pk)
    return render(request, "checks/new.html", {"form": form, "case": case, "rows": rows})


@login_required
def case_results(request, case_id):
    case, checks = access.access_case_checks(request.user, case_id)
    context = {
        "case": case,
        "checks": checks.select_related("person", "consent__victim")[:200],
        "can_draft_mla": can_draft(request.user),
    }
    return render(request, "checks/case.html", context)


@login_required
def hits(request):
    if not access.is_officer(request.user):
        raise Http404
    found = access.visible_hits(request.user)
    held = [h for h in found if h.incoming.result == Result.HELD]
    return render(request, "checks/hits.html", {"hits": found[:100], "held": held})


@login_required
def hit_detail(request, reference):
    hit = access.access_hit(request.user, reference)
    review = ReviewForm(prefix="review") if hit.incoming.result == Result.HELD else None
    context = {
        "hit": hit,
        "roles": access.hit_cases(request.user, hit),
        "review": review,
        "sharing": SharingForm(prefix="sharing", initial={"sharing": hit.sharing or None}),
    }
    return render(request, "checks/hit.html", context)


@login_required
@require_POST
def hit_review(request, reference):
    hit = access.access_hit(request.user, reference)
    form = ReviewForm(request.POST, prefix="review")
    try:
        if not form.is_valid():
            raise ValidationError(_("Confirm the hit or reject it."))
        actions.do_review_hit(request.user, hit, form.cleaned_data["decision"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("checks:hit", hit.reference)


@login_required
@require_POST
def hit_sharing(request, reference):
    hit = access.access_hit(request.user, reference)
    form = SharingForm(request.POST, prefix="sharing")
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose what to share."))
        actions.do_set_sharing(request.user, hit, form.cleaned_data["sharing"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("checks:hit", hit.reference)


@login_required
def policy(request):
    if not access.is_node_admin(request.user):
        raise Http404
    current = actions.policy()
    initial = {
        "checkable_roles": current.checkable_roles,
        "answer_missing": current.answer_missing,
        "hold_hits": current.hold_hits,
    }
    form = PolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_set_policy(request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("The policy is saved."))
            return redirect("checks:policy")
    context = {
        "form": form,
        "has_key": netkey.has_key(),
        "epoch": index.indexed_epoch(),
        "entries": index.IndexEntry.objects.count(),
    }
    return render(request, "checks/policy.html", context)


@login_required
@require_POST
def rebuild(request):
    if not access.is_node_admin(request.user):
        raise Http404
    try:
        count = actions.do_rebuild(request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(n)d persons encoded.") % {"n": count})
    return redirect("checks:policy")


@login_required
def alerts(request):
    found = access.access_alerts(request.user)
    return render(request, "checks/alerts.html", {"alerts": found[:200]})


@login_required
@require_POST
def alert_close(request, alert_id):
    alert = access.access_alert(request.user, alert_id)
    actions.do_close_alert(request.user, alert)
    return redirect("checks:alerts")
