"""The two victim fields the tables count: forms of exploitation and country of exploitation."""

import json

import pytest

from tipnet.victims.models import Victim


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


@pytest.fixture(autouse=True)
def field_key(tmp_path, settings):
    from tipnet.victims import crypto

    settings.TIPNET_FIELD_KEY_FILE = str(tmp_path / "keys" / "field.key")
    crypto._box.cache_clear()
    yield
    crypto._box.cache_clear()


def test_the_api_stores_and_answers_forms_and_country_of_exploitation(caseworker, api_as):
    api = api_as(caseworker)
    data = {"given_name": "Dilnoza", "exploitation_forms": ["labour", "domestic"]}
    response = post(api, "/api/victims/", data | {"exploitation_country": "ae"})
    assert response.status_code == 201, response.content
    assert response.json()["exploitation_forms"] == ["labour", "domestic"]
    assert response.json()["exploitation_country"] == "AE"
    victim = Victim.objects.get(code=response.json()["code"])
    assert (victim.exploitation_forms, victim.exploitation_country) == (
        ["labour", "domestic"],
        "AE",
    )


def test_unknown_forms_or_countries_of_exploitation_are_refused(caseworker, api_as):
    api = api_as(caseworker)
    bad_form = {"given_name": "A", "exploitation_forms": ["piracy"]}
    assert post(api, "/api/victims/", bad_form).status_code == 422
    bad_country = {"given_name": "A", "exploitation_country": "ZZ"}
    assert post(api, "/api/victims/", bad_country).status_code == 422
    assert not Victim.objects.exists()


def test_the_victim_page_shows_the_forms_of_exploitation(caseworker, client):
    from tipnet.victims.actions import do_register_victim

    data = {
        "given_name": "Dilnoza",
        "exploitation_forms": ["begging"],
        "exploitation_country": "KZ",
    }
    victim = do_register_victim(caseworker, data)
    client.force_login(caseworker)
    page = client.get(f"/victims/{victim.code}/").content.decode()
    assert "Begging" in page and "KZ" in page
