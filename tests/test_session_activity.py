"""A signed-in session keeps its idle timeout but is written at most once a minute."""

from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse

from tipnet.middleware import MENU_STAMP, SEEN, TOUCH_SECONDS


def _row(client) -> Session:
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)


def _age_stamp(client, seconds: int) -> None:
    """Pretend the session was last saved `seconds` ago."""
    session = client.session
    session[SEEN] -= seconds
    session.save()


def test_pages_within_a_minute_do_not_write_the_session(investigator, client_as):
    client = client_as(investigator)
    client.get(reverse("home"))
    saved = _row(client).expire_date
    for _ in range(3):
        response = client.get(reverse("directory:index"))
        assert response.status_code == 200
        assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert _row(client).expire_date == saved


def test_a_page_a_minute_later_renews_the_expiry(investigator, client_as):
    client = client_as(investigator)
    client.get(reverse("home"))
    _age_stamp(client, TOUCH_SECONDS)
    before = _row(client).expire_date
    response = client.get(reverse("directory:index"))
    assert settings.SESSION_COOKIE_NAME in response.cookies
    assert _row(client).expire_date > before
    assert client.session[SEEN] > 0


def test_an_idle_session_still_ends(investigator, client_as):
    client = client_as(investigator)
    client.get(reverse("home"))
    Session.objects.filter(pk=_row(client).pk).update(expire_date="2000-01-01T00:00:00Z")
    response = client.get(reverse("directory:index"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_logout_leaves_no_session(investigator, client_as):
    client = client_as(investigator)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("accounts:logout"))
    assert not Session.objects.filter(session_key=key).exists()
    assert not Session.objects.exists()


def test_an_anonymous_visitor_gets_no_session_row(client, db):
    client.get(reverse("accounts:login"))
    client.get(reverse("home"))
    assert not Session.objects.exists()


def test_a_write_changes_the_menu_stamp(investigator, client_as):
    client = client_as(investigator)
    client.get(reverse("home"))
    assert client.session.get(MENU_STAMP, 0) == 0
    client.post(reverse("home"))  # any request that may write counts, whatever it answers
    assert client.session[MENU_STAMP] == 1
    client.get(reverse("home"))
    assert client.session[MENU_STAMP] == 1
