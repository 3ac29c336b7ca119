"""The caseworker's page pages its victims, shows their total, costs the same number of
queries for 5 victims as for 60 (no query per victim) and decrypts only what it shows."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tipnet.victims.actions import do_refer, do_register_victim
from tipnet.victims.models import FollowUp
from tipnet.victims.tests.conftest import FAMILY, NAME, consent

pytestmark = pytest.mark.django_db


def _register(caseworker, first: int, count: int) -> None:
    for i in range(first, first + count):
        victim = do_register_victim(
            caseworker, {"given_name": f"Dilnoza {i:03d}", "family_name": "Test", "sex": "female"}
        )
        due = timezone.localdate() + timedelta(days=1)
        FollowUp.objects.create(victim=victim, due_on=due, purpose=f"Call {i:03d}")


def _queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("victims:home"))
    assert response.status_code == 200
    return len(queries), response.text


def test_the_home_page_pages_its_victims_and_shows_their_total(client_as, caseworker):
    _register(caseworker, 0, 60)
    client = client_as(caseworker)
    first = client.get(reverse("victims:home")).text
    second = client.get(reverse("victims:home"), {"page": 2}).text
    assert first.count('data-testid="my-victim"') == 50
    assert second.count('data-testid="my-victim"') == 10
    assert "60 victims" in first and "60 victims" in second
    assert 'data-testid="page-next"' in first
    assert "Page 2 of 2" in second
    # every open follow-up is listed, whatever page of victims is shown
    assert second.count("Call 0") == 60


def test_the_home_page_makes_no_query_per_victim(client_as, caseworker):
    _register(caseworker, 0, 5)
    client = client_as(caseworker)
    client.get(reverse("victims:home"))  # the session and translations settle
    few, _text = _queries(client)
    _register(caseworker, 5, 55)
    many, text = _queries(client)
    assert "Call 059" in text
    assert many == few
    # the session, the user, the second factor, the roles; the count and page of victims; the
    # agency; the follow-ups and the two lists of referrals
    assert few <= 9


def test_a_victim_without_a_name_shows_a_dash_not_a_blank(client_as, caseworker):
    do_register_victim(caseworker, {"given_name": "", "family_name": "", "sex": "female"})
    do_register_victim(caseworker, {"given_name": "Dilnoza", "family_name": "", "sex": "female"})
    page = client_as(caseworker).get(reverse("victims:home")).text
    assert "<td>—</td>" in page and "<td>Dilnoza</td>" in page


def _decrypted(client, monkeypatch) -> tuple[list[str], str]:
    from tipnet.lib import fieldkey

    seen: list[str] = []
    original = fieldkey.decrypt

    def decrypt(token: str) -> str:
        seen.append(original(token))
        return seen[-1]

    monkeypatch.setattr(fieldkey, "decrypt", decrypt)
    text = client.get(reverse("victims:home")).text
    monkeypatch.setattr(fieldkey, "decrypt", original)
    return [s for s in seen if s], text


def test_the_home_page_decrypts_only_what_it_shows(
    client_as, caseworker, shelter_worker, victim, offer, monkeypatch
):
    # `victim` has a phone; the referral a reason; both ends of it see their home page
    consent(victim, caseworker, "assistance")
    referral = do_refer(caseworker, victim, offer, "Needs a safe place")
    FollowUp.objects.create(victim=victim, due_on=timezone.localdate(), purpose="Call 001")
    data = {"given_name": "Madina", "contact_notes": "Chilonzor 7", "sex": "female"}
    do_register_victim(shelter_worker, data)
    seen, text = _decrypted(client_as(caseworker), monkeypatch)
    assert f"{victim.code} · {referral.offer}" in text and "Call 001" in text
    assert sorted(seen) == sorted(["Call 001", NAME, FAMILY])
    seen, text = _decrypted(client_as(shelter_worker), monkeypatch)
    assert f"{victim.code} · " in text and "Madina" in text
    assert seen == ["Madina"]
