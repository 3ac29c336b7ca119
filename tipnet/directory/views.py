"""Directory pages: every user of the node reads, node administrators write (others get 404)."""

from itertools import groupby

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tipnet.audit.actions import record
from tipnet.lib.paging import link_query

from . import actions
from .access import (
    access_agencies,
    access_agency_by_id,
    access_contact_by_id,
    access_contacts,
    access_countries,
    access_directory_admin,
    access_event_by_id,
    access_events,
    access_follow_up,
    access_guide_by_country,
    access_material,
    access_network_by_code,
    access_networks,
    access_outcome,
    access_participant,
    is_directory_admin,
)
from .countries import language_name
from .filters import filter_agencies, filter_contacts, filter_events
from .finder import find
from .forms import (
    AgencyFilterForm,
    AgencyForm,
    ContactFilterForm,
    ContactForm,
    EventFilterForm,
    EventForm,
    FinderForm,
    FollowUpForm,
    FollowUpStatusForm,
    MaterialForm,
    NetworkForm,
    OutcomeForm,
    ParticipantForm,
)
from .models import GuideTopic
from .outcomes import find_by_reference, visible_outcomes
from .staleness import is_stale


def _page(request, queryset):
    page = Paginator(queryset, settings.TIPNET_PAGE_SIZE).get_page(request.GET.get("page"))
    return page, link_query(request.GET)


def _list(request, template, queryset, form, **extra):
    page, query = _page(request, queryset)
    context = {"page": page, "query": query, "form": form, **extra}
    context["can_edit"] = is_directory_admin(request.user)
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results":
        template = template.replace(".html", "_results.html")
    return render(request, template, context)


@login_required
def index(request):
    return render(request, "directory/index.html", {"can_edit": is_directory_admin(request.user)})


@login_required
def agency_list(request):
    form = AgencyFilterForm(request.GET or None)
    agencies = filter_agencies(access_agencies(request.user), **form.values())
    return _list(request, "directory/agency_list.html", agencies, form)


@login_required
def agency_detail(request, agency_id: int):
    agency = access_agency_by_id(request.user, agency_id)
    context = {"agency": agency, "can_edit": is_directory_admin(request.user)}
    context["local_language_name"] = language_name(agency.local_language)
    return render(request, "directory/agency_detail.html", context)


@login_required
def agency_create(request):
    access_directory_admin(request.user)
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        agency = actions.do_create_agency(request.user, data, data.pop("networks"))
        messages.success(request, _("Agency created."))
        return redirect("directory:agency", agency.pk)
    return render(request, "directory/agency_form.html", {"form": form})


@login_required
def agency_edit(request, agency_id: int):
    access_directory_admin(request.user)
    agency = access_agency_by_id(request.user, agency_id)
    form = AgencyForm(request.POST or None, instance=agency)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        actions.do_update_agency(request.user, agency, data, data.pop("networks"))
        messages.success(request, _("Saved."))
        return redirect("directory:agency", agency.pk)
    return render(request, "directory/agency_form.html", {"form": form, "agency": agency})


@login_required
def contact_list(request):
    form = ContactFilterForm(request.GET or None)
    contacts = filter_contacts(access_contacts(request.user), **form.values())
    return _list(request, "directory/contact_list.html", contacts, form)


@login_required
def contact_detail(request, contact_id: int):
    contact = access_contact_by_id(request.user, contact_id)
    context = {"contact": contact, "can_edit": is_directory_admin(request.user)}
    context["language_names"] = [language_name(c) for c in contact.languages]
    context["is_stale"] = is_stale(contact)
    context["stale_months"] = settings.TIPNET_CONTACT_STALE_MONTHS
    return render(request, "directory/contact_detail.html", context)


@login_required
def contact_create(request):
    access_directory_admin(request.user)
    form = ContactForm(request.POST or None, initial={"agency": request.GET.get("agency")})
    if request.method == "POST" and form.is_valid():
        contact = actions.do_create_contact(request.user, form.cleaned_data)
        messages.success(request, _("Contact point created."))
        return redirect("directory:contact", contact.pk)
    return render(request, "directory/contact_form.html", {"form": form})


@login_required
def contact_edit(request, contact_id: int):
    access_directory_admin(request.user)
    contact = access_contact_by_id(request.user, contact_id)
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        actions.do_update_contact(request.user, contact, form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("directory:contact", contact.pk)
    return render(request, "directory/contact_form.html", {"form": form, "contact": contact})


@login_required
def network_list(request):
    networks = access_networks(request.user)
    context = {"networks": networks, "can_edit": is_directory_admin(request.user)}
    return render(request, "directory/network_list.html", context)


@login_required
def network_detail(request, code: str):
    network = access_network_by_code(request.user, code)
    context = {"network": network, "can_edit": is_directory_admin(request.user)}
    return render(request, "directory/network_detail.html", context)


@login_required
def network_create(request):
    access_directory_admin(request.user)
    form = NetworkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        network = actions.do_create_network(request.user, form.cleaned_data)
        messages.success(request, _("Network created."))
        return redirect("directory:network", network.code)
    return render(request, "directory/network_form.html", {"form": form})


@login_required
def network_edit(request, code: str):
    access_directory_admin(request.user)
    network = access_network_by_code(request.user, code)
    form = NetworkForm(request.POST or None, instance=network)
    if request.method == "POST" and form.is_valid():
        actions.do_update_network(request.user, network, form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("directory:network", network.code)
    return render(request, "directory/network_form.html", {"form": form, "network": network})


@login_required
def country_list(request):
    countries = access_countries(request.user).filter(guide__isnull=False)
    return render(request, "directory/country_list.html", {"countries": countries})


@login_required
def country_guide(request, code: str):
    guide = access_guide_by_country(request.user, code)
    entries = sorted(guide.entries.all(), key=lambda e: (GuideTopic.values.index(e.topic), e.pk))
    topics = [
        (GuideTopic(topic).label, list(rows)) for topic, rows in groupby(entries, lambda e: e.topic)
    ]
    context = {
        "guide": guide,
        "topics": topics,
        "language_names": [language_name(c) for c in guide.accepted_languages],
        "agencies": access_agencies(request.user).filter(country=guide.country),
    }
    return render(request, "directory/country_guide.html", context)


@login_required
def event_list(request):
    form = EventFilterForm(request.GET or None)
    events = filter_events(access_events(request.user), **form.values())
    return _list(request, "directory/event_list.html", events, form)


def _event_page(request, event, status=200, **forms):
    can_edit = is_directory_admin(request.user)
    context = {"event": event, "can_edit": can_edit, **forms}
    context["produced"] = visible_outcomes(request.user, event)
    context.setdefault("outcome_form", OutcomeForm())
    context["status_choices"] = FollowUpStatusForm().fields["status"].choices
    if can_edit:
        context.setdefault("participant_form", ParticipantForm(event=event))
        context.setdefault("follow_up_form", FollowUpForm(event=event))
        context.setdefault("material_form", MaterialForm())
    return render(request, "directory/event_detail.html", context, status=status)


@login_required
def event_detail(request, event_id: int):
    return _event_page(request, access_event_by_id(request.user, event_id))


@login_required
def event_create(request):
    access_directory_admin(request.user)
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        event = actions.do_create_event(request.user, form.cleaned_data)
        messages.success(request, _("Event created; now add its participants."))
        return redirect("directory:event", event.pk)
    return render(request, "directory/event_form.html", {"form": form})


@login_required
def event_edit(request, event_id: int):
    access_directory_admin(request.user)
    event = access_event_by_id(request.user, event_id)
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        actions.do_update_event(request.user, event, form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("directory:event", event.pk)
    return render(request, "directory/event_form.html", {"form": form, "event": event})


@login_required
@require_POST
def participant_add(request, event_id: int):
    access_directory_admin(request.user)
    event = access_event_by_id(request.user, event_id)
    form = ParticipantForm(request.POST, event=event)
    if form.is_valid():
        data = form.cleaned_data
        actions.do_add_participant(request.user, event, data["contact_point"], data["role"])
        messages.success(request, _("Participant added."))
        return redirect("directory:event", event.pk)
    return _event_page(request, event, status=400, participant_form=form)


@login_required
@require_POST
def participant_remove(request, event_id: int, participant_id: int):
    access_directory_admin(request.user)
    event = access_event_by_id(request.user, event_id)
    participant = access_participant(request.user, event, participant_id)
    actions.do_remove_participant(request.user, participant)
    messages.success(request, _("Participant removed."))
    return redirect("directory:event", event.pk)


@login_required
@require_POST
def contact_verify(request, contact_id: int):
    access_directory_admin(request.user)
    contact = access_contact_by_id(request.user, contact_id)
    actions.do_verify_contact(request.user, contact)
    messages.success(request, _("Marked as verified today."))
    return redirect("directory:contact", contact.pk)


@login_required
@require_POST
def follow_up_add(request, event_id: int):
    access_directory_admin(request.user)
    event = access_event_by_id(request.user, event_id)
    form = FollowUpForm(request.POST, event=event)
    if form.is_valid():
        actions.do_add_follow_up(request.user, event, form.cleaned_data)
        messages.success(request, _("Follow-up added."))
        return redirect("directory:event", event.pk)
    return _event_page(request, event, status=400, follow_up_form=form)


@login_required
@require_POST
def follow_up_status(request, event_id: int, follow_up_id: int):
    access_directory_admin(request.user)
    event = access_event_by_id(request.user, event_id)
    follow_up = access_follow_up(request.user, event, follow_up_id)
    form = FollowUpStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the statuses offered."))
        return redirect("directory:event", event.pk)
    actions.do_update_follow_up(request.user, follow_up, form.cleaned_data)
    messages.success(request, _("Follow-up updated."))
    return redirect("directory:event", event.pk)


def _apply_errors(form, exc: ValidationError) -> None:
    for name, errors in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


@login_required
@require_POST
def material_upload(request, event_id: int):
    access_directory_admin(request.user)
    event = access_event_by_id(request.user, event_id)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > actions.max_material_bytes():
                raise ValidationError({"file": _("The file is larger than the limit.")})
            actions.do_upload_material(
                request.user, event, form.cleaned_data["title"], upload.name, upload.read()
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Material attached."))
            return redirect("directory:event", event.pk)
    return _event_page(request, event, status=400, material_form=form)


@login_required
def material_download(request, event_id: int, material_id: int):
    event = access_event_by_id(request.user, event_id)
    material = access_material(request.user, event, material_id)
    record("directory:material:download", actor=request.user, obj=material, event=event.pk)
    response = HttpResponse(bytes(material.content), content_type=material.content_type)
    response["Content-Disposition"] = f'attachment; filename="material-{material.pk}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def outcome_add(request, event_id: int):
    event = access_event_by_id(request.user, event_id)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        kind = form.cleaned_data["kind"]
        found = find_by_reference(request.user, kind, form.cleaned_data["reference"])
        try:
            if found is None:
                raise ValidationError({"reference": _("No such record that you may open.")})
            actions.do_link_outcome(request.user, event, kind, found.pk)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Linked to the event."))
            return redirect("directory:event", event.pk)
    return _event_page(request, event, status=400, outcome_form=form)


@login_required
@require_POST
def outcome_remove(request, event_id: int, outcome_id: int):
    event = access_event_by_id(request.user, event_id)
    outcome = access_outcome(request.user, event, outcome_id)
    actions.do_unlink_outcome(request.user, outcome)
    messages.success(request, _("Link removed."))
    return redirect("directory:event", event.pk)


@login_required
def authority_finder(request):
    form = FinderForm(request.GET or None)
    answer = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        agencies = access_agencies(request.user)
        answer = find(agencies, data["country"], data["measure"], data.get("region", ""))
    return render(request, "directory/finder.html", {"form": form, "answer": answer})
