"""Hostile strings are stored intact when valid, always rendered escaped, and never a 500."""

import pytest
from django.test import Client

from tipnet.directory.models import Agency, ContactPoint, Event

SCRIPT = "<script>alert(1)</script>"
SQL = "'; DROP TABLE directory_agency; --"
MIXED = "Дильшод Rakhimov دلشاد"


@pytest.mark.parametrize("value", [SCRIPT, SQL, MIXED])
def test_hostile_agency_names_are_stored_intact_and_shown_escaped(
    node_admin, investigator, client_as, value
):
    data = {"country": "UZ", "kind": "ngo", "name_en": value, "name_ru": value}
    response = client_as(node_admin).post("/directory/agencies/new/", data)
    assert response.status_code == 302
    agency = Agency.objects.get()
    assert agency.name_en == value and agency.name_ru == value
    for url in ["/directory/agencies/", f"/directory/agencies/{agency.pk}/"]:
        body = client_as(investigator).get(url, {"q": value[:10]}).content.decode()
        assert SCRIPT not in body
        if value == SCRIPT:
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_hostile_search_strings_are_harmless(investigator, client_as, gpo):
    client = client_as(investigator)
    for value in [SCRIPT, SQL, "%", "_", "\\", MIXED]:
        response = client.get("/directory/contacts/", {"q": value})
        assert response.status_code == 200
        assert SCRIPT not in response.content.decode()
    assert Agency.objects.filter(pk=gpo.pk).exists()


@pytest.mark.parametrize("value", ["Bell\x07name", "Line\nbreak", "Esc\x1b[31m"])
def test_control_characters_in_names_are_refused_clearly(node_admin, client_as, gpo, value):
    data = {"agency": gpo.pk, "name": value, "languages": "uz"}
    response = client_as(node_admin).post("/directory/contacts/new/", data)
    assert response.status_code == 200
    assert "Remove the control characters" in response.content.decode()
    assert ContactPoint.objects.count() == 0


def test_a_nul_character_is_refused_not_a_500(node_admin, client_as, gpo):
    data = {"agency": gpo.pk, "name": "Nul\x00name", "languages": "uz"}
    response = client_as(node_admin).post("/directory/contacts/new/", data)
    assert response.status_code == 200
    assert ContactPoint.objects.count() == 0


def test_a_one_megabyte_field_gets_a_clear_error(node_admin, client_as, dilshod):
    data = {
        "kind": "forum",
        "title": "Forum",
        "starts_on": "2027-03-09",
        "ends_on": "2027-03-11",
        "country": "TH",
        "outcomes": "x" * 1_000_000,
    }
    response = client_as(node_admin).post("/directory/events/new/", data)
    assert response.status_code == 200
    assert "at most 10000 characters" in response.content.decode()
    assert Event.objects.count() == 0


def test_a_one_megabyte_name_gets_a_clear_error(node_admin, client_as, db):
    data = {"country": "UZ", "kind": "ngo", "name_en": "A" * 1_000_000}
    response = client_as(node_admin).post("/directory/agencies/new/", data)
    assert response.status_code == 200
    assert "at most 255 characters" in response.content.decode()
    assert Agency.objects.count() == 0


def test_multiline_outcomes_with_scripts_are_rendered_escaped(
    node_admin, investigator, client_as, db
):
    data = {
        "kind": "forum",
        "title": SCRIPT,
        "starts_on": "2027-03-09",
        "ends_on": "2027-03-11",
        "country": "TH",
        "outcomes": f"{SCRIPT}\n{MIXED}",
    }
    assert client_as(node_admin).post("/directory/events/new/", data).status_code == 302
    event = Event.objects.get()
    assert event.outcomes == f"{SCRIPT}\n{MIXED}"
    body = client_as(investigator).get(f"/directory/events/{event.pk}/").content.decode()
    assert SCRIPT not in body and MIXED in body


@pytest.mark.parametrize(
    "url", ["/directory/agencies/new/", "/directory/contacts/new/", "/directory/events/new/"]
)
def test_write_forms_enforce_csrf(node_admin, url):
    from conftest import login_client

    client = login_client(node_admin)
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = client.cookies
    response = strict.post(url, {"country": "UZ", "kind": "ngo", "name_en": "No token"})
    assert response.status_code == 403
    assert Agency.objects.count() == 0
