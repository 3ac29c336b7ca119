"""Every API error has one shape: {"error": {"code", "message", "details"}}."""

from django.test import Client

from tipnet import api as api_module
from tipnet.accounts import api as accounts_api


def _assert_shape(response, status, code):
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert isinstance(body["error"]["details"], list)
    return body["error"]


def test_a_request_without_a_token_gets_401(db):
    _assert_shape(Client().get("/api/accounts/me"), 401, "unauthenticated")


def test_a_forged_token_gets_401(db):
    forged = Client(headers={"Authorization": "Bearer tpn_" + "A" * 43})
    _assert_shape(forged.get("/api/accounts/me"), 401, "unauthenticated")


def test_an_unknown_path_gets_404_in_the_same_shape(investigator, api_as):
    _assert_shape(api_as(investigator).get("/api/no-such-thing"), 404, "not_found")


def test_a_server_error_gets_500_in_the_same_shape(investigator, api_as, monkeypatch):
    def explode(user):
        raise RuntimeError("boom")

    monkeypatch.setattr(accounts_api, "me_payload", explode)
    error = _assert_shape(api_as(investigator).get("/api/accounts/me"), 500, "server_error")
    assert "boom" not in error["message"]


def test_too_many_requests_get_429(investigator, api_as, monkeypatch):
    monkeypatch.setattr(api_module.api.throttle[0], "num_requests", 2)
    client = api_as(investigator)
    assert client.get("/api/accounts/me").status_code == 200
    assert client.get("/api/accounts/me").status_code == 200
    _assert_shape(client.get("/api/accounts/me"), 429, "throttled")


def test_the_openapi_document_and_docs_are_served(db):
    spec = Client().get("/api/openapi.json").json()
    assert "/api/accounts/me" in spec["paths"]
    assert Client().get("/api/docs").status_code == 200
