"""An MLA request between two real nodes: Tashkent submits, Dubai answers, both registers agree.

UZ-GPO and AE-MOJ run as separate processes with their own databases; the steps on each node
run in that node's process (`tipnet shell -c`, see link_steps.py), and each node's exchange
worker (`tipnet exchange run --once`) carries the messages over loopback HTTP.
"""

import pytest

from tipnet.exchange.tests.nodes import serving_nodes
from tipnet.exchange.tests.nodes import step as run_step
from tipnet.exchange.tests.test_delivery_between_nodes import FAST

# How the app handles its messages does not depend on the database (PostgreSQL pass only);
# the exchange's own real-node tests run in both passes.
pytestmark = pytest.mark.nodes


@pytest.fixture(scope="module")
def nodes(tmp_path_factory):
    root = tmp_path_factory.mktemp("mla-net")
    with serving_nodes(root, (("UZ-GPO", "UZ"), ("AE-MOJ", "AE")), FAST) as running:
        yield running


def step(node, call: str):
    return run_step(node, "tipnet.mla.tests.link_steps", call)


def carry(sender, receiver, uid: str) -> tuple[dict, dict]:
    sender.run("exchange", "run", "--once")
    return step(sender, f"show({uid!r})"), step(receiver, f"show({uid!r})")


def test_a_request_travels_to_the_central_authority_and_every_answer_comes_back(nodes):
    uz, ae = nodes["UZ"], nodes["AE"]
    uid = step(uz, "submit_to_ae()")["uid"]
    mine, theirs = carry(uz, ae, uid)
    assert (mine["direction"], mine["counterpart_node"]) == ("outgoing", "AE-MOJ")
    assert (theirs["direction"], theirs["state"], theirs["counterpart_node"]) == (
        "incoming",
        "submitted",
        "UZ-GPO",
    )
    assert any(f.startswith("letter:") for f in theirs["files"])

    for name, fields in (
        ("acknowledge", {}),
        ("assess", {}),
        ("request_info", {"questions": "Dates of employment?"}),
    ):
        step(ae, f"transition({uid!r}, {name!r}, {fields!r})")
    theirs, mine = carry(ae, uz, uid)
    assert mine["state"] == theirs["state"] == "info_requested"

    step(uz, f"transition({uid!r}, 'provide_info', {{'information': 'March to June 2026.'}})")
    mine, theirs = carry(uz, ae, uid)
    assert mine["state"] == theirs["state"] == "under_assessment"

    step(ae, f"transition({uid!r}, 'accept', {{}})")
    result = [("records.txt", "text/plain", "Salary records (fictional)")]
    step(
        ae, f"transition({uid!r}, 'report_executed', {{'summary': 'Records seized.'}}, {result!r})"
    )
    theirs, mine = carry(ae, uz, uid)
    assert mine["state"] == theirs["state"] == "executed"
    assert "result:records.txt" in mine["files"]
    assert "intact" in uz.run("exchange", "verify") and "intact" in ae.run("exchange", "verify")


def test_a_refusal_with_its_reasons_reaches_the_requesting_register(nodes):
    uz, ae = nodes["UZ"], nodes["AE"]
    uid = step(uz, "submit_to_ae()")["uid"]
    carry(uz, ae, uid)
    for name, fields in (
        ("acknowledge", {}),
        ("assess", {}),
        ("consult", {"subject": "Dual criminality"}),
        ("refuse", {"ground": "untoc_18_21_c", "reasons": "Not an offence here (fictional)."}),
    ):
        step(ae, f"transition({uid!r}, {name!r}, {fields!r})")
    theirs, mine = carry(ae, uz, uid)
    assert mine["state"] == theirs["state"] == "refused"


def test_a_withdrawal_by_the_requesting_state_reaches_the_requested_register(nodes):
    uz, ae = nodes["UZ"], nodes["AE"]
    uid = step(uz, "submit_to_ae()")["uid"]
    carry(uz, ae, uid)
    step(uz, f"transition({uid!r}, 'withdraw', {{'reason': 'The suspect was arrested at home.'}})")
    mine, theirs = carry(uz, ae, uid)
    assert mine["state"] == theirs["state"] == "withdrawn"
