"""The receiving service lists the hand-overs sent to it, acknowledges one and takes it over."""

# ruff: noqa: F811 - pytest fixtures imported from the exchange's conftest are parameters.

import uuid
from datetime import date

import pytest
from django.urls import reverse

from tipnet.audit.models import AuditEvent
from tipnet.exchange.tests.conftest import network  # noqa: F401 - fixture
from tipnet.victims.hand_overs import do_receive_hand_over
from tipnet.victims.models import IncomingHandOver, Victim

pytestmark = pytest.mark.django_db

IDENTITY = {
    "given_name": "Aigerim",
    "family_name": "Toktosunova",
    "sex": "female",
    "birth_year": 1999,
    "nationality": "UZ",
}


def _arrive(shelter_dir, code: str = "V-0A1B2C3D") -> IncomingHandOver:
    body = {
        "type": "victims.hand_over",
        "code": code,
        "status": "identified",
        "receiving_service": {"id": 999, "name": shelter_dir.name_en},
        "return": {
            "from_country": "AE",
            "to_country": "UZ",
            "travel_documents": "Certificate of return",
            "escort": "",
            "reception_point": "Tashkent airport",
            "shelter_on_arrival": "",
            "travel_on": date.today().isoformat(),
        },
        "identity": IDENTITY,
        "assistance": {"services": [], "open_goals": ["Find work near home"]},
    }
    return do_receive_hand_over(str(uuid.uuid4()), "AE-MOJ", body)


@pytest.fixture
def incoming(network, shelter_dir) -> IncomingHandOver:
    return _arrive(shelter_dir)


def test_the_list_shows_its_total_and_pages(
    network, shelter_dir, shelter_worker, client_as, settings
):
    settings.TIPNET_PAGE_SIZE = 2
    for n in range(3):
        _arrive(shelter_dir, f"V-0A1B2C3{n}")
    client = client_as(shelter_worker)
    page = client.get(reverse("victims:hand_overs")).content.decode()
    assert "3 hand-overs" in page and page.count('data-testid="hand-over-row"') == 2
    assert 'href="?page=2"' in page
    second = client.get(reverse("victims:hand_overs") + "?page=2").content.decode()
    assert second.count('data-testid="hand-over-row"') == 1


def test_the_receiving_caseworker_lists_it_and_others_do_not(
    incoming, shelter_worker, caseworker, client_as
):
    page = client_as(shelter_worker).get(reverse("victims:hand_overs")).content.decode()
    assert (
        'data-testid="hand-over-row"' in page and "V-0A1B2C3D" in page and "to acknowledge" in page
    )
    other = client_as(caseworker)
    assert "V-0A1B2C3D" not in other.get(reverse("victims:hand_overs")).content.decode()
    url = reverse("victims:take_over_hand_over", args=[incoming.pk])
    assert other.post(url).status_code == 404
    assert not Victim.objects.filter(agency=shelter_worker.agency).exists()


def test_it_is_taken_over_once_after_the_reception_is_acknowledged(
    incoming, shelter_worker, client_as
):
    client = client_as(shelter_worker)
    take_over = reverse("victims:take_over_hand_over", args=[incoming.pk])
    refused = client.post(take_over, follow=True).content.decode()
    assert "Acknowledge the reception before" in refused
    assert not Victim.objects.exists()
    acknowledged = client.post(
        reverse("victims:acknowledge_hand_over", args=[incoming.pk]), follow=True
    )
    assert "Reception acknowledged" in acknowledged.content.decode()
    done = client.post(take_over, follow=True)
    victim = Victim.objects.get(agency=shelter_worker.agency)
    assert (victim.given_name, victim.family_name, victim.status) == (
        "Aigerim",
        "Toktosunova",
        "identified",
    )
    assert [g.text for g in victim.goals.all()] == ["Find work near home"]
    assert f"recorded here as {victim.code}" in done.content.decode()
    assert AuditEvent.objects.filter(tag="victims:hand_over:take_over").count() == 1
    again = client.post(take_over, follow=True).content.decode()
    assert "already taken over" in again
    assert Victim.objects.count() == 1
