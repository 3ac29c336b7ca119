"""Writes to the directory. Each `do_*` validates the row, saves it and records one audit event."""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tipnet.audit.actions import record
from tipnet.cases.validation import sniff_content_type

from .countries import country_rows, forget_country_names
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
    GuideEntry,
    NetworkMembership,
    PractitionerNetwork,
)
from .outcomes import visible_record


def _assign(obj, data: dict, fields) -> None:
    for name in fields:
        if name in data:
            setattr(obj, name, data[name])


AGENCY_FIELDS = (
    "country",
    "kind",
    "name_en",
    "name_ru",
    "name_uz",
    "name_local",
    "local_language",
    "region",
    "node_id",
    "website",
    "is_fictional",
)
CONTACT_FIELDS: tuple[str, ...] = (
    "agency",
    "name",
    "position",
    "languages",
    "phone",
    "email",
    "is_24_7",
)
CONTACT_FIELDS += ("is_fictional",)
EVENT_FIELDS = (
    "kind",
    "title",
    "starts_on",
    "ends_on",
    "country",
    "city",
    "organiser",
    "network",
    "outcomes",
    "follow_ups",
)


def do_sync_countries(actor) -> int:
    """Add the ISO 3166-1 countries that are missing and refresh names; return how many changed."""
    changed = 0
    with transaction.atomic():
        for code, alpha3, en, ru, uz in country_rows():
            row, created = Country.objects.get_or_create(
                code=code, defaults={"alpha3": alpha3, "name_en": en, "name_ru": ru, "name_uz": uz}
            )
            if not created and (row.name_en, row.name_ru, row.name_uz) != (en, ru, uz):
                row.name_en, row.name_ru, row.name_uz = en, ru, uz
                row.save(update_fields=["name_en", "name_ru", "name_uz"])
                created = True
            changed += int(created)
        if changed:
            record("directory:country:sync", actor=actor, changed=changed)
            transaction.on_commit(forget_country_names)
    return changed


def _set_networks(agency: Agency, networks) -> None:
    wanted = {n.pk for n in networks}
    NetworkMembership.objects.filter(agency=agency).exclude(network_id__in=wanted).delete()
    have = set(NetworkMembership.objects.filter(agency=agency).values_list("network_id", flat=True))
    NetworkMembership.objects.bulk_create(
        NetworkMembership(network_id=pk, agency=agency) for pk in sorted(wanted - have)
    )


def do_create_agency(actor, data: dict, networks=()) -> Agency:
    """Create an agency from validated `data` and make it a member of `networks`."""
    agency = Agency()
    _assign(agency, data, AGENCY_FIELDS)
    agency.fold_names()
    agency.full_clean()
    with transaction.atomic():
        agency.save()
        _set_networks(agency, networks)
        record(
            "directory:agency:create",
            actor=actor,
            obj=agency,
            country=agency.country_id,
            networks=sorted(n.code for n in networks),
        )
    return agency


def do_update_agency(actor, agency: Agency, data: dict, networks=None) -> Agency:
    """Change an agency's fields from validated `data` and, if given, its networks."""
    _assign(agency, data, AGENCY_FIELDS)
    agency.fold_names()
    agency.full_clean()
    with transaction.atomic():
        agency.save()
        if networks is not None:
            _set_networks(agency, networks)
        record("directory:agency:update", actor=actor, obj=agency, fields=sorted(data))
    return agency


def do_create_contact(actor, data: dict) -> ContactPoint:
    """Create a contact point from validated `data` (phone in E.164, ISO 639-1 languages)."""
    contact = ContactPoint()
    _assign(contact, data, CONTACT_FIELDS)
    contact.fold_names()
    contact.full_clean()
    with transaction.atomic():
        contact.save()
        record(
            "directory:contact:create",
            actor=actor,
            obj=contact,
            directory_agency=contact.agency_id,
        )
    return contact


def do_update_contact(actor, contact: ContactPoint, data: dict) -> ContactPoint:
    """Change a contact point's fields from validated `data`."""
    _assign(contact, data, CONTACT_FIELDS)
    contact.fold_names()
    contact.full_clean()
    with transaction.atomic():
        contact.save()
        record("directory:contact:update", actor=actor, obj=contact, fields=sorted(data))
    return contact


NETWORK_FIELDS = (
    "code",
    "name_en",
    "name_ru",
    "name_uz",
    "description_en",
    "description_ru",
    "description_uz",
    "secretariat",
    "is_informal",
)


def do_create_network(actor, data: dict) -> PractitionerNetwork:
    """Create a practitioners' network: code, names and descriptions in English, Russian and
    Uzbek, secretariat, is_informal."""
    network = PractitionerNetwork()
    _assign(network, data, NETWORK_FIELDS)
    network.full_clean()
    with transaction.atomic():
        network.save()
        record("directory:network:create", actor=actor, obj=network, code=network.code)
    return network


def do_update_network(actor, network: PractitionerNetwork, data: dict) -> PractitionerNetwork:
    """Change a network's names, descriptions, secretariat or informality (never its code,
    which links and filters use)."""
    _assign(network, data, NETWORK_FIELDS[1:])
    network.full_clean()
    with transaction.atomic():
        network.save()
        record(
            "directory:network:update",
            actor=actor,
            obj=network,
            code=network.code,
            fields=sorted(k for k in data if k in NETWORK_FIELDS[1:]),
        )
    return network


def do_add_member(actor, network, agency, contact_point=None, since=None) -> NetworkMembership:
    """Make `agency` a member of `network`, optionally naming its contact point for it."""
    member = NetworkMembership(
        network=network, agency=agency, contact_point=contact_point, since=since
    )
    member.full_clean()
    with transaction.atomic():
        member.save()
        record("directory:member:create", actor=actor, obj=member, network=network.code)
    return member


def do_create_guide(actor, country, central_authority=None, accepted_languages=()) -> CountryGuide:
    """Create the guide of `country`: its central authority for MLA and accepted languages."""
    guide = CountryGuide(
        country=country,
        central_authority=central_authority,
        accepted_languages=list(accepted_languages),
    )
    guide.full_clean()
    with transaction.atomic():
        guide.save()
        record("directory:guide:create", actor=actor, obj=guide, country=country.code)
    return guide


def do_add_guide_entry(actor, guide, topic, text, source, is_verified=False) -> GuideEntry:
    """Add one fact to a country guide; every fact carries its source."""
    entry = GuideEntry(guide=guide, topic=topic, text=text, source=source, is_verified=is_verified)
    entry.full_clean()
    with transaction.atomic():
        entry.save()
        record("directory:guide_entry:create", actor=actor, obj=entry, topic=topic)
    return entry


def do_create_event(actor, data: dict, participants=()) -> Event:
    """Create an event from validated `data`, with `participants` as (contact, role) pairs."""
    event = Event()
    _assign(event, data, EVENT_FIELDS)
    event.full_clean()
    with transaction.atomic():
        event.save()
        EventParticipant.objects.bulk_create(
            EventParticipant(event=event, contact_point=c, role=role) for c, role in participants
        )
        record(
            "directory:event:create",
            actor=actor,
            obj=event,
            participants=[c.pk for c, _role in participants],
        )
    return event


def do_update_event(actor, event: Event, data: dict) -> Event:
    """Change an event's fields from validated `data`."""
    _assign(event, data, EVENT_FIELDS)
    event.full_clean()
    with transaction.atomic():
        event.save()
        record("directory:event:update", actor=actor, obj=event, fields=sorted(data))
    return event


def do_add_participant(actor, event: Event, contact: ContactPoint, role: str = ""):
    """Add a contact point to an event's participants with their role there."""
    participant = EventParticipant(event=event, contact_point=contact, role=role)
    participant.full_clean()
    with transaction.atomic():
        participant.save()
        record("directory:participant:create", actor=actor, obj=participant, event=event.pk)
    return participant


def do_remove_participant(actor, participant: EventParticipant) -> None:
    """Remove one participant from an event."""
    with transaction.atomic():
        record(
            "directory:participant:delete",
            actor=actor,
            obj=participant,
            event=participant.event_id,
            contact=participant.contact_point_id,
        )
        participant.delete()


def do_verify_contact(actor, contact: ContactPoint) -> ContactPoint:
    """Record that `contact`'s details were checked today ("verified today")."""
    contact.verified_on = timezone.localdate()
    with transaction.atomic():
        contact.save(update_fields=["verified_on"])
        record("directory:contact:verify", actor=actor, obj=contact, on=contact.verified_on)
    return contact


FOLLOW_UP_FIELDS = ("text", "owner", "due_on", "status")


def do_add_follow_up(actor, event: Event, data: dict) -> FollowUp:
    """Add a follow-up to `event` from validated `data` (text, owner, due date, status)."""
    follow_up = FollowUp(event=event)
    _assign(follow_up, data, FOLLOW_UP_FIELDS)
    follow_up.full_clean()
    with transaction.atomic():
        follow_up.save()
        record("directory:follow_up:create", actor=actor, obj=follow_up, event=event.pk)
    return follow_up


def do_update_follow_up(actor, follow_up: FollowUp, data: dict) -> FollowUp:
    """Change a follow-up's text, owner, due date or status from validated `data`."""
    before = follow_up.status
    _assign(follow_up, data, FOLLOW_UP_FIELDS)
    follow_up.full_clean()
    with transaction.atomic():
        follow_up.save()
        record(
            "directory:follow_up:update",
            actor=actor,
            obj=follow_up,
            event=follow_up.event_id,
            status_from=before,
            status=follow_up.status,
        )
    return follow_up


def max_material_bytes() -> int:
    return settings.TIPNET_EVENT_MATERIAL_MAX_MB * 1024 * 1024


def do_upload_material(actor, event: Event, title: str, filename: str, data: bytes):
    """Attach a file of an allowed type (judged by its bytes) to `event`, with its SHA-256."""
    if not data:
        raise ValidationError({"file": _("The file is empty.")})
    if len(data) > max_material_bytes():
        raise ValidationError({"file": _("The file is larger than the limit.")})
    content_type = sniff_content_type(data)
    if content_type is None:
        raise ValidationError({"file": _("This type of file is not accepted.")})
    material = EventMaterial(
        event=event,
        title=(title or "").strip(),
        filename=(filename or "file").strip()[-200:],
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        content=data,
        uploaded_by=actor,
    )
    material.full_clean(exclude=["content"])
    with transaction.atomic():
        material.save()
        record("directory:material:upload", actor=actor, obj=material, sha256=material.sha256)
    return material


def do_link_outcome(actor, event: Event, kind: str, object_id: int) -> EventOutcome:
    """Record that `event` produced the case, MLA request or agreement `object_id` of `kind`.

    `actor` must be able to open that record; otherwise ValidationError, the same as for one
    that does not exist."""
    if visible_record(actor, kind, object_id) is None:
        raise ValidationError({"reference": _("No such record that you may open.")})
    if EventOutcome.objects.filter(event=event, kind=kind, object_id=object_id).exists():
        raise ValidationError({"reference": _("This record is already linked to the event.")})
    outcome = EventOutcome(event=event, kind=kind, object_id=object_id, added_by=actor)
    with transaction.atomic():
        outcome.save()
        record("directory:outcome:create", actor=actor, obj=outcome, event=event.pk, kind=kind)
    return outcome


def do_unlink_outcome(actor, outcome: EventOutcome) -> None:
    """Remove the link between an event and a record it produced."""
    with transaction.atomic():
        record(
            "directory:outcome:delete",
            actor=actor,
            obj=outcome,
            event=outcome.event_id,
            kind=outcome.kind,
        )
        outcome.delete()
