"""Police messages between two real nodes (UZ-GPO and KG-GPO, separate processes and databases,
loopback HTTP): each message type in both directions, with a receiver down, a replayed message
and a reply that overtakes the thread's opening."""

import base64
import time
import urllib.error
import urllib.request

import pytest

from tipnet.exchange.tests.nodes import serving_nodes
from tipnet.exchange.tests.nodes import step as run_step
from tipnet.exchange.tests.test_delivery_between_nodes import FAST
from tipnet.exchange.transport import INBOX_PATH

# How the app handles its messages does not depend on the database (PostgreSQL pass only);
# the exchange's own real-node tests run in both passes.
pytestmark = pytest.mark.nodes


@pytest.fixture(scope="module")
def nodes(tmp_path_factory):
    root = tmp_path_factory.mktemp("coop-net")
    with serving_nodes(root, (("UZ-GPO", "UZ"), ("KG-GPO", "KG")), FAST) as running:
        for node in running.values():
            step(node, "ready()")
        yield running


def step(node, call: str) -> dict:
    return run_step(node, "tipnet.cooperation.tests.node_steps", call)


def post(node, wire: bytes) -> int:
    request = urllib.request.Request(node.base_url + INBOX_PATH, data=wire, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - loopback
            return answer.status
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code


def wire_of(node, outbox_id: str) -> bytes:
    return base64.b64decode(step(node, f"wire({outbox_id!r})")["wire"])


def test_a_request_and_its_reply_travel_both_ways_even_with_the_receiver_down(nodes):
    uz, kg = nodes["UZ"], nodes["KG"]
    kg.stop("serve")
    try:
        sent = step(uz, "send('KG-GPO', 'request', 'H1')")
        uz.run("exchange", "run", "--once")
        assert step(uz, f"show({sent['uid']!r})")["messages"][0][2] == "send failed"
    finally:
        kg.serve()
    time.sleep(0.6)
    uz.run("exchange", "run", "--once")
    theirs = step(kg, f"show({sent['uid']!r})")
    assert (theirs["direction"], theirs["kind"], theirs["code"]) == ("incoming", "request", "H1")
    assert theirs["persons"] == ["Malika Tursunova (fictional)"] and theirs["agency"] == "KG-GPO"

    # The same sealed bytes again: acknowledged, applied once.
    assert post(kg, wire_of(uz, sent["outbox"])) == 200
    assert len(step(kg, f"show({sent['uid']!r})")["messages"]) == 1

    step(kg, f"reply({sent['uid']!r}, 'The phone is registered in Osh.')")
    kg.run("exchange", "run", "--once")
    mine = step(uz, f"show({sent['uid']!r})")
    assert [m[:2] for m in mine["messages"]] == [["outgoing", "opening"], ["incoming", "reply"]]
    assert mine["messages"][0][2] == "delivered"


def test_spontaneous_information_waits_for_consent_and_a_reply_that_overtakes_it_is_retried(nodes):
    uz, kg = nodes["UZ"], nodes["KG"]
    sent = step(kg, "send('UZ-GPO', 'spontaneous', 'H2')")
    follow = step(kg, f"reply({sent['uid']!r}, 'She travelled to Tashkent on Monday.')")
    # The follow-up arrives first: refused for a retry, nothing stored.
    assert post(uz, wire_of(kg, follow["outbox"])) == 503
    assert step(uz, f"show({sent['uid']!r})") == {}
    kg.run("exchange", "run", "--once")
    time.sleep(0.6)
    kg.run("exchange", "run", "--once")
    mine = step(uz, f"show({sent['uid']!r})")
    assert [m[1] for m in mine["messages"]] == ["opening", "reply"]
    assert "consent" in step(uz, f"forward_refusal({sent['uid']!r})")["reason"]

    step(uz, f"ask_consent({sent['uid']!r})")
    uz.run("exchange", "run", "--once")
    assert step(kg, f"show({sent['uid']!r})")["consent"] == "requested"
    step(kg, f"answer_consent({sent['uid']!r}, True)")
    kg.run("exchange", "run", "--once")
    assert step(uz, f"show({sent['uid']!r})")["consent"] == "granted"
    assert step(uz, f"forward_refusal({sent['uid']!r})")["reason"] == ""
    assert "intact" in uz.run("exchange", "verify") and "intact" in kg.run("exchange", "verify")
