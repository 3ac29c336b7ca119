"""The demo network's hand-over: round 1 on the Uzbek node sends one victim to Kyrgyzstan."""

# ruff: noqa: F811 - pytest fixtures imported from the exchange's conftest are parameters.

import pytest

from conftest import make_user
from tipnet.directory import demo as directory_demo
from tipnet.exchange import envelope
from tipnet.exchange.models import OutboxMessage
from tipnet.exchange.tests.conftest import network  # noqa: F401 - fixture
from tipnet.victims import demo

pytestmark = pytest.mark.django_db


def test_round_one_hands_a_victim_over_to_the_kyrgyz_service_once(network, uz_ngo, settings):
    settings.TIPNET_NODE_COUNTRY = "UZ"
    directory_demo.load()
    make_user("caseworker", uz_ngo, "caseworker")
    first = demo.network_round(1)
    assert first.startswith("hand-over of V-") and first.endswith("sent to KG-GPO")
    assert demo.network_round(1) == "already handed over"
    assert demo.network_round(2) == ""
    sent = OutboxMessage.objects.get(type="victims.hand_over")
    parts = envelope.parse(bytes(sent.wire))
    body = envelope.decrypt(parts, network.peers["KG-GPO"].encryption).payload
    assert body["receiving_service"]["name"] == demo.RETURN_SERVICE
    assert body["identity"]["family_name"] == "Toktosunova"
    assert "phone" not in body["identity"]
