"""The API refuses in the request's language (Accept-Language), always in the one error shape."""

import pytest

from tipnet.directory.actions import do_create_network
from tipnet.mla.actions import do_add_bilateral_treaty

pytestmark = pytest.mark.django_db


def _refusal(response, status: int) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    return body["error"]


def _post(client, url: str, payload: dict, language: str):
    return client.post(
        url, payload, content_type="application/json", headers={"accept-language": language}
    )


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "A network with this code exists."),
        ("ru", "Сеть с таким кодом уже существует."),
        ("uz", "Bunday kodli tarmoq allaqachon mavjud."),
    ],
)
def test_a_directory_refusal_names_the_field_in_the_request_s_language(
    node_admin, api_as, language, message
):
    do_create_network(None, {"code": "casc", "name_en": "CASC"})
    payload = {"code": "casc", "name_en": "Another"}
    error = _refusal(_post(api_as(node_admin), "/api/directory/networks", payload, language), 422)
    assert error["code"] == "invalid"
    assert error["details"] == [{"field": "code", "message": message}]


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "A treaty with this code exists."),
        ("ru", "Договор с таким кодом уже существует."),
        ("uz", "Bunday kodli shartnoma allaqachon mavjud."),
    ],
)
def test_an_mla_refusal_is_in_the_request_s_language(node_admin, api_as, language, message):
    treaty = {"code": "kz-ae-test", "states": ["KZ", "AE"], "title": "KZ-AE (fictional)"}
    treaty |= {"source": "test", "languages": ["en"], "channels": ["central_authority"]}
    do_add_bilateral_treaty(None, **treaty)
    response = _post(api_as(node_admin), "/api/mla/treaties/bilateral", treaty, language)
    error = _refusal(response, 409)
    assert (error["code"], error["message"]) == ("conflict", message)


@pytest.mark.parametrize(
    ("language", "message"),
    [("ru", "Файл не является корректным base64."), ("uz", "Fayl yaroqli base64 emas.")],
)
def test_a_cooperation_refusal_is_in_the_request_s_language(
    investigator, api_as, language, message
):
    payload = {"kind": "request", "recipient": "KG-MVD", "subject": "Passport check"}
    payload["files"] = [{"filename": "scan.pdf", "content_base64": "not base64!"}]
    response = _post(api_as(investigator), "/api/cooperation/threads", payload, language)
    error = _refusal(response, 422)
    assert error["details"] == [{"field": "files", "message": message}]


@pytest.mark.parametrize(
    ("language", "required", "too_long"),
    [
        ("en", "This field is required.", "Use at most 255 characters."),
        ("ru", "Это поле обязательно.", "Введите не более 255 символов."),
        ("uz", "Bu maydon to‘ldirilishi shart.", "Ko‘pi bilan 255 ta belgi kiriting."),
    ],
)
def test_a_schema_refusal_is_in_the_request_s_language(
    node_admin, api_as, language, required, too_long
):
    payload = {"country": "UZ", "name_en": "x" * 256}
    response = _post(api_as(node_admin), "/api/directory/agencies", payload, language)
    details = {d["field"]: d["message"] for d in _refusal(response, 422)["details"]}
    assert details == {"kind": required, "name_en": too_long}


def test_a_validator_s_own_words_come_without_pydantic_s_prefix(node_admin, api_as):
    payload = {"country": "UZ", "kind": "police", "name_en": "two\nlines"}
    response = _post(api_as(node_admin), "/api/directory/agencies", payload, "ru")
    [detail] = _refusal(response, 422)["details"]
    assert detail["field"] == "name_en"
    assert detail["message"].startswith("Удалите управляющие символы (U+000A)")


def test_an_agency_is_named_in_the_request_s_language_beside_every_name(investigator, api_as):
    from tipnet.directory.actions import do_create_agency
    from tipnet.directory.models import Country

    names = {"name_en": "Prosecutor General's Office of the Kyrgyz Republic"}
    names |= {"name_ru": "Генеральная прокуратура Кыргызской Республики"}
    names |= {"name_uz": "Qirg‘iziston Respublikasi Bosh prokuraturasi"}
    country = Country.objects.get(code="KG")
    agency = do_create_agency(None, {"country": country, "kind": "prosecutor", **names})
    client = api_as(investigator)
    for language, field in [("en", "name_en"), ("ru", "name_ru"), ("uz", "name_uz")]:
        url = f"/api/directory/agencies/{agency.pk}"
        body = client.get(url, headers={"accept-language": language}).json()
        assert body["name"] == names[field] and body["name_uz"] == names["name_uz"], language
        listed = client.get(
            "/api/directory/agencies?country=KG", headers={"accept-language": language}
        )
        assert [a["name"] for a in listed.json()["items"]] == [names[field]], language
