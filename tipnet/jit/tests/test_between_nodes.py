"""A parallel investigation between two real nodes: every jit message type travels, in both
directions, and survives a receiver that is down, a replayed message and a withdrawal that
overtakes its item.

UZ-GPO and AE-MOJ run as separate processes with their own databases; the steps on each node run
in that node's process (`tipnet shell -c`, see link_steps.py), and each node's exchange worker
carries the messages over loopback HTTP.
"""

import base64
import urllib.request
from datetime import date, timedelta

import pytest

from tipnet.jit.tests.conftest import carry, serve, step

# How the app handles its messages does not depend on the database (PostgreSQL pass only);
# the exchange's own real-node tests run in both passes.
pytestmark = pytest.mark.nodes


# After the agreements' end (link_steps: 335 days from today), so that each extends it.
FIRST_EXTENSION = (date.today() + timedelta(days=400)).isoformat()
SECOND_EXTENSION = (date.today() + timedelta(days=500)).isoformat()


@pytest.fixture
def nodes(jit_nodes):
    return jit_nodes


def in_force(uz, ae, cases) -> str:
    uid = step(uz, f"propose({cases['UZ']}, 'AE-MOJ')")["uid"]
    carry(uz)
    step(ae, f"do({uid!r}, 'attach_case', {cases['AE']})")
    step(ae, f"do({uid!r}, 'sign')")
    carry(ae)
    return uid


def test_the_agreement_its_signatures_and_the_workspace_travel_both_ways(nodes):
    uz, ae, cases = nodes
    uid = step(uz, f"propose({cases['UZ']}, 'AE-MOJ')")["uid"]
    carry(uz)
    theirs = step(ae, f"show({uid!r})")
    assert (theirs["state"], theirs["signed"]) == ("proposed", ["UZ-GPO:v1"])

    # Dubai amends; both sign version 2 and it comes into force on both nodes.
    step(ae, f"do({uid!r}, 'amend', 'Convict the whole chain, financiers too.')")
    step(ae, f"do({uid!r}, 'attach_case', {cases['AE']})")
    step(ae, f"do({uid!r}, 'sign')")
    carry(ae)
    mine = step(uz, f"do({uid!r}, 'sign')")
    carry(uz)
    theirs = step(ae, f"show({uid!r})")
    assert mine["state"] == theirs["state"] == "in_force"
    assert mine["sha256"] == theirs["sha256"] and mine["version"] == 2
    assert {"UZ-GPO:v2", "AE-MOJ:v2"} <= set(theirs["signed"]) & set(mine["signed"])

    # Each shares its suspects: one chain of three roles from two countries on both nodes.
    step(uz, f"do({uid!r}, 'share_all')")
    carry(uz)
    step(ae, f"do({uid!r}, 'share_all')")
    step(ae, f"do({uid!r}, 'extend', {FIRST_EXTENSION!r})")
    carry(ae)
    chain = ["exploiter@AE-MOJ", "recruiter@UZ-GPO", "transporter@UZ-GPO"]
    mine, theirs = step(uz, f"show({uid!r})"), step(ae, f"show({uid!r})")
    assert mine["chain"] == theirs["chain"] == chain
    assert mine["state"] == "extended" and mine["extended_until"] == FIRST_EXTENSION

    # Withdrawals both ways: gone on every node.
    step(uz, f"do({uid!r}, 'withdraw', 'transporter')")
    step(uz, f"do({uid!r}, 'extend', {SECOND_EXTENSION!r})")
    carry(uz)
    step(ae, f"do({uid!r}, 'withdraw', 'exploiter')")
    carry(ae)
    mine, theirs = step(uz, f"show({uid!r})"), step(ae, f"show({uid!r})")
    assert mine["chain"] == theirs["chain"] == ["recruiter@UZ-GPO"]
    assert theirs["extended_until"] == SECOND_EXTENSION

    # Tashkent ends it; Dubai can share nothing more.
    step(uz, f"do({uid!r}, 'end', 'Both trials are over.')")
    carry(uz)
    assert step(ae, f"show({uid!r})")["state"] == "ended"
    with pytest.raises(RuntimeError, match="in force"):
        step(ae, f"do({uid!r}, 'task', 'Late task')")


def _post(node, wire: str) -> int:
    request = urllib.request.Request(  # noqa: S310 - a loopback node
        node.base_url + "/exchange/inbox/",
        data=base64.b64decode(wire),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - loopback
            return answer.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_a_withdrawal_that_overtakes_its_item_wins_and_a_replay_changes_nothing(nodes):
    uz, ae, cases = nodes
    uid = in_force(uz, ae, cases)
    step(uz, f"do({uid!r}, 'share_all')")
    item = step(uz, "wire('jit.item')")["wire"]
    step(uz, f"do({uid!r}, 'withdraw', 'transporter')")
    withdrawal = step(uz, "wire('jit.withdrawal')")["wire"]
    assert _post(ae, withdrawal) == 200  # the withdrawal overtakes its item
    assert _post(ae, item) == 200
    carry(uz)  # the worker delivers everything again in order: duplicates change nothing
    assert _post(ae, item) == 200  # and a replay of the item changes nothing either
    theirs = step(ae, f"show({uid!r})")
    assert theirs["chain"] == ["recruiter@UZ-GPO"] and theirs["tombstones"] == 1


def test_a_message_to_a_node_that_is_down_arrives_when_it_is_back(nodes):
    uz, ae, cases = nodes
    uid = in_force(uz, ae, cases)
    ae.stop("serve")
    try:
        step(uz, f"do({uid!r}, 'task', 'Interview the recruiter')")
        uz.run("exchange", "run", "--once")
        assert step(uz, "pending()")["pending"] == 1
    finally:
        serve(ae)
    carry(uz)
    assert step(uz, "outbox('jit.item')")[-1] == "delivered"
    assert step(ae, f"show({uid!r})")["live"] == ["task@UZ-GPO"]
    assert "intact" in uz.run("exchange", "verify") and "intact" in ae.run("exchange", "verify")
