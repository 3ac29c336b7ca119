"""Checks between three real nodes: Tashkent asks, Dubai knows the suspect in Latin, Bishkek not.

UZ-GPO, KG-GPO and AE-MOJ run as separate processes with their own databases under one signed
registry and one network check key (tipnet.exchange.localnet); the steps on each node run in its
process (steps.py) and each node's worker (`tipnet exchange run --once`) carries the messages
over loopback HTTP. The Playwright test drives the same nodes in Chromium.
"""

import base64
import json
import re
import urllib.request
import uuid

import pytest
from nacl.public import PrivateKey, PublicKey
from nacl.signing import SigningKey

from tipnet.exchange import envelope, localnet
from tipnet.exchange.keys import read_secret
from tipnet.exchange.tests.nodes import made_nodes
from tipnet.exchange.tests.nodes import step as run_step
from tipnet.exchange.tests.test_delivery_between_nodes import FAST

from .steps import PASSPORT, PASSWORD

# How the app handles its messages does not depend on the database (PostgreSQL pass only);
# the exchange's own real-node tests run in both passes.
pytestmark = pytest.mark.nodes

UZ_NAME, AE_NAME = "Шухрат Юсупов", "Shuhrat Yusupov"
# What must never travel: names in both scripts, the birth date in any form, the passport.
FORBIDDEN = [
    "Шухрат",
    "Юсупов",
    "Shuhrat",
    "Yusupov",
    "Shukhrat",
    "1984-07-09",
    "09.07.1984",
    "1984-07",
    PASSPORT,
]
MEMBERS = (("UZ-GPO", "UZ"), ("KG-GPO", "KG"), ("AE-MOJ", "AE"))


def step(node, call: str):
    return run_step(node, "tipnet.checks.tests.steps", call)


@pytest.fixture(scope="module")
def net(tmp_path_factory):
    root = tmp_path_factory.mktemp("checks-net")
    with made_nodes(root, MEMBERS, FAST) as made:
        nodes = {n.country: n for n in made}
        # Bishkek answers two queries a day from any one node: the third is over quota.
        nodes["KG"].env_extra["TIPNET_CHECKS_NODE_DAILY"] = "2"
        entries = [localnet.prepare(n) for n in made]
        localnet.publish(root, made, entries)
        for node in made:
            # On a loaded machine a server may take longer to start than serve() waits.
            node.start("serve", "serve", "--workers", "1")
            log = node.data_dir / "serve.log"
            localnet.wait_until_up(node.base_url, node.processes["serve"][0], log, seconds=300)
        uz = step(nodes["UZ"], f"seed('UZ-GPO', 'UZ', {UZ_NAME!r}, 'Dancers for Dubai')")
        step(nodes["AE"], f"seed('AE-MOJ', 'AE', {AE_NAME!r}, 'Dancers held in Deira')")
        step(nodes["KG"], "seed('KG-GPO', 'KG', '', 'Workshop in Osh')")
        yield {"nodes": nodes, "root": root, "made": made, "entries": entries, "uz": uz}


def deliver(*nodes) -> None:
    for node in nodes:
        node.run("exchange", "run", "--once")


def round_trip(net) -> None:
    n = net["nodes"]
    deliver(n["UZ"], n["KG"], n["AE"])


def _private(node) -> PrivateKey:
    return PrivateKey(read_secret(node.data_dir / "keys" / "encryption.key"))


def _opened(node, recipients) -> list[dict]:
    """Every check message `node` sent, decrypted with its recipient's private key."""
    opened = []
    for recipient, wire in step(node, "wires()"):
        parts = envelope.parse(base64.b64decode(wire))
        message = envelope.decrypt(parts, _private(recipients[recipient]))
        opened.append({"type": message.type, "payload": message.payload})
    return opened


def test_a_cyrillic_suspect_is_a_hit_where_he_is_recorded_in_latin_and_no_hit_elsewhere(net):
    n, uz = net["nodes"], net["uz"]
    sent = step(n["UZ"], f"check({uz['case']}, [{uz['row']}], ['all'])")
    assert len(sent["checks"]) == 2
    round_trip(net)
    answers = {r["node"]: r for r in step(n["UZ"], f"results({uz['case']})")}
    assert answers["AE-MOJ"]["result"] == "hit"
    assert answers["AE-MOJ"]["strength"] in ("strong", "identifier")
    assert answers["AE-MOJ"]["reference"]
    assert answers["KG-GPO"]["result"] == "no_hit" and not answers["KG-GPO"]["reference"]


def test_no_name_date_or_number_is_in_any_check_message_on_the_wire(net):
    n, uz = net["nodes"], net["uz"]
    by_id = {"UZ-GPO": n["UZ"], "KG-GPO": n["KG"], "AE-MOJ": n["AE"]}
    opened = _opened(n["UZ"], by_id) + _opened(n["AE"], by_id) + _opened(n["KG"], by_id)
    types = {m["type"] for m in opened}
    assert types == {"check.query", "check.answer"}
    for message in opened:
        text = json.dumps(message["payload"], ensure_ascii=False)
        for forbidden in [*FORBIDDEN, uz["reference"]]:
            assert forbidden.lower() not in text.lower(), (forbidden, message["type"])
        # Beside the encodings, tokens and ids, no run of digits long enough to be a year, a
        # case number or a phone or passport number.
        opaque = ("name_clk", "person_clk", "tokens", "purpose", "query_id", "reference")
        plain = {k: v for k, v in message["payload"].items() if k not in opaque}
        assert not re.search(r"\d{4,}", json.dumps(plain)), plain


def test_a_hit_reference_resolves_only_on_its_node_and_only_for_an_authorised_officer(net):
    n, uz = net["nodes"], net["uz"]
    reference = {r["node"]: r for r in step(n["UZ"], f"results({uz['case']})")}["AE-MOJ"][
        "reference"
    ]
    assert step(n["AE"], f"resolve({reference!r}, 'investigator')") == {
        "resolved": True,
        "name": AE_NAME,
    }
    assert step(n["AE"], f"resolve({reference!r}, 'stranger')") == {"resolved": False}
    assert step(n["AE"], f"resolve({reference!r}, 'analyst')") == {"resolved": False}
    assert step(n["UZ"], f"resolve({reference!r}, 'investigator')") == {"resolved": False}
    assert step(n["KG"], f"resolve({reference!r}, 'investigator')") == {"resolved": False}


def test_a_surname_alone_no_case_and_an_unknown_node_are_refused_before_anything_is_sent(net):
    n, uz = net["nodes"], net["uz"]
    alone = step(n["UZ"], f"check({uz['case']}, [{uz['lonely']}], ['all'])")
    assert "surname alone" in " ".join(alone["refused"])
    unknown = step(n["UZ"], f"check({uz['case']}, [{uz['row']}], ['TJ-NONE'])")
    assert "Not a member of the network: TJ-NONE" in " ".join(unknown["refused"])


def _post(node, raw: bytes) -> dict:
    request = urllib.request.Request(  # noqa: S310 - loopback http
        node.base_url + "/exchange/inbox/",
        data=raw,
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - loopback
            return json.loads(answer.read())
    except urllib.error.HTTPError as exc:
        return json.loads(exc.read())


def _query(epoch: int, case: str = "") -> dict:
    return {
        "schema": "tipnet.checks.query/1",
        "query_id": str(uuid.uuid4()),
        "kind": "person",
        "epoch": epoch,
        "name_clk": base64.b64encode(bytes(128)).decode(),
        "person_clk": base64.b64encode(bytes(128)).decode(),
        "tokens": [],
        "fields": ["given_name", "surname"],
        "purpose": {"case": case, "legal_basis": "untoc_27"},
    }


def test_an_unknown_node_and_a_query_without_a_case_are_refused_by_the_answering_node(net):
    n = net["nodes"]
    entry = next(e for e in net["entries"] if e["id"] == "AE-MOJ")
    ae_key = PublicKey(base64.b64decode(entry["encryption_key"]))
    stranger = envelope.Message(
        type="check.query", sender="TJ-NONE", recipient="AE-MOJ", payload=_query(1, "ab" * 32)
    )
    refused = _post(n["AE"], envelope.seal(stranger, SigningKey.generate(), ae_key))
    assert refused["error"]["code"] == "unknown_sender"

    uz_signing = SigningKey(read_secret(n["UZ"].data_dir / "keys" / "signing.key"))
    caseless = envelope.Message(
        type="check.query", sender="UZ-GPO", recipient="AE-MOJ", payload=_query(1)
    )
    assert "error" not in _post(n["AE"], envelope.seal(caseless, uz_signing, ae_key))
    last = step(n["AE"], "received()")[-1]
    assert (last["sender"], last["result"], last["reason"]) == ("UZ-GPO", "refused", "no_case")


def test_a_node_over_its_daily_quota_is_refused_with_the_reason(net):
    n, uz = net["nodes"], net["uz"]
    for _ in range(2):  # KG answered one query already; it answers two a day from UZ
        step(n["UZ"], f"check({uz['case']}, [{uz['row']}], ['KG-GPO'])")
    round_trip(net)
    to_kg = [r for r in step(n["UZ"], f"results({uz['case']})") if r["node"] == "KG-GPO"]
    assert [r["result"] for r in to_kg] == ["no_hit", "no_hit", "refused"]
    assert to_kg[-1]["reason"] == "over_quota"


def test_a_query_under_an_expired_epoch_is_refused_after_the_key_is_rotated(net):
    n, uz = net["nodes"], net["uz"]
    step(n["UZ"], f"check({uz['case']}, [{uz['row']}], ['AE-MOJ'])")
    localnet.publish(net["root"], net["made"], net["entries"], rotate_check_key=True)
    round_trip(net)
    last = [r for r in step(n["UZ"], f"results({uz['case']})") if r["node"] == "AE-MOJ"][-1]
    assert (last["result"], last["reason"]) == ("refused", "epoch_expired")
    # Under the new epoch Dubai re-encodes its index and finds him again.
    step(n["UZ"], f"check({uz['case']}, [{uz['row']}], ['AE-MOJ'])")
    round_trip(net)
    last = [r for r in step(n["UZ"], f"results({uz['case']})") if r["node"] == "AE-MOJ"][-1]
    assert last["result"] == "hit"


@pytest.mark.browser
def test_an_investigator_in_tashkent_sees_the_hit_from_the_uae_and_drafts_the_follow_up(
    net,
    browser,
):
    n, uz = net["nodes"], net["uz"]
    context = browser.new_context(base_url=n["UZ"].base_url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto("/accounts/login/")
        page.get_by_test_id("username").fill("investigator")
        page.get_by_test_id("password").fill(PASSWORD)
        page.get_by_test_id("login-submit").click()
        page.goto(f"/cases/{uz['case']}/")
        page.get_by_test_id("check-person").first.click()
        page.get_by_label("AE-MOJ").check()
        page.get_by_label("All partner nodes").uncheck()
        page.get_by_label("Legal basis").select_option("untoc_27")
        page.get_by_test_id("form-submit").click()
        page.get_by_test_id("case-link").click()
        round_trip(net)
        page.reload()
        row = page.locator("[data-testid=check-row][data-node=AE-MOJ]").first
        assert "Hit" in row.get_by_test_id("check-result").inner_text()
        reference = row.get_by_test_id("check-reference").inner_text()
        row.get_by_test_id("follow-up-police").click()
        page.wait_for_url(re.compile(r"/cooperation/new/\?case=\d+&reference="))
        assert reference in page.url
        # The follow-up starts addressed to the node that answered, about the person checked.
        assert reference in page.get_by_label("Subject").input_value()
        assert page.get_by_label("To (node and agency)").input_value().startswith("AE-MOJ")
        assert page.locator("input[name=persons]:checked").count() == 1
    finally:
        context.close()
