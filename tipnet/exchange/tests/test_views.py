import pytest

from tipnet.exchange import log
from tipnet.exchange.actions import do_give_up, do_queue_message
from tipnet.exchange.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_the_message_log_alerts_the_sender_to_a_message_not_delivered(
    network, node_admin, client_as
):
    outbox = do_queue_message(None, "exchange.ping", "KG-GPO", {"n": 1})
    do_give_up(outbox, "no receipt after 86400 s; last error: timed out")
    page = client_as(node_admin).get("/exchange/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="not-delivered-alert"' in html and str(outbox.message_id) in html
    assert OutboxMessage.objects.get().state == "not_delivered"


def test_the_message_log_lists_waiting_messages_and_log_records(network, ca_officer, client_as):
    do_queue_message(None, "exchange.ping", "AE-MOJ", {"n": 1})
    html = client_as(ca_officer).get("/exchange/").content.decode()
    assert html.count('data-testid="outbox-row"') == 1
    assert html.count('data-testid="log-row"') == 1


def test_the_message_log_is_not_found_for_an_investigator(network, investigator, client_as):
    assert client_as(investigator).get("/exchange/").status_code == 404


def test_the_message_log_asks_an_anonymous_visitor_to_log_in(network, client):
    assert client.get("/exchange/").status_code == 302


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", "signature does not verify"),
        ("ru", "подпись не проходит проверку"),
        ("uz", "imzo tekshiruvdan o‘tmaydi"),
    ],
)
def test_the_message_log_says_why_a_message_was_refused_in_words(
    network, node_admin, client_as, language, words
):
    log.append("rejected", "m-1", "exchange.ping", "KG-GPO", reason="bad_signature")
    page = client_as(node_admin).get("/exchange/", headers={"accept-language": language})
    assert f'data-testid="log-reason">{words}</span>' in page.content.decode()


def test_the_message_log_shows_its_total_and_pages(network, ca_officer, client_as, settings):
    settings.TIPNET_PAGE_SIZE = 2
    for n in range(3):
        do_queue_message(None, "exchange.ping", "AE-MOJ", {"n": n})
    client = client_as(ca_officer)
    html = client.get("/exchange/").content.decode()
    assert "3 entries" in html and html.count('data-testid="log-row"') == 2
    assert 'href="?page=2"' in html
    assert client.get("/exchange/?page=2").content.decode().count('data-testid="log-row"') == 1
