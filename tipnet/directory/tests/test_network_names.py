"""Networks are named and described in English, Russian and Uzbek; each reader sees their own
language, English where a translation is missing; forms and API refuse bad names."""

import pytest

from tipnet.audit.models import AuditEvent
from tipnet.directory.actions import do_create_network, do_update_network
from tipnet.directory.models import PractitionerNetwork

NAMES = {
    "en": "CASC — Judicial Cooperation Network for Central Asia and Southern Caucasus",
    "ru": "CASC — Сеть судебного сотрудничества стран Центральной Азии и Южного Кавказа",
    "uz": "CASC — Markaziy Osiyo va Janubiy Kavkaz davlatlarining sud hamkorligi tarmog‘i",
}
DESCRIPTIONS = {
    "en": "A network of prosecutors and central authorities.",
    "ru": "Сеть прокуроров и центральных органов.",
    "uz": "Prokurorlar va markaziy organlar tarmog‘i.",
}


@pytest.fixture
def translated(casc):
    data = {f"name_{lang}": name for lang, name in NAMES.items()}
    data |= {f"description_{lang}": text for lang, text in DESCRIPTIONS.items()}
    return do_update_network(None, casc, data)


def _page(client, url, lang):
    client.cookies["django_language"] = lang
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("lang", ["ru", "uz"])
def test_a_reader_sees_the_network_in_their_language_on_every_page(
    investigator, client_as, translated, gpo, lang
):
    client = client_as(investigator)
    other = {code: name for code, name in NAMES.items() if code != lang}
    pages = {
        "list": "/directory/networks/",
        "detail": "/directory/networks/casc/",
        "agency": f"/directory/agencies/{gpo.pk}/",
        "agency filter": "/directory/agencies/",
        "event filter": "/directory/events/",
    }
    for page, url in pages.items():
        body = _page(client, url, lang)
        assert NAMES[lang] in body, page
        assert not any(name in body for name in other.values()), page
    assert DESCRIPTIONS[lang] in _page(client, "/directory/networks/casc/", lang)


def test_an_event_names_its_network_in_the_readers_language(
    investigator, client_as, translated, workshop
):
    body = _page(client_as(investigator), f"/directory/events/{workshop.pk}/", "ru")
    assert NAMES["ru"] in body and NAMES["en"] not in body


def test_a_network_without_a_translation_is_shown_in_english(investigator, client_as, casc):
    do_update_network(None, casc, {"name_en": NAMES["en"], "name_ru": NAMES["ru"]})
    body = _page(client_as(investigator), "/directory/networks/", "uz")
    assert NAMES["en"] in body and NAMES["ru"] not in body


def test_the_api_gives_every_language_and_the_readers_one(investigator, api_as, translated):
    client = api_as(investigator)
    body = client.get("/api/directory/networks/casc", HTTP_ACCEPT_LANGUAGE="uz").json()
    assert body["name"] == NAMES["uz"] and body["description"] == DESCRIPTIONS["uz"]
    assert (body["name_en"], body["name_ru"], body["name_uz"]) == tuple(NAMES.values())
    assert body["description_ru"] == DESCRIPTIONS["ru"]


def _form(**extra):
    data = {"code": "seajust", "name_en": "SEAJust", "name_ru": "SEAJust", "name_uz": "SEAJust"}
    return data | {"description_en": "", "description_ru": "", "description_uz": ""} | extra


def test_an_admin_creates_and_edits_a_network_on_pages(node_admin, client_as, gpo):
    client = client_as(node_admin)
    response = client.post("/directory/networks/new/", _form(secretariat=gpo.pk))
    assert response.status_code == 302
    network = PractitionerNetwork.objects.get(code="seajust")
    assert network.secretariat == gpo
    response = client.post(
        "/directory/networks/seajust/edit/",
        _form(code="changed", name_ru="SEAJust — Сеть правосудия Юго-Восточной Азии"),
    )
    assert response.status_code == 302
    network.refresh_from_db()
    assert network.code == "seajust"
    assert network.name_ru == "SEAJust — Сеть правосудия Юго-Восточной Азии"
    tags = list(AuditEvent.objects.order_by("seq").values_list("tag", flat=True))
    assert tags[-2:] == ["directory:network:create", "directory:network:update"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name_ru", "Сеть\x00"),
        ("name_uz", "Tarmoq\nikkinchi qator"),
        ("name_en", "\u202eCASC"),
        ("name_uz", "x" * 256),
        ("description_ru", "Описание\x07"),
        ("description_uz", "x" * 10_001),
        ("name_en", ""),
        ("code", "CASC_2"),
        ("code", "casc--2"),
    ],
)
def test_the_form_refuses_control_characters_and_oversized_texts(
    node_admin, client_as, casc, field, value
):
    client = client_as(node_admin)
    response = client.post("/directory/networks/new/", _form(**{field: value}))
    assert response.status_code == 200
    assert f'data-testid="error-{field}"' in response.content.decode()
    if field != "code":
        response = client.post("/directory/networks/casc/edit/", _form(**{field: value}))
        assert f'data-testid="error-{field}"' in response.content.decode()
    assert not PractitionerNetwork.objects.filter(code="seajust").exists()
    casc.refresh_from_db()
    assert casc.name_en == "CASC"


@pytest.mark.parametrize("persona", ["investigator", "analyst", "ca_officer"])
def test_only_node_admins_reach_the_network_forms(request, client_as, casc, persona):
    client = client_as(request.getfixturevalue(persona))
    for url in ["/directory/networks/new/", "/directory/networks/casc/edit/"]:
        assert client.get(url).status_code == 404
        assert client.post(url, _form()).status_code == 404
    assert (
        'data-testid="network-edit"' not in client.get("/directory/networks/casc/").content.decode()
    )
    assert PractitionerNetwork.objects.count() == 1


def _fields(response):
    assert response.status_code == 422
    body = response.json()
    assert body["error"]["code"] == "invalid"
    return [d["field"] for d in body["error"]["details"]]


def test_an_admin_creates_and_changes_a_network_through_the_api(node_admin, api_as, gpo):
    client = api_as(node_admin)
    payload = {"code": "seajust", "name_en": "SEAJust", "name_uz": "SEAJust tarmog‘i"}
    response = client.post("/api/directory/networks", payload | {"secretariat_id": gpo.pk},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 201
    assert response.json()["secretariat"]["id"] == gpo.pk
    response = client.patch(
        "/api/directory/networks/seajust",
        {"name_ru": "SEAJust — Сеть правосудия Юго-Восточной Азии"},
        content_type="application/json",
    )
    assert response.status_code == 200
    network = PractitionerNetwork.objects.get(code="seajust")
    assert (network.name_en, network.name_uz) == ("SEAJust", "SEAJust tarmog‘i")
    assert network.name_ru == "SEAJust — Сеть правосудия Юго-Восточной Азии"
    assert AuditEvent.objects.filter(tag="directory:network:update").count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name_ru", "Сеть\x00"),
        ("name_uz", "Tarmoq\nikkinchi"),
        ("name_en", "x" * 256),
        ("description_uz", "x" * 10_001),
        ("description_ru", "Описание\x1b[31m"),
    ],
)
def test_the_api_refuses_control_characters_and_oversized_texts(
    node_admin, api_as, casc, field, value
):
    client = api_as(node_admin)
    payload = {"code": "seajust", "name_en": "SEAJust", field: value}
    response = client.post("/api/directory/networks", payload, content_type="application/json")
    assert field in _fields(response)
    response = client.patch(
        "/api/directory/networks/casc", {field: value}, content_type="application/json"
    )
    assert field in _fields(response)
    assert PractitionerNetwork.objects.count() == 1
    casc.refresh_from_db()
    assert (casc.name_en, casc.name_ru, casc.description_ru) == ("CASC", "", "")


def test_the_api_refuses_a_taken_code_and_non_admins(node_admin, investigator, api_as, casc):
    payload = {"code": "casc", "name_en": "Another"}
    response = api_as(node_admin).post(
        "/api/directory/networks", payload, content_type="application/json"
    )
    assert _fields(response) == ["code"]
    client = api_as(investigator)
    response = client.post(
        "/api/directory/networks", payload | {"code": "new"}, content_type="application/json"
    )
    assert response.status_code == 404
    response = client.patch(
        "/api/directory/networks/casc", {"name_ru": "Сеть"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert PractitionerNetwork.objects.get().name_ru == ""


def test_a_network_created_with_translations_keeps_them(db):
    network = do_create_network(None, {"code": "x", "name_en": "X", "name_uz": "X tarmog‘i"})
    assert network.name_uz == "X tarmog‘i" and network.name_ru == ""
