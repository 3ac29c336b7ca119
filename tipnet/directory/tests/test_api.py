"""The directory's JSON API: lists, filters, pagination, details, admin-only creation, errors."""

import pytest
from django.test import Client

from tipnet.audit.models import AuditEvent
from tipnet.directory.models import Agency, ContactPoint, Event


def _error(response, status, code):
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == code
    assert isinstance(body["error"]["details"], list)
    return body["error"]


def test_a_request_without_a_token_gets_401(db):
    for path in ["agencies", "contacts", "events", "networks", "guides", "countries"]:
        _error(Client().get(f"/api/directory/{path}"), 401, "unauthenticated")


def test_it_lists_countries_from_pycountry_with_translated_names(investigator, api_as):
    body = api_as(investigator).get("/api/directory/countries", {"q": "uzbek"}).json()
    assert body["count"] == 1
    uz = body["items"][0]
    assert (uz["code"], uz["alpha3"], uz["name_ru"]) == ("UZ", "UZB", "Узбекистан")
    assert uz["name_uz"].startswith("O") and "zbekiston" in uz["name_uz"]


def test_it_returns_one_country(investigator, api_as):
    assert api_as(investigator).get("/api/directory/countries/tr").json()["alpha3"] == "TUR"


def test_it_lists_and_filters_agencies(investigator, api_as, gpo, kg_police, casc, uz_ngo):
    client = api_as(investigator)
    assert client.get("/api/directory/agencies").json()["count"] == 3
    assert client.get("/api/directory/agencies", {"country": "kg"}).json()["count"] == 1
    assert client.get("/api/directory/agencies", {"kind": "ngo"}).json()["count"] == 1
    assert client.get("/api/directory/agencies", {"network": "casc"}).json()["count"] == 2
    found = client.get("/api/directory/agencies", {"q": "ПРОКУРАТУРА"}).json()
    assert [a["node_id"] for a in found["items"]] == ["UZ-GPO"]


def test_it_paginates_with_limit_and_offset(investigator, api_as, uz, settings):
    Agency.objects.bulk_create(
        Agency(country=uz, kind="ngo", name_en=f"NGO {i:02}") for i in range(7)
    )
    client = api_as(investigator)
    body = client.get("/api/directory/agencies", {"limit": 3, "offset": 6}).json()
    assert body["count"] == 7 and [a["name_en"] for a in body["items"]] == ["NGO 06"]


def test_a_limit_above_the_page_size_is_a_422(investigator, api_as, settings, db):
    limit = settings.TIPNET_PAGE_SIZE + 1
    response = api_as(investigator).get("/api/directory/agencies", {"limit": limit})
    error = _error(response, 422, "invalid")
    assert error["details"][0]["field"].endswith("limit")


def test_an_unknown_filter_value_is_a_422_in_the_error_shape(investigator, api_as, db):
    response = api_as(investigator).get("/api/directory/agencies", {"kind": "pirates"})
    _error(response, 422, "invalid")


def test_the_agency_detail_has_contacts_and_networks(investigator, api_as, gpo, dilshod, casc):
    body = api_as(investigator).get(f"/api/directory/agencies/{gpo.pk}").json()
    assert body["name_local"] == "O‘zbekiston Respublikasi Bosh prokuraturasi"
    assert [c["phone"] for c in body["contact_points"]] == ["+998712000101"]
    assert [n["code"] for n in body["networks"]] == ["casc"]


@pytest.mark.parametrize(
    "path", ["agencies/999999", "contacts/999999", "events/999999", "networks/nope", "guides/ZZ"]
)
def test_an_unknown_id_is_404_in_the_error_shape(investigator, api_as, db, path):
    _error(api_as(investigator).get(f"/api/directory/{path}"), 404, "not_found")


def test_it_filters_contacts_like_the_page(investigator, api_as, dilshod, aibek, malika, casc):
    client = api_as(investigator)

    def names(**query):
        return sorted(
            c["name"] for c in client.get("/api/directory/contacts", query).json()["items"]
        )

    assert names(language="ky") == ["Айбек Жумабаев"]
    assert names(country="UZ", language="en") == ["Malika Tursunova", "Дильшод Рахимов"]
    assert names(is_24_7="true") == ["Дильшод Рахимов"]
    assert names(kind="ngo") == ["Malika Tursunova"]
    assert names(network="casc") == ["Айбек Жумабаев", "Дильшод Рахимов"]
    detail = client.get(f"/api/directory/contacts/{aibek.pk}").json()
    assert detail["agency"]["country"] == "KG" and detail["languages"] == ["ky", "ru"]


def test_it_lists_networks_and_their_members(investigator, api_as, casc):
    client = api_as(investigator)
    assert [n["code"] for n in client.get("/api/directory/networks").json()["items"]] == ["casc"]
    members = client.get("/api/directory/networks/casc").json()["members"]
    assert sorted(m["agency"]["country"] for m in members) == ["KG", "UZ"]


def test_it_serves_country_guides_with_sourced_entries(investigator, api_as, guide):
    client = api_as(investigator)
    assert client.get("/api/directory/guides", {"country": "uz"}).json()["count"] == 1
    body = client.get("/api/directory/guides/UZ").json()
    assert body["accepted_languages"] == ["uz", "ru"]
    assert {(e["source"], e["is_verified"]) for e in body["entries"]} == {
        ("Minsk Convention 1993", False),
        ("UNODC SHERLOC", True),
    }


def test_it_lists_filters_and_details_events(investigator, api_as, workshop, training):
    client = api_as(investigator)
    assert client.get("/api/directory/events").json()["count"] == 2
    assert client.get("/api/directory/events", {"year": 2026}).json()["count"] == 1
    assert client.get("/api/directory/events", {"network": "casc"}).json()["count"] == 1
    assert client.get("/api/directory/events", {"kind": "training"}).json()["count"] == 1
    assert client.get("/api/directory/events", {"period": "upcoming"}).json()["count"] == 0
    body = client.get(f"/api/directory/events/{workshop.pk}").json()
    assert body["network"] == "casc" and body["outcomes"] == "A checklist was agreed."
    assert {(p["name"], p["country"], p["role"]) for p in body["participants"]} == {
        ("Дильшод Рахимов", "UZ", "Speaker"),
        ("Айбек Жумабаев", "KG", "Participant"),
    }


AGENCY = {"country": "TR", "kind": "police", "name_en": "Emniyet", "local_language": "tr"}


@pytest.mark.parametrize(
    ("path", "payload"),
    [
        ("agencies", AGENCY),
        ("contacts", {"agency_id": 1, "name": "X"}),
        ("events", {"kind": "forum", "title": "X", "starts_on": "2027-01-01",
                    "ends_on": "2027-01-02", "country": "TH"}),
    ],
)  # fmt: skip
def test_only_node_admins_may_create_others_get_404(investigator, api_as, db, path, payload):
    response = api_as(investigator).post(
        f"/api/directory/{path}", payload, content_type="application/json"
    )
    _error(response, 404, "not_found")
    assert Agency.objects.count() == 0 and Event.objects.count() == 0


def test_an_admin_creates_an_agency_through_the_api(node_admin, api_as, casc):
    client = api_as(node_admin)
    before = AuditEvent.objects.count()
    response = client.post(
        "/api/directory/agencies", AGENCY | {"networks": ["casc"]}, content_type="application/json"
    )
    assert response.status_code == 201
    [network] = response.json()["networks"]
    assert (network["code"], network["name"], network["name_en"]) == ("casc", "CASC", "CASC")
    tags = list(AuditEvent.objects.filter(seq__gt=before).values_list("tag", flat=True))
    assert tags == ["directory:agency:create"]


def test_an_admin_creates_a_contact_with_an_e164_phone(node_admin, api_as, gpo):
    payload = {
        "agency_id": gpo.pk,
        "name": "Nodira",
        "languages": ["UZ", "ru"],
        "phone": "71 200 01 09",
    }
    response = api_as(node_admin).post(
        "/api/directory/contacts", payload, content_type="application/json"
    )
    assert response.status_code == 201
    assert (response.json()["phone"], response.json()["languages"]) == (
        "+998712000109",
        ["uz", "ru"],
    )


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"languages": ["xx"]}, "languages"),
        ({"phone": "12"}, "phone"),
        ({"name": "Bell\x07"}, "name"),
        ({"name": "A" * 1_000}, "name"),
        ({"email": "x" * 300}, "email"),
    ],
)
def test_an_invalid_contact_is_a_422_naming_the_field(node_admin, api_as, gpo, payload, field):
    body = {"agency_id": gpo.pk, "name": "Nodira"} | payload
    client = api_as(node_admin)
    response = client.post("/api/directory/contacts", body, content_type="application/json")
    error = _error(response, 422, "invalid")
    assert field in [d["field"] for d in error["details"]]
    assert ContactPoint.objects.count() == 0


def test_an_admin_creates_an_event_with_participants(node_admin, api_as, dilshod, aibek):
    payload = {
        "kind": "forum",
        "title": "<script>alert(1)</script>",
        "starts_on": "2027-03-09",
        "ends_on": "2027-03-11",
        "country": "th",
        "network": None,
        "participants": [
            {"contact_point_id": dilshod.pk, "role": "Speaker"},
            {"contact_point_id": aibek.pk},
        ],
    }
    client = api_as(node_admin)
    response = client.post("/api/directory/events", payload, content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert body["title"] == "<script>alert(1)</script>" and len(body["participants"]) == 2


def test_an_event_that_ends_before_it_starts_is_a_422(node_admin, api_as, db):
    payload = {"kind": "forum", "title": "X", "starts_on": "2027-03-09", "ends_on": "2027-03-01"}
    client = api_as(node_admin)
    response = client.post(
        "/api/directory/events", payload | {"country": "TH"}, content_type="application/json"
    )
    assert _error(response, 422, "invalid")["details"][0]["field"] == "ends_on"
    assert Event.objects.count() == 0


def test_unknown_participants_are_a_422(node_admin, api_as, db):
    payload = {
        "kind": "forum",
        "title": "X",
        "starts_on": "2027-03-09",
        "ends_on": "2027-03-10",
        "country": "TH",
        "participants": [{"contact_point_id": 987654}],
    }
    client = api_as(node_admin)
    response = client.post("/api/directory/events", payload, content_type="application/json")
    _error(response, 422, "invalid")
    assert Event.objects.count() == 0


def test_the_openapi_document_describes_every_directory_endpoint(db):
    paths = Client().get("/api/openapi.json").json()["paths"]
    for path in ["countries", "agencies", "contacts", "networks", "guides", "events"]:
        assert f"/api/directory/{path}" in paths


def test_a_malformed_guide_country_filter_is_a_422(investigator, api_as, db):
    _error(api_as(investigator).get("/api/directory/guides", {"country": "UZB"}), 422, "invalid")
