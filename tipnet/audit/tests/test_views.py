from tipnet.audit.actions import record
from tipnet.audit.models import AuditEvent


def test_a_node_admin_reads_the_log_and_the_read_is_logged(node_admin, client_as):
    record("test:thing:made", actor=node_admin)
    response = client_as(node_admin).get("/audit/")
    assert response.status_code == 200
    assert "test:thing:made" in response.content.decode()
    assert AuditEvent.objects.filter(tag="audit:event:list", actor=node_admin.username).exists()


def test_the_log_filters_by_tag(node_admin, client_as):
    record("test:thing:made", actor=node_admin)
    record("other:thing:made", actor=node_admin)
    body = client_as(node_admin).get("/audit/?tag=other:").content.decode()
    assert "other:thing:made" in body and "test:thing:made" not in body


def test_others_get_404(investigator, analyst, client_as):
    for user in (investigator, analyst):
        assert client_as(user).get("/audit/").status_code == 404
    assert not AuditEvent.objects.filter(tag="audit:event:list").exists()


def test_a_filter_with_a_nul_character_is_read_without_it(node_admin, client_as):
    record("test:thing:made", actor=node_admin)
    response = client_as(node_admin).get("/audit/?tag=test%00:&actor=%00")
    assert response.status_code == 200
    assert "test:thing:made" in response.content.decode()
    assert AuditEvent.objects.filter(tag="audit:event:list", detail__tag_filter="test:").exists()
