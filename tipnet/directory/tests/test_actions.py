"""Every directory action leaves exactly one audit event with its tag and object."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tipnet.audit.models import AuditEvent
from tipnet.directory import actions
from tipnet.directory.models import Agency, ContactPoint


def _new_events(before):
    return list(AuditEvent.objects.filter(seq__gt=before).order_by("seq"))


@pytest.fixture
def before(db):
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def test_each_write_leaves_one_event_with_its_tag(node_admin, uz, before):
    agency = actions.do_create_agency(node_admin, {"country": uz, "kind": "ngo", "name_en": "A"})
    actions.do_update_agency(node_admin, agency, {"name_ru": "А"})
    contact = actions.do_create_contact(node_admin, {"agency": agency, "name": "P"})
    actions.do_update_contact(node_admin, contact, {"languages": ["uz"]})
    network = actions.do_create_network(node_admin, {"code": "n", "name_en": "N"})
    actions.do_add_member(node_admin, network, agency, contact)
    guide = actions.do_create_guide(node_admin, uz, agency, ["uz"])
    actions.do_add_guide_entry(node_admin, guide, "languages", "Uzbek.", "A source")
    event = actions.do_create_event(
        node_admin,
        {"kind": "forum", "title": "F", "starts_on": date(2027, 1, 1), "ends_on": date(2027, 1, 1),
         "country": uz},
    )  # fmt: skip
    actions.do_update_event(node_admin, event, {"city": "Tashkent"})
    participant = actions.do_add_participant(node_admin, event, contact, "Speaker")
    actions.do_remove_participant(node_admin, participant)
    events = _new_events(before)
    assert [e.tag for e in events] == [
        "directory:agency:create",
        "directory:agency:update",
        "directory:contact:create",
        "directory:contact:update",
        "directory:network:create",
        "directory:member:create",
        "directory:guide:create",
        "directory:guide_entry:create",
        "directory:event:create",
        "directory:event:update",
        "directory:participant:create",
        "directory:participant:delete",
    ]
    assert {e.actor for e in events} == {"nadia_admin"}
    assert events[0].object_id == str(agency.pk)


def test_an_invalid_write_stores_nothing_and_records_nothing(uz, before):
    with pytest.raises(ValidationError):
        actions.do_create_agency(None, {"country": uz, "kind": "spies", "name_en": "X"})
    agency = actions.do_create_agency(None, {"country": uz, "kind": "ngo", "name_en": "X"})
    with pytest.raises(ValidationError):
        actions.do_create_contact(None, {"agency": agency, "name": "P", "phone": "998712000101"})
    with pytest.raises(ValidationError):
        actions.do_create_contact(None, {"agency": agency, "name": "P", "languages": ["uzb"]})
    assert Agency.objects.count() == 1 and ContactPoint.objects.count() == 0
    assert len(_new_events(before)) == 1
