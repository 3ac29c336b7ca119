"""Deliveries of several messages in one request: each message answered as it would be alone."""

from types import SimpleNamespace

import pytest
from django.test import Client

from tipnet.audit.models import AuditEvent
from tipnet.exchange import envelope, handlers, worker
from tipnet.exchange.actions import do_queue_message
from tipnet.exchange.envelope import Attachment
from tipnet.exchange.keys import b64
from tipnet.exchange.models import InboxMessage, LogEntry, OutboxMessage
from tipnet.exchange.transport import BATCH_PATH, DELIVERY_TYPE, pack_delivery

from .conftest import new_keys

pytestmark = pytest.mark.django_db


def deliver(*raws: bytes, body: bytes | None = None):
    data = pack_delivery(raws) if body is None else body
    return Client().post(BATCH_PATH, data=data, content_type=DELIVERY_TYPE)


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def receipt_for(network, raw: bytes, result: dict) -> dict:
    assert result["status"] == 200, result
    header = envelope.parse(raw)["header"]
    return envelope.verify_receipt(result["answer"], header, network.me.signing.verify_key)


def test_it_stores_every_message_of_a_delivery_and_answers_each_with_its_receipt(network):
    letter = Attachment("letter.pdf", "application/pdf", b"%PDF fictional")
    raws = [network.wire(payload={"n": n}, attachments=[letter]) for n in range(3)]
    answers = results(deliver(*raws))
    assert len(answers) == 3
    for raw, result in zip(raws, answers, strict=True):
        body = receipt_for(network, raw, result)
        stored = InboxMessage.objects.get(message_id=body["message_id"])
        assert stored.state == "handled" and stored.receipt == result["answer"]
        assert stored.files.get().content == letter.content
    assert LogEntry.objects.filter(kind="received").count() == 3
    assert AuditEvent.objects.filter(tag="exchange:message:receive").count() == 3


def test_bad_lines_are_refused_each_with_its_reason_and_the_good_ones_stored(network):
    network.extra["TJ-GPO"] = new_keys()
    first, last = network.wire(payload={"n": 1}), network.wire(payload={"n": 2})
    flipped = bytearray(network.wire(payload={"n": 3}))
    flipped[len(flipped) // 2] ^= 0x04
    lines = [
        first,
        bytes(flipped),
        network.wire(sender="TJ-GPO"),
        network.wire(recipient="AE-MOJ"),
        b"<xml>not a message</xml>",
        network.wire(message_id="not-a-uuid"),
        last,
    ]
    answers = results(deliver(*lines))
    assert [a["status"] for a in answers][2:] == [403, 400, 400, 400, 200]
    assert answers[1]["status"] in (400, 403)
    codes = [a["answer"]["error"]["code"] for a in answers[2:6]]
    assert codes == ["unknown_sender", "wrong_recipient", "malformed", "malformed"]
    assert all(a["answer"]["error"]["message"] for a in answers[1:6])
    receipt_for(network, first, answers[0])
    receipt_for(network, last, answers[6])
    assert sorted(InboxMessage.objects.values_list("payload", flat=True), key=str) == [
        {"n": 1},
        {"n": 2},
    ]
    assert LogEntry.objects.filter(kind="rejected").count() == 5
    assert AuditEvent.objects.filter(tag="exchange:message:reject").count() == 5


def test_a_message_repeated_in_a_delivery_or_already_stored_is_stored_once(network):
    stored, new = network.wire(payload={"n": 1}), network.wire(payload={"n": 2})
    first = results(deliver(stored, network.wire(payload={"n": 0})))[0]["answer"]
    answers = results(deliver(stored, new, new))
    assert answers[0] == {"status": 200, "answer": first}
    assert answers[1] == answers[2]
    receipt_for(network, new, answers[1])
    assert InboxMessage.objects.count() == 3
    assert LogEntry.objects.filter(kind="duplicate").count() == 2


def test_a_message_id_reused_with_other_content_in_one_delivery_is_refused(network):
    message_id = "7b7b3c8e-8a0c-4a57-9b36-0d0b6c1f5a11"
    original = network.wire(message_id=message_id)
    forged = network.wire(message_id=message_id, payload={"x": 1})
    answers = results(deliver(original, forged))
    receipt_for(network, original, answers[0])
    assert answers[1]["status"] == 409
    assert answers[1]["answer"]["error"]["code"] == "replay_conflict"
    assert InboxMessage.objects.get().payload == {"hello": "Toshkent"}


@pytest.fixture
def later_type():
    """A message type whose handler writes a record, then cannot go on yet (`RetryLater`)."""

    def apply(message):
        InboxMessage.objects.filter(message_id=message.message_id).update(error="half applied")
        raise handlers.RetryLater("an earlier message has not arrived")

    handlers.register("test.later", apply)
    yield "test.later"
    handlers.unregister("test.later")


def test_a_message_not_ready_is_refused_and_not_kept_while_the_rest_of_the_delivery_stands(
    network, later_type
):
    before, after = network.wire(payload={"n": 1}), network.wire(payload={"n": 2})
    answers = results(deliver(before, network.wire(type=later_type), after))
    assert answers[1]["status"] == 503
    assert answers[1]["answer"]["error"]["code"] == "not_ready"
    receipt_for(network, before, answers[0])
    receipt_for(network, after, answers[2])
    assert not InboxMessage.objects.filter(type=later_type).exists()
    assert not InboxMessage.objects.filter(error="half applied").exists()
    assert InboxMessage.objects.filter(state="handled").count() == 2


def test_a_delivery_of_too_many_messages_is_refused_unread(network, settings):
    settings.TIPNET_EXCHANGE_DELIVERY_MAX = 2
    response = deliver(*[network.wire(payload={"n": n}) for n in range(3)])
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    assert "at most 2" in response.json()["error"]["message"]
    assert InboxMessage.objects.count() == 0
    assert LogEntry.objects.filter(kind="rejected", detail__reason="too_large").exists()


def test_an_oversized_delivery_is_refused_unread(network, settings):
    settings.TIPNET_EXCHANGE_MAX_MB = 1
    half = Attachment("half.bin", "application/octet-stream", b"\0" * (600 * 1024))
    response = deliver(network.wire(attachments=[half]), network.wire(attachments=[half]))
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    assert InboxMessage.objects.count() == 0


def test_an_empty_delivery_is_malformed_and_only_post_is_answered(network):
    response = deliver(body=b"")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed"
    assert LogEntry.objects.filter(kind="rejected", detail__reason="malformed").count() == 1
    assert AuditEvent.objects.filter(tag="exchange:message:reject").count() == 1
    assert Client().get(BATCH_PATH).status_code == 405


def test_deliveries_keep_the_order_and_respect_both_limits(settings):
    settings.TIPNET_EXCHANGE_DELIVERY_MAX = 3
    settings.TIPNET_EXCHANGE_MAX_MB = 1
    small = [SimpleNamespace(n=n, wire=b"x" * 100) for n in range(7)]
    assert [[m.n for m in cut] for cut in worker.deliveries(small)] == [[0, 1, 2], [3, 4, 5], [6]]
    big = [SimpleNamespace(n=n, wire=b"x" * (400 * 1024)) for n in range(5)]
    assert [[m.n for m in cut] for cut in worker.deliveries(big)] == [[0, 1], [2, 3], [4]]


class CountingTransport:
    """Carries the worker's POSTs to this node's own endpoints in process, counting them."""

    def __init__(self):
        self.paths = []

    def post(self, base_url, body, path="/exchange/inbox/", kind="application/json"):
        self.paths.append(path)
        response = Client().post(path, data=body, content_type=kind)
        return response.status_code, response.content


def test_the_worker_sends_a_recipients_messages_in_one_delivery_and_records_each_receipt(
    network,
):
    # This node writes to itself, so its own inbox answers the worker.
    queued = [do_queue_message(None, "exchange.ping", "UZ-GPO", {"n": n}) for n in range(5)]
    transport = CountingTransport()
    outcomes = worker.send_many(worker.claim(), transport)
    assert transport.paths == [BATCH_PATH]
    assert [str(o.outbox.message_id) for o in outcomes] == [str(o.message_id) for o in queued]
    assert all(o.receipt is not None for o in outcomes)
    worker.record_outcomes(outcomes)
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {"delivered"}
    assert InboxMessage.objects.count() == 5


def test_a_header_field_longer_than_the_inbox_keeps_is_malformed_and_the_rest_stored(network):
    good = network.wire(payload={"n": 1})
    answers = results(deliver(network.wire(type="x" * 65), good))
    assert answers[0]["status"] == 400
    assert answers[0]["answer"]["error"]["code"] == "malformed"
    receipt_for(network, good, answers[1])
    assert InboxMessage.objects.count() == 1


def _tampered_copy(raw: bytes) -> bytes:
    """The same signed header with one character of the sealed payload changed."""
    parts = envelope.parse(raw)
    payload = bytearray(parts["payload"])
    payload[len(payload) // 2] ^= 0x01
    return envelope.pack(
        parts["header"], b64(parts["signature"]), bytes(payload), parts["attachments"]
    )


def test_an_intact_copy_after_a_tampered_one_is_judged_on_its_own(network):
    raw = network.wire()
    answers = results(deliver(_tampered_copy(raw), raw))
    assert answers[0]["status"] == 400
    assert answers[0]["answer"]["error"]["code"] == "tampered"
    receipt_for(network, raw, answers[1])
    assert InboxMessage.objects.count() == 1
    assert LogEntry.objects.filter(kind="received").count() == 1


def test_a_message_that_cannot_be_stored_fails_alone_and_the_others_are_kept(network, monkeypatch):
    from tipnet.exchange import actions

    store = actions._store

    def store_unless_poisoned(new):
        if any(item.message.payload == {"poison": True} for item in new):
            raise RuntimeError("disk full")
        store(new)

    monkeypatch.setattr(actions, "_store", store_unless_poisoned)
    first, last = network.wire(payload={"n": 1}), network.wire(payload={"n": 2})
    answers = results(deliver(first, network.wire(payload={"poison": True}), last))
    assert answers[1]["status"] == 500
    assert answers[1]["answer"]["error"]["code"] == "internal_error"
    receipt_for(network, first, answers[0])
    receipt_for(network, last, answers[2])
    assert sorted(InboxMessage.objects.values_list("payload", flat=True), key=str) == [
        {"n": 1},
        {"n": 2},
    ]


@pytest.mark.parametrize(
    "broken",
    [
        lambda body: body[:-1],  # the last message cut short
        lambda body: body + b"\0\0",  # a length cut short
        lambda body: b"\xff\xff\xff\xff" + body,  # a length past the end
        lambda body: body + b"{}\n",  # a format 1 line after them
    ],
)
def test_a_delivery_whose_framing_is_broken_is_refused_whole_and_logged(network, broken):
    body = pack_delivery([network.wire(payload={"n": n}) for n in range(2)])
    response = deliver(body=broken(body))
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed"
    assert "truncated" in response.json()["error"]["message"]
    assert InboxMessage.objects.count() == 0
    assert LogEntry.objects.filter(kind="rejected", detail__reason="malformed").exists()
    assert AuditEvent.objects.filter(tag="exchange:message:reject").exists()


def test_a_format_1_delivery_is_refused(network):
    parts = envelope.parse(network.wire())
    line = (
        b'{"header":{},"signature":"%s","payload":"","attachments":[]}'
        % b64(parts["signature"]).encode()
    )
    response = deliver(body=line + b"\n" + line)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed"
    assert InboxMessage.objects.count() == 0


def test_a_message_whose_own_frame_is_broken_is_refused_alone(network):
    first, middle, last = (network.wire(payload={"n": n}) for n in range(3))
    answers = results(deliver(first, middle[:-10], middle + b"extra", last))
    assert [a["status"] for a in answers] == [200, 400, 400, 200]
    assert "truncated" in answers[1]["answer"]["error"]["message"]
    assert "after the parts" in answers[2]["answer"]["error"]["message"]
    assert InboxMessage.objects.count() == 2


@pytest.fixture
def writing_type():
    """A message type whose handler records an audit event, then refuses a poisoned payload."""
    from tipnet.audit.actions import record

    def apply(message):
        record("test:handler:wrote", n=message.payload["n"])
        if message.payload.get("poison"):
            raise handlers.HandlerError("refused after writing")

    handlers.register("test.writing", apply)
    yield "test.writing"
    handlers.unregister("test.writing")


def test_a_refusing_handler_keeps_none_of_its_writes_and_the_others_keep_theirs_once(
    network, writing_type
):
    raws = [
        network.wire(type=writing_type, payload={"n": 1}),
        network.wire(type=writing_type, payload={"n": 2, "poison": True}),
        network.wire(type=writing_type, payload={"n": 3}),
    ]
    answers = results(deliver(*raws))
    assert [a["status"] for a in answers] == [200, 200, 200]
    states = dict(InboxMessage.objects.values_list("payload__n", "state"))
    assert states == {1: "handled", 2: "failed", 3: "handled"}
    wrote = AuditEvent.objects.filter(tag="test:handler:wrote")
    assert sorted(e.detail["n"] for e in wrote) == [1, 3]


def test_handlers_that_all_take_their_messages_are_applied_once_each(network, writing_type):
    answers = results(deliver(*[network.wire(type=writing_type, payload={"n": n}) for n in (1, 2)]))
    assert [a["status"] for a in answers] == [200, 200]
    wrote = AuditEvent.objects.filter(tag="test:handler:wrote")
    assert sorted(e.detail["n"] for e in wrote) == [1, 2]
    assert set(InboxMessage.objects.values_list("state", flat=True)) == {"handled"}
