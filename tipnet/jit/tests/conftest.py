"""jit fixtures: this node is UZ-GPO in a small signed network (KG-GPO and AE-MOJ as peers whose
keys live in memory), a Uzbek case with its suspects, and a proposal to the UAE."""

import time
from datetime import date, timedelta
from typing import Any

import pytest

from conftest import make_user
from tipnet.cases import actions as cases
from tipnet.cases.tests.factories import add_person, make_case
from tipnet.exchange.tests.conftest import network  # noqa: F401 - fixture
from tipnet.jit import actions, receive
from tipnet.jit import text as signed_text
from tipnet.jit.enums import Kind


@pytest.fixture
def uz_case(prosecutor):
    case = make_case(prosecutor, "Dancers recruited for Dubai clubs")
    recruiter = add_person(prosecutor, case, "Rustam Karimov")
    transporter = add_person(prosecutor, case, "Jasur Aliev")
    cases.do_update_case_person(prosecutor, transporter, "transporter", "suspected")
    cases.do_add_identifier(prosecutor, recruiter.person, "interpol_notice", "Red A-1234/5-2026")
    add_person(prosecutor, case, "Nilufar Tosheva", role="victim")
    return case


@pytest.fixture
def colleague(uz_gpo):
    """An investigator of the prosecutor's agency (not named a member)."""
    return make_user("ilhom_investigator", uz_gpo, "investigator")


def propose(actor, case, partner: str = "AE-MOJ", **extra):
    fields: dict[str, Any] = {
        "kind": Kind.PARALLEL,
        "title": "Dubai clubs chain",
        "purpose": "Convict the recruiters in Uzbekistan and the exploiters in Dubai.",
        # Around today: an agreement whose period has passed shares no more.
        "period_start": date.today() - timedelta(days=30),
        "period_end": date.today() + timedelta(days=335),
        "partners": [actions.party(partner, partner[:2], partner, "Khalid Al Mansoori")],
        "governing_law": "Each party's own law.",
    }
    return actions.do_propose(actor, case, **(fields | extra))


def peer_signs(net, agreement, node: str = "AE-MOJ", **changes) -> dict:
    """The signature message `node` would send for the agreement's current version."""
    fields = {
        "agreement": str(agreement.uid),
        "version": agreement.version,
        "text_sha256": agreement.text_sha256,
        "node": node,
        "signer": "Khalid Al Mansoori",
        "role": "prosecutor",
        "signed_at": "2026-02-01T10:00:00+00:00",
    } | changes
    raw = net.peers[node].signing.sign(signed_text.statement(fields)).signature
    from tipnet.exchange.keys import b64

    return fields | {"signature": b64(raw)}


@pytest.fixture
def proposal(network, prosecutor, uz_case):  # noqa: F811 - the fixture imported above
    return propose(prosecutor, uz_case)


@pytest.fixture
def in_force(network, proposal, prosecutor):  # noqa: F811
    actions.do_sign(prosecutor, proposal)
    receive.receive_signature("AE-MOJ", peer_signs(network, proposal))
    proposal.refresh_from_db()
    return proposal


# ---------------------------------------------------------------- real nodes

UZ_SUSPECTS = [
    ("Rustam Karimov", "recruiter", "Red A-1234/5-2026"),
    ("Jasur Aliev", "transporter", ""),
]
AE_SUSPECTS = [("Saeed Rahimi", "exploiter", "Blue A-2291/3-2026")]
# A node on a busy machine may take long to start; the real-node tests wait for it.
START_SECONDS = 300


def step(node, call: str):
    """Run `call` of link_steps.py inside `node`'s process; its JSON answer."""
    from tipnet.exchange.tests.nodes import step as run_step

    return run_step(node, "tipnet.jit.tests.link_steps", call)


def carry(sender) -> None:
    """Run the sender's worker until none of its messages is on its way (retries included)."""
    for _attempt in range(20):
        sender.run("exchange", "run", "--once")
        if step(sender, "pending()")["pending"] == 0:
            return
        time.sleep(0.3)
    raise AssertionError(f"{sender.node_id}: messages still on their way")


def serve(node) -> None:
    from tipnet.exchange import localnet

    process = node.start("serve", "serve", "--workers", "1")
    localnet.wait_until_up(node.base_url, process, node.data_dir / "serve.log", START_SECONDS)


@pytest.fixture(scope="package")
def jit_nodes(tmp_path_factory):
    """UZ-GPO and AE-MOJ serving under one registry, each with a prosecutor and a case: shared
    by the real-node and the browser tests, so the two nodes are set up once."""
    from tipnet.exchange import localnet
    from tipnet.exchange.tests.nodes import made_nodes
    from tipnet.exchange.tests.test_delivery_between_nodes import FAST

    root = tmp_path_factory.mktemp("jit-net")
    # Time enough for the node restarted in the receiver-down test, on a busy machine too.
    patient = FAST | {"TIPNET_EXCHANGE_DELIVERY_TIMEOUT": str(START_SECONDS * 3)}
    with made_nodes(root, (("UZ-GPO", "UZ"), ("AE-MOJ", "AE")), patient) as made:
        localnet.publish(root, made, [localnet.prepare(n) for n in made])
        for node in made:
            serve(node)
        uz, ae = made
        cases = {
            "UZ": step(uz, f"setup({UZ_SUSPECTS!r})")["case"],
            "AE": step(ae, f"setup({AE_SUSPECTS!r})")["case"],
        }
        yield uz, ae, cases
