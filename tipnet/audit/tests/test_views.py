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


def test_the_log_pages_with_its_total_and_keeps_the_filters(node_admin, client_as, settings):
    settings.TIPNET_PAGE_SIZE = 2
    for n in range(4):
        record("test:thing:made", actor=node_admin, n=n)
    client = client_as(node_admin)
    body = client.get("/audit/?tag=test:").content.decode()
    assert "4 events" in body and body.count('data-testid="audit-row"') == 2
    assert 'href="?tag=test%3A&amp;page=2"' in body
    second = client.get("/audit/?tag=test:&actor=&page=2").content.decode()
    assert second.count('data-testid="audit-row"') == 2 and 'rel="prev"' in second


def test_a_long_log_is_counted_a_bounded_distance_ahead(node_admin, client_as, monkeypatch):
    from tipnet.lib.paging import lookahead_page

    for n in range(6):
        record("test:thing:made", actor=node_admin, n=n)
    monkeypatch.setattr(lookahead_page, "__defaults__", (False, 3))
    client = client_as(node_admin)
    bounded = client.get("/audit/?tag=test:").content.decode()
    assert "More than 3 events" in bounded and 'data-testid="count-exact"' in bounded
    exact = client.get("/audit/?tag=test:&count=exact").content.decode()
    assert "6 events" in exact and 'data-testid="count-exact"' not in exact
