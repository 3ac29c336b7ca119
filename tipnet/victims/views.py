"""Victims pages: access_* → form → do_* → render. Names appear only to the victim's caseworkers."""

import html
import json
from datetime import timedelta
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

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
    is_caseworker,
    is_receiver,
    referral_identity,
)
from .children import checklist_steps, guardian_referral, is_child
from .hand_overs import do_take_over
from .indicators import indicators, source
from .models import FollowUp, HotlineCall, ReferralStatus, ServiceKind, SopStep, Victim
from .stats import counts, labelled, statistics

FOLLOW_UP_HORIZON_DAYS = 7


def _testids(form) -> None:
    # Browser tests find inputs by data-testid="field-<name>", never by CSS.
    for name, field in form.fields.items():
        field.widget.attrs.setdefault("data-testid", f"field-{name}")


def _form_page(request, form, title: str, victim=None, status: int = 200):
    _testids(form)
    context = {"form": form, "title": title, "victim": victim}
    return render(request, "victims/form.html", context, status=status)


def _refused(form, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


@login_required
def home(request):
    """The caseworker's page: their victims, due follow-ups and pending referrals."""
    if not is_caseworker(request.user):
        return redirect("victims:stats")
    mine = access_victims(request.user).filter(caseworker=request.user)
    shown = mine.values_list(*VICTIM_COLUMNS)
    page = Paginator(shown, settings.TIPNET_PAGE_SIZE).get_page(request.GET.get("page"))
    horizon = timezone.localdate() + timedelta(days=FOLLOW_UP_HORIZON_DAYS)
    # One query for the open follow-ups of all of the caseworker's victims, not one per victim.
    due = FollowUp.objects.filter(victim__in=mine, done_at=None, due_on__lte=horizon)
    # Each list reads the columns it shows: a victim's name and contacts, a referral's reason
    # or a hand-over's identity would each be decrypted, row by row, for nothing.
    incoming = access_incoming_referrals(request.user).filter(status=ReferralStatus.PENDING)
    outgoing = access_outgoing_referrals(request.user).filter(status=ReferralStatus.PENDING)
    hand_overs = access_incoming_hand_overs(request.user).filter(acknowledged_at=None)
    context = {
        "page": page,
        "victims": _victim_rows(page.object_list),
        "due": due.select_related("victim")
        .only("due_on", "purpose", "victim__code")
        .order_by("due_on", "pk"),
        "incoming": incoming.select_related(None)
        .select_related("victim", "offer")
        .only("referred_at", "victim__code", "offer__kind"),
        "outgoing": outgoing.only("victim__code", "offer__kind", "offer__provider__name_en"),
        "hand_overs": hand_overs.only(*HAND_OVER_COLUMNS),
        "today": timezone.localdate(),
    }
    return render(request, "victims/home.html", context)


VICTIM_COLUMNS = ("code", "given_name", "family_name", "status", "registered_at")
HAND_OVER_COLUMNS = (
    "code",
    "from_country",
    "to_country",
    "travel_on",
    "reception_point",
    "from_node",
)

# What reverse() leaves unquoted in a path argument (django.urls.resolvers).
URL_SAFE = "!$&'()*+,;=/~:@"


def _victim_rows(victims) -> str:
    """The caseworker's victims (VICTIM_COLUMNS) as table rows, built here: the same markup
    the template gave, at a fraction of the cost of rendering 50 rows through it."""
    # The address and the status labels are looked up once, not once a row; html.escape is
    # django.utils.html.escape without its lazy-string wrapper, which cost more than escaping.
    address = reverse("victims:victim", args=["CODE"]).rsplit("CODE", 1)
    choices = Victim._meta.get_field("status").flatchoices
    labels = {code: html.escape(str(label)) for code, label in choices}
    rows = []
    for code, given, family, status, registered in victims:
        link = html.escape(quote(code, safe=URL_SAFE).join(address))
        # A victim registered from a call may have no name yet.
        name = html.escape(f"{given} {family}".strip() or "—")
        label = labels.get(status) or html.escape(status)
        day = timezone.localtime(registered).strftime("%Y-%m-%d")
        rows.append(
            f'<tr data-testid="my-victim"><td><a href="{link}">{html.escape(code)}</a></td>'
            f"<td>{name}</td><td>{label}</td><td>{day}</td></tr>\n"
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value in it is escaped above


@login_required
def victim_list(request):
    victims = access_victims(request.user).select_related("agency")
    page = Paginator(victims, settings.TIPNET_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(v, can_see_identity(request.user, v)) for v in page]
    return render(request, "victims/victim_list.html", {"rows": rows, "page": page})


@login_required
def victim_create(request):
    access_caseworker(request.user)
    form = forms.VictimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        victim = actions.do_register_victim(request.user, form.cleaned_data)
        messages.success(request, _("Registered as %(code)s.") % {"code": victim.code})
        return redirect("victims:victim", victim.code)
    return _form_page(request, form, _("Register a person"))


@login_required
def victim_edit(request, code: str):
    victim = access_victim_by_code(request.user, code)
    form = forms.VictimForm(request.POST or None, instance=victim)
    if request.method == "POST" and form.is_valid():
        actions.do_update_victim(request.user, victim, form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("victims:victim", victim.code)
    return _form_page(request, form, _("Edit identity"), victim)


def _sop_rows(victim: Victim) -> list[dict]:
    done = {d.step_id: d for d in victim.sop_done.all()}
    today = timezone.localdate()
    rows = []
    for step in checklist_steps(victim):
        due = step.due_for(victim)
        rows.append({"step": step, "due": due, "done": done.get(step.pk), "late": due < today})
    return rows


@login_required
def victim_detail(request, code: str):
    victim = access_victim_by_code(request.user, code)
    labels = {i.code: i.label() for i in indicators()}
    screenings = [(s, [labels.get(c, c) for c in s.indicators]) for s in victim.screenings.all()]
    context = {
        "victim": victim,
        "screenings": screenings,
        "decisions": victim.decisions.all(),
        "consents": victim.consents.select_related("recipient"),
        "referrals": victim.referrals.select_related("offer", "offer__provider"),
        "services": victim.services.all(),
        "goals": victim.goals.all(),
        "follow_ups": victim.follow_ups.all(),
        "returns": victim.returns.select_related("receiving_service").prefetch_related("sendings"),
        "sop": _sop_rows(victim),
        "child": is_child(victim),
        "guardian": guardian_referral(victim),
    }
    return render(request, "victims/victim_detail.html", context)


@login_required
def screen(request, code: str):
    victim = access_victim_by_code(request.user, code)
    form = forms.ScreeningForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        screening = actions.do_screen(request.user, victim, data["indicators"], data["note"])
        status = screening.get_suggested_status_display()
        messages.success(request, _("Screening saved. Suggested status: %(s)s.") % {"s": status})
        return redirect("victims:victim", victim.code)
    _testids(form)
    context = {"form": form, "title": _("Screening"), "victim": victim, "source": source()}
    return render(request, "victims/form.html", context)


def _action_form(request, code, form_class, title, run, success):
    """A victim's form page whose valid POST runs `run(victim, cleaned_data)`."""
    victim = access_victim_by_code(request.user, code)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            run(victim, form.cleaned_data)
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, success)
            return redirect("victims:victim", victim.code)
    return _form_page(request, form, title, victim)


@login_required
def decide_status(request, code: str):
    def run(victim, d):
        args = (d["status"], d["authority"], d["decided_on"], d["note"])
        actions.do_decide_status(request.user, victim, *args)

    return _action_form(
        request, code, forms.StatusForm, _("Identification status"), run, _("Saved.")
    )


@login_required
def give_consent(request, code: str):
    def run(victim, data):
        actions.do_give_consent(request.user, victim, data)

    return _action_form(request, code, forms.ConsentForm, _("Record consent"), run, _("Saved."))


@login_required
@require_POST
def withdraw_consent(request, code: str, consent_id: int):
    victim = access_victim_by_code(request.user, code)
    consent = access_consent(request.user, victim, consent_id)
    try:
        actions.do_withdraw_consent(request.user, consent)
        messages.success(request, _("Consent withdrawn."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("victims:victim", victim.code)


@login_required
def refer(request, code: str):
    victim = access_victim_by_code(request.user, code)
    offers = access_offers(request.user)
    form = forms.ReferralForm(request.POST or None, offers=offers)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            args = (d["offer"], d["reason"], d["shares_identity"])
            actions.do_refer(request.user, victim, *args)
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Referral sent."))
            return redirect("victims:victim", victim.code)
    return _form_page(request, form, _("Refer to a service"), victim)


@login_required
def referral_detail(request, referral_id: int):
    referral = access_referral(request.user, referral_id)
    receiver = is_receiver(request.user, referral)
    form = forms.DecisionForm(request.POST or None) if receiver else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            accept = form.cleaned_data["decision"] == "accept"
            try:
                actions.do_decide_referral(
                    request.user, referral, accept, form.cleaned_data["response"]
                )
            except ValidationError as exc:
                _refused(form, exc)
            else:
                messages.success(request, _("Decision saved."))
                return redirect("victims:referral", referral.pk)
    if form is not None:
        _testids(form)
    context = {
        "referral": referral,
        "name": referral_identity(request.user, referral),
        "form": form if referral.status == ReferralStatus.PENDING else None,
        "is_referrer": can_see_identity(request.user, referral.victim),
    }
    return render(request, "victims/referral_detail.html", context)


@login_required
def record_service(request, code: str):
    def run(victim, data):
        actions.do_record_service(request.user, victim, data)

    return _action_form(request, code, forms.ServiceForm, _("Service delivered"), run, _("Saved."))


@login_required
def add_goal(request, code: str):
    def run(victim, d):
        actions.do_add_goal(request.user, victim, d["text"], d["target_on"])

    return _action_form(request, code, forms.GoalForm, _("Goal of the plan"), run, _("Saved."))


@login_required
@require_POST
def achieve_goal(request, code: str, goal_id: int):
    victim = access_victim_by_code(request.user, code)
    goal = victim.goals.filter(pk=goal_id).first()
    if goal is None:
        raise Http404
    actions.do_achieve_goal(request.user, goal)
    messages.success(request, _("Goal marked as achieved."))
    return redirect("victims:victim", victim.code)


@login_required
def add_follow_up(request, code: str):
    def run(victim, d):
        actions.do_add_follow_up(request.user, victim, d["due_on"], d["purpose"])

    return _action_form(request, code, forms.FollowUpForm, _("Plan a follow-up"), run, _("Saved."))


@login_required
def complete_follow_up(request, code: str, follow_up_id: int):
    victim = access_victim_by_code(request.user, code)
    follow_up = victim.follow_ups.filter(pk=follow_up_id).first()
    if follow_up is None:
        raise Http404
    form = forms.OutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_complete_follow_up(request.user, follow_up, form.cleaned_data["outcome"])
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Follow-up recorded as done."))
            return redirect("victims:victim", victim.code)
    return _form_page(request, form, _("Follow-up done"), victim)


@login_required
@require_POST
def complete_sop_step(request, code: str, step_id: int):
    victim = access_victim_by_code(request.user, code)
    step = SopStep.objects.filter(pk=step_id, is_active=True).first()
    if step is None:
        raise Http404
    try:
        actions.do_complete_sop_step(request.user, victim, step)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Step marked as done."))
    return redirect("victims:victim", victim.code)


@login_required
def plan_return(request, code: str):
    def run(victim, data):
        actions.do_plan_return(request.user, victim, data)

    title = _("Plan the return")
    return _action_form(request, code, forms.ReturnForm, title, run, _("Return planned."))


@login_required
@require_POST
def hand_over(request, code: str, plan_id: int):
    victim = access_victim_by_code(request.user, code)
    plan = victim.returns.filter(pk=plan_id).first()
    if plan is None:
        raise Http404
    try:
        actions.do_hand_over(request.user, plan)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Hand-over recorded."))
    return redirect("victims:victim", victim.code)


@login_required
def hand_over_body(request, code: str, plan_id: int):
    """What the receiving service gets on hand-over, from the consents active now."""
    victim = access_victim_by_code(request.user, code)
    plan = access_return_plan(request.user, victim, plan_id)
    try:
        body = actions.do_prepare_hand_over(request.user, plan)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("victims:victim", victim.code)
    assistance = body["assistance"] or {"services": []}
    services = [s | {"label": ServiceKind(s["kind"]).label} for s in assistance["services"]]
    context = {"victim": victim, "plan": plan, "body": body, "services": services}
    return render(request, "victims/hand_over.html", context)


@login_required
@require_POST
def send_hand_over(request, code: str, plan_id: int):
    """Send the hand-over, as a message, to the node of the receiving service."""
    victim = access_victim_by_code(request.user, code)
    plan = access_return_plan(request.user, victim, plan_id)
    try:
        sending = link.do_send_hand_over(request.user, plan)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Hand-over sent to %s.") % sending.recipient_node)
    return redirect("victims:victim", victim.code)


@login_required
def incoming_hand_over(request, hand_over_id: int):
    """A returning victim handed over to our service by another node."""
    incoming = access_incoming_hand_over(request.user, hand_over_id)
    assistance = json.loads(incoming.assistance) if incoming.assistance else None
    services = [
        s | {"label": ServiceKind(s["kind"]).label} for s in (assistance or {}).get("services", [])
    ]
    context = {"h": incoming, "assistance": assistance, "services": services}
    return render(request, "victims/incoming_hand_over.html", context)


@login_required
def incoming_hand_overs(request):
    """Every returning victim handed over to our service: to acknowledge, to take over, done."""
    access_caseworker(request.user)
    rows = access_incoming_hand_overs(request.user).select_related("taken_over_as")
    page = Paginator(rows, settings.TIPNET_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "victims/incoming_hand_overs.html", {"page": page})


@login_required
@require_POST
def take_over_hand_over(request, hand_over_id: int):
    incoming = access_incoming_hand_over(request.user, hand_over_id)
    try:
        victim = do_take_over(request.user, incoming)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("victims:incoming_hand_over", incoming.pk)
    messages.success(request, _("Taken over: the victim is now recorded here as %s.") % victim.code)
    return redirect("victims:victim", victim.code)


@login_required
@require_POST
def acknowledge_hand_over(request, hand_over_id: int):
    incoming = access_incoming_hand_over(request.user, hand_over_id)
    try:
        link.do_acknowledge_hand_over(request.user, incoming)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Reception acknowledged; the sending node is informed."))
    return redirect("victims:incoming_hand_over", incoming.pk)


@login_required
def link_case(request, code: str):
    victim = access_victim_by_code(request.user, code)
    form = forms.CaseLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = access_case_by_reference(request.user, form.cleaned_data["reference"])
        except Http404:
            form.add_error("reference", _("No case with this reference is open to you."))
        else:
            actions.do_link_case(request.user, victim, case)
            messages.success(request, _("Linked to case %s.") % case.reference)
            return redirect("victims:victim", victim.code)
    return _form_page(request, form, _("Link to a criminal case"), victim)


@login_required
def hotline(request):
    calls = access_hotline(request.user)
    context = {
        "calls": calls.select_related("victim", "case")[:100],
        "by_channel_outcome": labelled(HotlineCall, counts(calls, "channel", "outcome")),
    }
    return render(request, "victims/hotline.html", context)


@login_required
def hotline_new(request):
    access_caseworker(request.user)
    form = forms.HotlineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        name, pass_to = data.pop("person_name"), data.pop("pass_to")
        try:
            call = actions.do_log_call(request.user, data, person_name=name, pass_to=pass_to)
        except ValidationError as exc:
            _refused(form, exc)
            return _form_page(request, form, _("Hotline intake"))
        messages.success(request, _("Call logged."))
        if call.victim is not None:
            # A referral needs consent first; a screening starts with the indicators.
            target = "victims:consent" if call.outcome == "referral" else "victims:screen"
            return redirect(target, call.victim.code)
        return redirect("victims:hotline")
    return _form_page(request, form, _("Hotline intake"))


@login_required
def stats(request):
    """Aggregates only: counts by status, sex and citizenship, and hotline calls."""
    figures = statistics(access_statistics(request.user))
    context = {
        "by_status": labelled(Victim, figures.by_status),
        "by_sex": labelled(Victim, figures.by_sex),
        "by_nationality": labelled(Victim, figures.by_nationality),
        "by_channel_outcome": labelled(HotlineCall, figures.calls_by_channel_and_outcome),
        "total": figures.total,
    }
    return render(request, "victims/stats.html", context)


@login_required
def sop(request):
    """The node's SOP checklist; node administrators add steps, caseworkers read it."""
    user = request.user
    is_admin = user.has_role("node_admin")
    if not (is_admin or is_caseworker(user)):
        raise Http404
    form = forms.SopStepForm(request.POST or None) if is_admin else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            d = form.cleaned_data
            actions.do_create_sop_step(user, d["order"], d["title"], d["due_days"])
            messages.success(request, _("Step added to the checklist."))
            return redirect("victims:sop")
    context = {"steps": SopStep.objects.filter(is_active=True), "form": form, "is_admin": is_admin}
    return render(request, "victims/sop.html", context)


@login_required
@require_POST
def retire_sop_step(request, step_id: int):
    if not request.user.has_role("node_admin"):
        raise Http404
    step = SopStep.objects.filter(pk=step_id, is_active=True).first()
    if step is None:
        raise Http404
    actions.do_retire_sop_step(request.user, step)
    messages.success(request, _("Step retired from the checklist."))
    return redirect("victims:sop")
