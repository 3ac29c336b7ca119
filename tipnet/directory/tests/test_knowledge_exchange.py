"""Knowledge exchange on the event and contact pages: follow-ups, materials, what an event
produced, and a contact's last verification."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tipnet.audit.models import AuditEvent
from tipnet.cases.actions import do_create_case
from tipnet.directory.models import ContactPoint, EventMaterial, EventOutcome, FollowUp
from tipnet.directory.staleness import is_stale, stale_before

PDF = b"%PDF-1.4\n% agenda\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _tags():
    return list(AuditEvent.objects.values_list("tag", flat=True))


# Last verified


def test_an_administrator_marks_a_contact_verified_today(node_admin, client_as, dilshod):
    response = client_as(node_admin).post(f"/directory/contacts/{dilshod.pk}/verify/")
    assert response.status_code == 302
    dilshod.refresh_from_db()
    assert dilshod.verified_on == timezone.localdate()
    assert "directory:contact:verify" in _tags()
    body = client_as(node_admin).get(f"/directory/contacts/{dilshod.pk}/").content.decode()
    assert timezone.localdate().isoformat() in body
    assert 'data-testid="contact-stale"' not in body


def test_only_an_administrator_may_verify_a_contact(investigator, client_as, dilshod):
    response = client_as(investigator).post(f"/directory/contacts/{dilshod.pk}/verify/")
    assert response.status_code == 404
    dilshod.refresh_from_db()
    assert dilshod.verified_on is None


def test_a_contact_verified_long_ago_is_flagged_stale(investigator, client_as, dilshod, settings):
    settings.TIPNET_CONTACT_STALE_MONTHS = 6
    ContactPoint.objects.filter(pk=dilshod.pk).update(verified_on=date(2020, 1, 1))
    body = client_as(investigator).get(f"/directory/contacts/{dilshod.pk}/").content.decode()
    assert 'data-testid="contact-stale"' in body
    assert "2020-01-01" in body


def test_staleness_counts_the_configured_months(settings, dilshod):
    settings.TIPNET_CONTACT_STALE_MONTHS = 3
    today = date(2026, 5, 31)
    assert stale_before(today) == date(2026, 2, 28)
    dilshod.verified_on = date(2026, 3, 1)
    assert not is_stale(dilshod, today)
    dilshod.verified_on = date(2026, 2, 27)
    assert is_stale(dilshod, today)
    dilshod.verified_on = None
    assert is_stale(dilshod, today)


# Follow-ups


def test_an_administrator_adds_a_follow_up_with_owner_and_due_date(
    node_admin, client_as, workshop, aibek
):
    data = {"text": "Send the checklist", "owner": aibek.pk, "due_on": "2025-06-30"}
    response = client_as(node_admin).post(
        f"/directory/events/{workshop.pk}/follow-ups/add/", data | {"status": "open"}
    )
    assert response.status_code == 302
    item = FollowUp.objects.get(event=workshop)
    assert (item.owner, item.due_on, item.status) == (aibek, date(2025, 6, 30), "open")
    assert "directory:follow_up:create" in _tags()
    body = client_as(node_admin).get(f"/directory/events/{workshop.pk}/").content.decode()
    assert "Send the checklist" in body and "2025-06-30" in body


def test_the_owner_must_be_a_participant_of_the_event(node_admin, client_as, workshop, malika):
    data = {"text": "X", "owner": malika.pk, "status": "open"}
    response = client_as(node_admin).post(f"/directory/events/{workshop.pk}/follow-ups/add/", data)
    assert response.status_code == 400
    assert 'data-testid="error-owner"' in response.content.decode()
    assert not FollowUp.objects.exists()


def test_an_administrator_changes_a_follow_ups_status(node_admin, client_as, workshop):
    client = client_as(node_admin)
    client.post(f"/directory/events/{workshop.pk}/follow-ups/add/", {"text": "A", "status": "open"})
    item = FollowUp.objects.get()
    url = f"/directory/events/{workshop.pk}/follow-ups/{item.pk}/status/"
    assert client.post(url, {"status": "done"}).status_code == 302
    item.refresh_from_db()
    assert item.status == "done"
    assert client.post(url, {"status": "nonsense"}).status_code == 302
    item.refresh_from_db()
    assert item.status == "done"


def test_others_may_not_add_follow_ups(investigator, client_as, workshop):
    data = {"text": "A", "status": "open"}
    response = client_as(investigator).post(
        f"/directory/events/{workshop.pk}/follow-ups/add/", data
    )
    assert response.status_code == 404
    assert not FollowUp.objects.exists()


# Materials


def _upload(client, event, content, name="agenda.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    return client.post(
        f"/directory/events/{event.pk}/materials/add/", {"title": "Agenda", "file": upload}
    )


def test_a_material_is_attached_and_downloaded(node_admin, investigator, client_as, workshop):
    assert _upload(client_as(node_admin), workshop, PDF).status_code == 302
    material = EventMaterial.objects.get()
    assert material.content_type == "application/pdf"
    page = client_as(investigator).get(f"/directory/events/{workshop.pk}/").content.decode()
    assert "Agenda" in page
    response = client_as(investigator).get(
        f"/directory/events/{workshop.pk}/materials/{material.pk}/"
    )
    assert response.status_code == 200 and bytes(response.content) == PDF
    assert {"directory:material:upload", "directory:material:download"} <= set(_tags())


def test_a_material_of_a_refused_type_is_refused_with_a_message(node_admin, client_as, workshop):
    response = _upload(client_as(node_admin), workshop, b"MZ\x90\x00binary", "tool.pdf")
    assert response.status_code == 400
    assert "not accepted" in response.content.decode()
    assert not EventMaterial.objects.exists()


def test_a_material_over_the_limit_is_refused(node_admin, client_as, workshop, settings):
    settings.TIPNET_EVENT_MATERIAL_MAX_MB = 0
    response = _upload(client_as(node_admin), workshop, PDF)
    assert response.status_code == 400
    assert "larger than the limit" in response.content.decode()


def test_a_material_of_another_event_is_not_found(node_admin, client_as, workshop, training):
    _upload(client_as(node_admin), workshop, PDF)
    material = EventMaterial.objects.get()
    url = f"/directory/events/{training.pk}/materials/{material.pk}/"
    assert client_as(node_admin).get(url).status_code == 404


# What an event produced


@pytest.fixture
def case(investigator):
    return do_create_case(investigator, title="Recruitment through the Tashkent workshop")


def test_an_investigator_links_a_case_the_event_produced(investigator, client_as, workshop, case):
    url = f"/directory/events/{workshop.pk}/produced/add/"
    response = client_as(investigator).post(url, {"kind": "case", "reference": case.reference})
    assert response.status_code == 302
    assert EventOutcome.objects.get().object_id == case.pk
    body = client_as(investigator).get(f"/directory/events/{workshop.pk}/").content.decode()
    assert case.reference in body and f'href="/cases/{case.pk}/"' in body


def test_a_linked_case_is_hidden_from_those_who_may_not_open_it(
    investigator, outsider, client_as, workshop, case
):
    client_as(investigator).post(
        f"/directory/events/{workshop.pk}/produced/add/",
        {"kind": "case", "reference": case.reference},
    )
    body = client_as(outsider).get(f"/directory/events/{workshop.pk}/").content.decode()
    assert case.reference not in body and "Recruitment" not in body
    outcome = EventOutcome.objects.get()
    url = f"/directory/events/{workshop.pk}/produced/{outcome.pk}/remove/"
    assert client_as(outsider).post(url).status_code == 404
    assert EventOutcome.objects.exists()


def test_a_case_one_may_not_open_cannot_be_linked(outsider, client_as, workshop, case):
    response = client_as(outsider).post(
        f"/directory/events/{workshop.pk}/produced/add/",
        {"kind": "case", "reference": case.reference},
    )
    assert response.status_code == 400
    assert "No such record that you may open" in response.content.decode()
    assert not EventOutcome.objects.exists()


def test_the_event_page_offers_no_admin_forms_to_readers(investigator, client_as, workshop):
    body = client_as(investigator).get(f"/directory/events/{workshop.pk}/").content.decode()
    assert 'data-testid="follow-up-form"' not in body
    assert 'data-testid="material-form"' not in body
    assert 'data-testid="outcome-form"' in body


def test_a_follow_up_due_yesterday_keeps_its_date(node_admin, client_as, workshop):
    yesterday = timezone.localdate() - timedelta(days=1)
    client_as(node_admin).post(
        f"/directory/events/{workshop.pk}/follow-ups/add/",
        {"text": "Call back", "due_on": yesterday.isoformat(), "status": "in_progress"},
    )
    assert FollowUp.objects.get().due_on == yesterday
