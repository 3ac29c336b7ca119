"""Node administrators create and edit; everyone else gets 404 on the edit URLs."""

import pytest

from tipnet.audit.models import AuditEvent
from tipnet.directory.models import Agency, ContactPoint, Event, EventParticipant

EDIT_URLS = [
    "/directory/agencies/new/",
    "/directory/contacts/new/",
    "/directory/events/new/",
]


def _agency_form(**extra):
    data = {
        "country": "UZ",
        "kind": "police",
        "name_en": "Ministry of Internal Affairs of the Republic of Uzbekistan",
        "name_ru": "Министерство внутренних дел Республики Узбекистан",
        "name_local": "O‘zbekiston Respublikasi Ichki ishlar vazirligi",
        "local_language": "uz",
        "node_id": "",
        "website": "",
    }
    return data | extra


def _tags():
    return list(AuditEvent.objects.order_by("seq").values_list("tag", flat=True))


@pytest.mark.parametrize("url", EDIT_URLS)
@pytest.mark.parametrize("persona", ["investigator", "prosecutor", "analyst", "ca_officer"])
def test_non_admins_get_404_on_create_pages(request, client_as, url, persona):
    user = request.getfixturevalue(persona)
    client = client_as(user)
    assert client.get(url).status_code == 404
    assert client.post(url, _agency_form()).status_code == 404
    assert Agency.objects.count() == 0


def test_non_admins_get_404_on_edit_pages(investigator, client_as, workshop, dilshod, gpo):
    client = client_as(investigator)
    for url in [
        f"/directory/agencies/{gpo.pk}/edit/",
        f"/directory/contacts/{dilshod.pk}/edit/",
        f"/directory/events/{workshop.pk}/edit/",
    ]:
        assert client.get(url).status_code == 404
    response = client.post(
        f"/directory/events/{workshop.pk}/participants/add/", {"contact_point": dilshod.pk}
    )
    assert response.status_code == 404


def test_non_admins_do_not_see_edit_links(investigator, client_as, gpo):
    body = client_as(investigator).get(f"/directory/agencies/{gpo.pk}/").content.decode()
    assert 'data-testid="agency-edit"' not in body


def test_an_admin_creates_an_agency_with_networks_and_one_audit_event(node_admin, client_as, casc):
    client = client_as(node_admin)
    before = AuditEvent.objects.count()
    response = client.post("/directory/agencies/new/", _agency_form(networks=[casc.pk]))
    agency = Agency.objects.get(name_en__startswith="Ministry of Internal Affairs of the Rep")
    assert response.status_code == 302
    assert response["Location"] == f"/directory/agencies/{agency.pk}/"
    assert list(agency.networks.values_list("code", flat=True)) == ["casc"]
    assert _tags()[before:] == ["directory:agency:create"]
    assert AuditEvent.objects.last().object_id == str(agency.pk)


def test_an_admin_edits_an_agency(node_admin, client_as, gpo):
    data = _agency_form(name_en="GPO renamed", kind="prosecutor", node_id="UZ-GPO")
    response = client_as(node_admin).post(f"/directory/agencies/{gpo.pk}/edit/", data)
    assert response.status_code == 302
    gpo.refresh_from_db()
    assert gpo.name_en == "GPO renamed"
    assert "gpo renamed" in gpo.search_text
    assert _tags()[-1] == "directory:agency:update"


def test_a_second_agency_with_the_same_node_id_is_refused(node_admin, client_as, gpo):
    response = client_as(node_admin).post(
        "/directory/agencies/new/", _agency_form(node_id="UZ-GPO")
    )
    assert response.status_code == 200
    assert 'data-testid="form-errors"' in response.content.decode()
    assert Agency.objects.count() == 1


def test_an_admin_creates_a_contact_with_the_phone_stored_as_e164(node_admin, client_as, gpo):
    client = client_as(node_admin)
    before = AuditEvent.objects.count()
    data = {
        "agency": gpo.pk,
        "name": "Nodira Yusupova",
        "position": "Head of unit",
        "languages": "UZ, ru,en",
        "phone": "71 200 01 05",
        "email": "n.yusupova@example.org",
        "is_24_7": "on",
    }
    response = client.post("/directory/contacts/new/", data)
    assert response.status_code == 302
    contact = ContactPoint.objects.get(name="Nodira Yusupova")
    assert contact.phone == "+998712000105"
    assert contact.languages == ["uz", "ru", "en"]
    assert contact.is_24_7 is True
    assert _tags()[before:] == ["directory:contact:create"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "12345", "not a valid phone number"),
        ("phone", "+998 00 000", "not a valid phone number"),
        ("languages", "uz, xx, russian", "Not ISO 639-1 language codes: xx, russian"),
        ("email", "not-an-address", "valid email"),
        ("name", "", "This field is required"),
    ],
)
def test_an_invalid_contact_form_stores_nothing_and_says_why(
    node_admin, client_as, gpo, field, value, message
):
    client = client_as(node_admin)
    before = AuditEvent.objects.count()
    data = {"agency": gpo.pk, "name": "Someone", "languages": "uz", "phone": "+998712000105"}
    response = client.post("/directory/contacts/new/", data | {field: value})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="form-errors"' in body
    assert f'data-testid="error-{field}"' in body and message in body
    assert ContactPoint.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_an_admin_edits_a_contact(node_admin, client_as, dilshod):
    data = {"agency": dilshod.agency_id, "name": dilshod.name, "languages": "uz", "phone": ""}
    response = client_as(node_admin).post(f"/directory/contacts/{dilshod.pk}/edit/", data)
    assert response.status_code == 302
    dilshod.refresh_from_db()
    assert (dilshod.languages, dilshod.phone) == (["uz"], "")
    assert _tags()[-1] == "directory:contact:update"


def _event_form(**extra):
    data = {
        "kind": "forum",
        "title": "Forum in Bangkok",
        "starts_on": "2027-03-09",
        "ends_on": "2027-03-11",
        "country": "TH",
        "city": "Bangkok",
        "outcomes": "",
        "follow_ups": "Agenda:\n- video hearings",
    }
    return data | extra


def test_an_admin_creates_an_event_and_adds_a_participant(node_admin, client_as, dilshod):
    client = client_as(node_admin)
    before = AuditEvent.objects.count()
    response = client.post("/directory/events/new/", _event_form())
    event = Event.objects.get(title="Forum in Bangkok")
    assert response["Location"] == f"/directory/events/{event.pk}/"
    assert event.follow_ups == "Agenda:\n- video hearings"
    response = client.post(
        f"/directory/events/{event.pk}/participants/add/",
        {"contact_point": dilshod.pk, "role": "Speaker"},
    )
    assert response.status_code == 302
    assert EventParticipant.objects.get(event=event).role == "Speaker"
    assert _tags()[before:] == ["directory:event:create", "directory:participant:create"]
    body = client.get(f"/directory/events/{event.pk}/").content.decode()
    assert body.count('data-testid="participant"') == 1


def test_a_participant_cannot_be_added_twice(node_admin, client_as, workshop, dilshod):
    client = client_as(node_admin)
    before = AuditEvent.objects.count()
    response = client.post(
        f"/directory/events/{workshop.pk}/participants/add/", {"contact_point": dilshod.pk}
    )
    assert response.status_code == 400
    assert "already a participant" in response.content.decode()
    assert AuditEvent.objects.count() == before


def test_an_admin_removes_a_participant(node_admin, client_as, workshop):
    row = EventParticipant.objects.filter(event=workshop).first()
    url = f"/directory/events/{workshop.pk}/participants/{row.pk}/remove/"
    assert client_as(node_admin).post(url).status_code == 302
    assert not EventParticipant.objects.filter(pk=row.pk).exists()
    assert _tags()[-1] == "directory:participant:delete"


def test_an_event_ending_before_it_starts_is_refused(node_admin, client_as, db):
    response = client_as(node_admin).post(
        "/directory/events/new/", _event_form(ends_on="2027-03-01")
    )
    assert "cannot end before it starts" in response.content.decode()
    assert Event.objects.count() == 0


def test_an_admin_edits_an_event(node_admin, client_as, workshop):
    data = _event_form(title="Renamed workshop", country="UZ")
    response = client_as(node_admin).post(f"/directory/events/{workshop.pk}/edit/", data)
    assert response.status_code == 302
    workshop.refresh_from_db()
    assert workshop.title == "Renamed workshop"
    assert workshop.eventparticipant_set.count() == 2
    assert _tags()[-1] == "directory:event:update"
