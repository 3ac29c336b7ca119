"""Delivery between real node processes on loopback, with the faults the network will have.

Two nodes (UZ-GPO sending, KG-GPO receiving) run `tipnet serve` and `tipnet exchange` as separate
processes with their own data folders and databases (throwaway PostgreSQL databases when the suite
runs on PostgreSQL). AE-MOJ is registered at a port that accepts connections and swallows them.
Timeouts and backoff are shortened through the settings so each test takes seconds.
"""

import contextlib
import json
import os
import socket
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tipnet.exchange import envelope, localnet
from tipnet.exchange.envelope import Attachment, Message
from tipnet.exchange.keys import NodeKeys, load_keys, unb64

from .conftest import new_keys
from .nodes import made_nodes

# Real nodes on the pass's database: the PostgreSQL pass runs them (see the Makefile).
pytestmark = pytest.mark.nodes

FAST = {
    "TIPNET_EXCHANGE_HTTP_TIMEOUT": "1.5",
    "TIPNET_EXCHANGE_RETRY_BASE": "0.2",
    "TIPNET_EXCHANGE_RETRY_MAX": "0.5",
    "TIPNET_EXCHANGE_DELIVERY_TIMEOUT": "120",
    "TIPNET_EXCHANGE_POLL_SECONDS": "0.1",
    "TIPNET_EXCHANGE_MAX_MB": "1",
}


class Swallower:
    """A port that accepts connections and never answers: a network partition."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(50)
        self.port = self.sock.getsockname()[1]
        self.held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)

    def close(self):
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()
        for conn in self.held:
            conn.close()


class HoldingProxy:
    """Forwards to the receiver, but while `holding` keeps the receiver's answer to itself."""

    def __init__(self, target: str):
        self.holding, self.released, self.forwarded = threading.Event(), threading.Event(), 0
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                status, answer = _post(target + self.path, body)
                proxy.forwarded += 1
                if proxy.holding.is_set():
                    proxy.released.wait(30)
                    return
                self.send_response(status)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.released.set()
        self.server.shutdown()
        self.server.server_close()


def _post(url: str, body: bytes) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, method="POST")  # noqa: S310 - loopback
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - loopback
            return answer.status, answer.read()
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.read()


@pytest.fixture(scope="module")
def nodes(tmp_path_factory):
    root = tmp_path_factory.mktemp("net")
    swallower = Swallower()
    with made_nodes(root, (("UZ-GPO", "UZ"), ("KG-GPO", "KG")), FAST) as made:
        entries = [localnet.prepare(n) for n in made]
        partitioned = new_keys()
        entries.append(
            {
                "id": "AE-MOJ",
                "country": "AE",
                "agency": "Ministry of Justice (fictional)",
                "base_url": f"http://127.0.0.1:{swallower.port}",
                **partitioned.public_entry(),
                "central_authority": True,
            }
        )
        localnet.publish(root, made, entries)
        sender, receiver = made
        receiver.serve()
        try:
            yield {"root": root, "sender": sender, "receiver": receiver, "entries": entries}
        finally:
            swallower.close()


def ping(node, to="KG-GPO", count=1) -> list[str]:
    return json.loads(node.run("exchange", "ping", to, "--count", str(count)))["queued"]


def drain(node, **extra) -> None:
    node.run("exchange", "run", "--once", **extra)


def keys_of(node) -> NodeKeys:
    return load_keys(node.data_dir / "keys")


def wire_to_receiver(
    nodes, sender_keys=None, sender="UZ-GPO", recipient="KG-GPO", **fields
) -> bytes:
    receiver_entry = next(e for e in nodes["entries"] if e["id"] == "KG-GPO")
    from nacl.public import PublicKey

    message = Message(
        type="exchange.ping", sender=sender, recipient=recipient, payload={"n": 1}, **fields
    )
    signing = (sender_keys or keys_of(nodes["sender"])).signing
    return envelope.seal(message, signing, PublicKey(unb64(receiver_entry["encryption_key"])))


def test_messages_travel_between_nodes_and_come_back_with_receipts(nodes):
    sender, receiver = nodes["sender"], nodes["receiver"]
    ids = ping(sender, count=3)
    drain(sender)
    sent, received = sender.status(), receiver.status()
    assert {sent["outbox"][i] for i in ids} == {"delivered"}
    assert all(received["inbox_ids"].count(i) == 1 for i in ids)
    assert "intact" in sender.run("exchange", "verify")
    assert "intact" in receiver.run("exchange", "verify")


def test_a_message_to_a_stopped_receiver_waits_and_is_delivered_once_when_it_returns(nodes):
    sender, receiver = nodes["sender"], nodes["receiver"]
    receiver.stop("serve")
    try:
        [message_id] = ping(sender)
        drain(sender)
        assert sender.status()["outbox"][message_id] == "send_failed"
    finally:
        receiver.serve()
    time.sleep(0.6)
    drain(sender)
    status = sender.status()
    assert status["outbox"][message_id] == "delivered" and status["attempts"][message_id] >= 2
    assert receiver.status()["inbox_ids"].count(message_id) == 1


def test_a_sender_killed_mid_send_loses_nothing_and_duplicates_nothing(nodes):
    sender, receiver = nodes["sender"], nodes["receiver"]
    proxy = HoldingProxy(receiver.base_url)
    entries = [
        dict(e, base_url=f"http://127.0.0.1:{proxy.port}") if e["id"] == "KG-GPO" else e
        for e in nodes["entries"]
    ]
    localnet.publish(nodes["root"], [sender], entries)
    try:
        proxy.holding.set()
        [message_id] = ping(sender)
        # A longer HTTP timeout than FAST's, so a slow machine still kills it while it waits.
        sender.start("worker", "exchange", "run", TIPNET_EXCHANGE_HTTP_TIMEOUT="3")
        deadline = time.monotonic() + 20
        while proxy.forwarded == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        sender.stop("worker", kill=True)
        assert proxy.forwarded == 1
        assert receiver.status()["inbox_ids"].count(message_id) == 1
        assert sender.status()["outbox"][message_id] == "sent"
        proxy.holding.clear()
        time.sleep(7.2)  # the dead worker's lease: twice its HTTP timeout plus one second
        drain(sender)
    finally:
        localnet.publish(nodes["root"], [sender], nodes["entries"])
        proxy.close()
    assert sender.status()["outbox"][message_id] == "delivered"
    after = receiver.status()
    assert after["inbox_ids"].count(message_id) == 1
    assert after["log"]["duplicate"] >= 1


def test_several_workers_at_once_send_each_message_exactly_once(nodes):
    sender, receiver = nodes["sender"], nodes["receiver"]
    duplicates_before = receiver.status()["log"].get("duplicate", 0)
    ids = ping(sender, count=30)
    for n in range(3):
        sender.start(f"worker{n}", "exchange", "run", "--once", TIPNET_EXCHANGE_HTTP_TIMEOUT="20")
    for n in range(3):
        sender.processes[f"worker{n}"][0].wait(timeout=60)
        sender.stop(f"worker{n}")
    status, received = sender.status(), receiver.status()
    assert {status["outbox"][i] for i in ids} == {"delivered"}
    assert {status["attempts"][i] for i in ids} == {1}
    assert all(received["inbox_ids"].count(i) == 1 for i in ids)
    assert received["log"].get("duplicate", 0) == duplicates_before


@pytest.mark.parametrize("position", [0.1, 0.3, 0.5, 0.7, 0.95])
def test_a_flipped_byte_is_refused_over_http_and_logged(nodes, position):
    raw = wire_to_receiver(
        nodes, attachments=[Attachment("a.pdf", "application/pdf", b"%PDF" * 999)]
    )
    flipped = bytearray(raw)
    flipped[int(len(raw) * position)] ^= 0x01
    status, answer = _post(nodes["receiver"].base_url + "/exchange/inbox/", bytes(flipped))
    assert status in (400, 403)
    assert json.loads(answer)["error"]["code"] in ("malformed", "tampered", "bad_signature")
    assert _post(nodes["receiver"].base_url + "/exchange/inbox/", raw)[0] == 200


def _code(nodes, raw: bytes) -> tuple[int, str]:
    status, answer = _post(nodes["receiver"].base_url + "/exchange/inbox/", raw)
    return status, json.loads(answer)["error"]["code"]


def test_hostile_messages_are_refused_with_a_clear_reason(nodes):
    from datetime import timedelta

    from django.utils import timezone

    outsider = new_keys()
    old = (timezone.now() - timedelta(days=5)).isoformat()
    big = [Attachment("big.bin", "application/octet-stream", os.urandom(1024 * 1024))]
    assert _code(nodes, wire_to_receiver(nodes, outsider, sender="TJ-GPO")) == (
        403,
        "unknown_sender",
    )
    assert _code(nodes, wire_to_receiver(nodes, outsider)) == (403, "bad_signature")
    assert _code(nodes, wire_to_receiver(nodes, recipient="AE-MOJ")) == (400, "wrong_recipient")
    assert _code(nodes, wire_to_receiver(nodes, created_at=old)) == (400, "stale")
    assert _code(nodes, wire_to_receiver(nodes, attachments=big)) == (413, "too_large")
    rejected = nodes["receiver"].status()["rejected"]
    assert {"unknown_sender", "bad_signature", "wrong_recipient", "stale", "too_large"} <= set(
        rejected
    )


def test_a_revoked_sender_is_refused_and_the_sender_records_it_as_not_delivered(nodes):
    sender, receiver = nodes["sender"], nodes["receiver"]
    revoked = [dict(e, revoked=True) if e["id"] == "UZ-GPO" else e for e in nodes["entries"]]
    localnet.publish(nodes["root"], [receiver], revoked)
    try:
        [message_id] = ping(sender)
        drain(sender)
    finally:
        localnet.publish(nodes["root"], [receiver], nodes["entries"])
    status = sender.status()
    assert status["outbox"][message_id] == "not_delivered"
    assert "sender_revoked" in status["alerts"][message_id]
    assert message_id not in receiver.status()["inbox_ids"]


def test_a_partition_gives_not_delivered_evidence_and_an_alert_after_the_timeout(nodes):
    sender = nodes["sender"]
    [message_id] = ping(sender, to="AE-MOJ")
    drain(sender)
    assert sender.status()["outbox"][message_id] == "send_failed"
    time.sleep(1.1)
    # The same outbox seen by a worker whose delivery timeout (1 s) has now passed.
    drain(sender, TIPNET_EXCHANGE_DELIVERY_TIMEOUT="1")
    status = sender.status()
    assert status["outbox"][message_id] == "not_delivered"
    assert (
        "timed out" in status["alerts"][message_id] or "no receipt" in status["alerts"][message_id]
    )
    assert status["log"]["not_delivered"] >= 1
    assert "intact" in sender.run("exchange", "verify")


def test_a_receiver_rotating_its_key_while_serving_takes_messages_sealed_to_either_key(nodes):
    sender, receiver = nodes["sender"], nodes["receiver"]
    [to_old] = ping(sender)  # sealed to the receiver's key of the registry in force, not sent yet
    entry = json.loads(receiver.run("node", "rotate"))  # its web server keeps running
    old_key = next(e for e in nodes["entries"] if e["id"] == "KG-GPO")["encryption_key"]
    assert entry["encryption_key"] != old_key
    rotated = [
        dict(e, encryption_key=entry["encryption_key"]) if e["id"] == "KG-GPO" else e
        for e in nodes["entries"]
    ]
    try:
        localnet.publish(nodes["root"], [sender, receiver], rotated)
        [to_new] = ping(sender)  # sealed to the new key
        drain(sender)
        outbox = sender.status()["outbox"]
        assert (outbox[to_old], outbox[to_new]) == ("delivered", "delivered")
        inbox = receiver.status()["inbox_ids"]
        assert inbox.count(to_old) == 1 and inbox.count(to_new) == 1
    finally:
        localnet.publish(nodes["root"], [sender, receiver], nodes["entries"])
