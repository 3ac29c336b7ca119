"""Directory pages: every user of the node reads, node administrators write (others get 404)."""

from itertools import groupby

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

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
    access_guide_by_country,
    access_network_by_code,
    access_networks,
    access_participant,
    is_directory_admin,
)
from .countries import language_name
from .filters import filter_agencies, filter_contacts, filter_events
from .forms import (
    AgencyFilterForm,
    AgencyForm,
    ContactFilterForm,
    ContactForm,
    EventFilterForm,
    EventForm,
    ParticipantForm,
)
from .models import GuideTopic


def _page(request, queryset):
    page = Paginator(queryset, settings.TIPNET_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


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
    return render(request, "directory/network_list.html", {"networks": networks})


@login_required
def network_detail(request, code: str):
    network = access_network_by_code(request.user, code)
    return render(request, "directory/network_detail.html", {"network": network})


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


@login_required
def event_detail(request, event_id: int):
    event = access_event_by_id(request.user, event_id)
    can_edit = is_directory_admin(request.user)
    context = {"event": event, "can_edit": can_edit}
    if can_edit:
        context["participant_form"] = ParticipantForm(event=event)
    return render(request, "directory/event_detail.html", context)


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
    context = {"event": event, "can_edit": True, "participant_form": form}
    return render(request, "directory/event_detail.html", context, status=400)


@login_required
@require_POST
def participant_remove(request, event_id: int, participant_id: int):
    access_directory_admin(request.user)
    event = access_event_by_id(request.user, event_id)
    participant = access_participant(request.user, event, participant_id)
    actions.do_remove_participant(request.user, participant)
    messages.success(request, _("Participant removed."))
    return redirect("directory:event", event.pk)
