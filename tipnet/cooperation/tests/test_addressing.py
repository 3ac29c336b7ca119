"""Addressing a police message to an agency on a node, and routing it there on arrival."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import make_user
from tipnet.cooperation import actions, link
from tipnet.cooperation.inbound import receive_message
from tipnet.cooperation.models import Thread
from tipnet.directory.models import Agency as DirectoryAgency
from tipnet.directory.models import Country
from tipnet.exchange.envelope import Message as Envelope
from tipnet.exchange.models import OutboxMessage

from .conftest import arrive, opening

AE_POLICE = "Dubai Police General Headquarters"


@pytest.fixture
def dubai_police(db):
    """A police agency the directory lists in the UAE, which runs no node of its own."""
    country = Country.objects.get(code="AE")
    return DirectoryAgency.objects.create(country=country, kind="police", name_en=AE_POLICE)


def test_the_new_message_form_offers_the_agencies_of_each_node(
    client, network, officer, dubai_police
):
    client.force_login(officer)
    page = client.get(reverse("cooperation:new")).content.decode()
    assert f'value="AE-MOJ/{AE_POLICE}"' in page and 'value="AE-MOJ"' in page


def test_a_message_to_an_agency_carries_it_on_the_wire(network, officer, case, dubai_police):
    thread = actions.do_send(
        officer, case, kind="request", recipient=f"AE-MOJ/{AE_POLICE}", subject="Club owner"
    )
    assert (thread.counterpart_node, thread.counterpart_agency) == ("AE-MOJ", AE_POLICE)
    outbox = OutboxMessage.objects.get(message_id=thread.messages.get().outbox_id)
    assert outbox.recipient == "AE-MOJ"
    assert OutboxMessage.objects.filter(type=link.MESSAGE).count() == 1
    assert thread.counterpart_agency in json.dumps(
        actions._payload(thread, thread.messages.get(), [])
    )


def test_an_agency_the_directory_does_not_place_on_the_node_is_refused(
    network, officer, case, dubai_police
):
    with pytest.raises(ValidationError, match="not an agency the directory lists") as refused:
        actions.do_send(
            officer, case, kind="request", recipient="KG-GPO", agency=AE_POLICE, subject="s"
        )
    assert "recipient" in refused.value.message_dict
    assert not Thread.objects.exists() and not OutboxMessage.objects.exists()


def test_an_opening_goes_to_the_inbox_of_the_agency_it_names(network, officer, uz_mvd):
    police = make_user("mvd_investigator", uz_mvd, "investigator")
    thread = arrive(opening("H2", to_agency="Ministry of Internal Affairs")).thread
    assert thread.agency == uz_mvd
    assert thread.agency_id == police.agency_id != officer.agency_id


def test_an_opening_for_an_agency_not_on_this_node_is_refused_back_to_the_sender(network, officer):
    payload = opening("H2", to_agency="State Customs Committee")
    receive_message(
        Envelope(type=link.MESSAGE, sender="KG-GPO", recipient="UZ-GPO", payload=payload)
    )
    assert not Thread.objects.exists()
    refusal = OutboxMessage.objects.get(type=link.REFUSAL)
    assert refusal.recipient == "KG-GPO" and refusal.conversation_id == payload["thread"]


def test_the_sender_sees_the_refusal_and_its_reason(client, network, officer, case):
    thread = actions.do_send(officer, case, kind="request", recipient="KG-GPO", subject="s")
    reason = "no agency named 'Customs' receives police messages on node KG-GPO"
    refusal = {
        "schema": link.SCHEMA,
        "thread": str(thread.uid),
        "message": "0b8e4d3c-0000-4000-8000-000000000009",
        "kind": "refused",
        "body": reason,
    }
    arrive(refusal, message_type=link.REFUSAL)
    arrive(refusal, message_type=link.REFUSAL)
    thread.refresh_from_db()
    assert thread.is_closed and thread.messages.filter(kind="refused").count() == 1
    client.force_login(officer)
    page = client.get(reverse("cooperation:thread", args=[thread.pk])).content.decode()
    assert "refused by the receiving node" in page and "receives police messages" in page
