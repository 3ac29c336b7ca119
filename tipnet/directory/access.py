"""Who may see what in the directory.

Every user of the node may read the whole directory; only node administrators may change it.
A missing record and a forbidden page both answer 404.
"""

from django.db.models import Prefetch
from django.http import Http404

from .models import (
    Agency,
    ContactPoint,
    Country,
    CountryGuide,
    Event,
    EventMaterial,
    EventOutcome,
    EventParticipant,
    FollowUp,
    NetworkMembership,
    PractitionerNetwork,
)
from .outcomes import visible_record


def _reader(user) -> None:
    if not (user is not None and user.is_authenticated and user.is_active):
        raise Http404


def access_directory_admin(user) -> None:
    """Raise Http404 unless `user` is a node administrator (who may change the directory)."""
    if not (user is not None and user.is_authenticated and user.has_role("node_admin")):
        raise Http404


def is_directory_admin(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_role("node_admin"))


def _one(queryset, **lookup):
    found = queryset.filter(**lookup).first()
    if found is None:
        raise Http404
    return found


def access_countries(user):
    """All countries, for any user of the node."""
    _reader(user)
    return Country.objects.all()


def access_country_by_code(user, code: str) -> Country:
    """One country by its ISO alpha-2 code (any case); Http404 if there is none."""
    return _one(access_countries(user), code=code.upper()[:2])


def access_agencies(user):
    """All agencies with their country, for any user of the node."""
    _reader(user)
    return Agency.objects.select_related("country")


def access_agency_by_id(user, agency_id: int) -> Agency:
    """One agency with its contact points and networks; Http404 if there is none."""
    queryset = access_agencies(user).prefetch_related("contact_points", "networks")
    return _one(queryset, pk=agency_id)


def access_contacts(user):
    """All contact points with their agency and country, for any user of the node."""
    _reader(user)
    return ContactPoint.objects.select_related("agency", "agency__country")


def access_contact_by_id(user, contact_id: int) -> ContactPoint:
    """One contact point; Http404 if there is none."""
    return _one(access_contacts(user), pk=contact_id)


def access_networks(user):
    """All practitioners' networks, for any user of the node."""
    _reader(user)
    return PractitionerNetwork.objects.select_related("secretariat")


def access_network_by_code(user, code: str) -> PractitionerNetwork:
    """One network with its members (agency, country, contact point); Http404 if none."""
    members = NetworkMembership.objects.select_related(
        "agency", "agency__country", "contact_point"
    ).order_by("agency__country_id", "agency__name_en")
    queryset = access_networks(user).prefetch_related(
        Prefetch("networkmembership_set", queryset=members, to_attr="members")
    )
    return _one(queryset, code=code)


def access_guides(user):
    """All country guides with their country and central authority, for any user."""
    _reader(user)
    return CountryGuide.objects.select_related("country", "central_authority").order_by(
        "country__name_en"
    )


def access_guide_by_country(user, code: str) -> CountryGuide:
    """The guide of one country, with its entries; Http404 if the country has none."""
    return _one(access_guides(user).prefetch_related("entries"), country_id=code.upper()[:2])


def access_events(user):
    """All events with their country, organiser and network, for any user of the node."""
    _reader(user)
    return Event.objects.select_related("country", "organiser", "network")


def access_event_by_id(user, event_id: int) -> Event:
    """One event with its participants (contact point, agency, country); Http404 if none."""
    participants = EventParticipant.objects.select_related(
        "contact_point", "contact_point__agency", "contact_point__agency__country"
    )
    follow_ups = FollowUp.objects.select_related("owner", "owner__agency")
    queryset = access_events(user).prefetch_related(
        Prefetch("eventparticipant_set", queryset=participants, to_attr="participant_rows"),
        Prefetch("follow_up_items", queryset=follow_ups, to_attr="follow_up_rows"),
        Prefetch("materials", queryset=EventMaterial.objects.defer("content"), to_attr="files"),
    )
    return _one(queryset, pk=event_id)


def access_participant(user, event: Event, participant_id: int) -> EventParticipant:
    """One participant of `event` (already accessed); Http404 if it is not one of its rows."""
    _reader(user)
    return _one(EventParticipant.objects.filter(event=event), pk=participant_id)


def access_follow_up(user, event: Event, follow_up_id: int) -> FollowUp:
    """One follow-up of `event` (already accessed); Http404 if it is not one of its rows."""
    _reader(user)
    return _one(FollowUp.objects.filter(event=event), pk=follow_up_id)


def access_material(user, event: Event, material_id: int) -> EventMaterial:
    """One material (file) of `event` (already accessed); Http404 if it is not one of its."""
    _reader(user)
    return _one(EventMaterial.objects.filter(event=event), pk=material_id)


def access_outcome(user, event: Event, outcome_id: int) -> EventOutcome:
    """One record `event` produced, if `user` may open that record; Http404 otherwise."""
    _reader(user)
    outcome = _one(EventOutcome.objects.filter(event=event), pk=outcome_id)
    if visible_record(user, outcome.kind, outcome.object_id) is None:
        raise Http404
    return outcome
