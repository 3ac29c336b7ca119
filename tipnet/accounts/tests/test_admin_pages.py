from tipnet.accounts.actions import do_create_token
from tipnet.accounts.models import Agency, ApiToken
from tipnet.audit.models import AuditEvent


def test_a_node_admin_changes_roles_and_disables_a_user(node_admin, investigator, client_as):
    do_create_token(investigator, "script", 30)
    client = client_as(node_admin)
    response = client.post(f"/accounts/users/{investigator.id}/", {"roles": ["prosecutor"]})
    assert response.status_code == 302
    investigator.refresh_from_db()
    assert not investigator.is_active
    assert set(investigator.roles.values_list("role", flat=True)) == {"prosecutor"}
    assert ApiToken.objects.get(user=investigator).revoked_at is not None
    assert AuditEvent.objects.filter(tag="accounts:user:disable").count() == 1
    assert AuditEvent.objects.filter(tag="accounts:user:set_roles").count() == 1


def test_a_node_admin_cannot_disable_themself(node_admin, client_as):
    response = client_as(node_admin).post(
        f"/accounts/users/{node_admin.id}/", {"roles": ["node_admin"]}
    )
    assert response.status_code == 200
    node_admin.refresh_from_db()
    assert node_admin.is_active


def test_editing_a_user_needs_at_least_one_role(node_admin, investigator, client_as):
    client_as(node_admin).post(
        f"/accounts/users/{investigator.id}/", {"roles": [], "is_active": "on"}
    )
    assert set(investigator.roles.values_list("role", flat=True)) == {"investigator"}


def test_a_node_admin_creates_an_agency(node_admin, client_as):
    response = client_as(node_admin).post(
        "/accounts/agencies/", {"code": "UZ-SSS", "name": "Social services"}
    )
    assert response.status_code == 302
    assert Agency.objects.get(code="UZ-SSS").country == "UZ"
    assert AuditEvent.objects.filter(tag="accounts:agency:create").exists()


def test_an_agency_code_must_follow_the_pattern(node_admin, client_as):
    response = client_as(node_admin).post(
        "/accounts/agencies/", {"code": "uz mvd<script>", "name": "x"}
    )
    assert response.status_code == 200
    assert not Agency.objects.filter(name="x").exists()


def test_other_roles_get_404_on_admin_pages(investigator, analyst, client_as):
    for user in (investigator, analyst):
        client = client_as(user)
        assert client.get("/accounts/agencies/").status_code == 404
        assert client.get(f"/accounts/users/{user.id}/").status_code == 404
        assert (
            client.post(f"/accounts/users/{user.id}/", {"roles": ["node_admin"]}).status_code == 404
        )
    assert set(investigator.roles.values_list("role", flat=True)) == {"investigator"}
