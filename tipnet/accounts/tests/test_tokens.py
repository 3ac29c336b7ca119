import re

from django.test import Client

from tipnet.accounts.models import ApiToken
from tipnet.audit.models import AuditEvent


def test_a_user_creates_a_token_and_sees_it_once(investigator, client_as):
    client = client_as(investigator)
    response = client.post("/accounts/tokens/new/", {"name": "laptop", "days": 30})
    raw = re.search(r'data-testid="raw-token">([^<]+)<', response.content.decode()).group(1)
    token = ApiToken.objects.get(user=investigator)
    assert raw not in token.token_hash and token.hint == raw[:8]
    me = Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/accounts/me")
    assert me.json()["username"] == investigator.username
    assert raw not in client.get("/accounts/profile/").content.decode()
    assert AuditEvent.objects.filter(tag="accounts:token:create").count() == 1


def test_a_revoked_token_no_longer_works(investigator, client_as, api_as):
    api = api_as(investigator)
    token = ApiToken.objects.get(user=investigator)
    client_as(investigator).post(f"/accounts/tokens/{token.id}/revoke/")
    response = api.get("/api/accounts/me")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_a_user_cannot_revoke_another_users_token(investigator, outsider, client_as, api_as):
    api_as(investigator)
    token = ApiToken.objects.get(user=investigator)
    response = client_as(outsider).post(f"/accounts/tokens/{token.id}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_an_invalid_token_form_stores_nothing(investigator, client_as):
    response = client_as(investigator).post("/accounts/tokens/new/", {"name": "", "days": 9999})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()
