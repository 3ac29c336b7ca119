"""The audit chain's hashes keep RFC 8785's bytes now that a C encoder writes them."""

import hashlib
from io import StringIO

import pytest
import rfc8785
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from tipnet.audit import actions, chain
from tipnet.audit.actions import record
from tipnet.audit.models import AuditEvent


def old_event_hash(fields):
    """The event hash as every event before the fast path was recorded: `rfc8785` alone."""
    return hashlib.sha256(rfc8785.dumps(fields)).hexdigest()


def test_events_recorded_with_the_old_hash_still_verify(db, monkeypatch):
    with monkeypatch.context() as old:
        old.setattr(actions, "event_hash", old_event_hash)
        for i, detail in enumerate(
            [
                {"n": 1, "name": "Алишер"},
                {"share": 0.25, "big": 2**53 - 1, "tuple": (1, "x")},
                {"ключ": "non-ASCII key", "nested": {"b": [True, None], "a": "\u2028"}},
            ]
        ):
            record(f"test:thing:old{i}", agency="UZ-GPO", **detail)
    record("test:thing:new", n=4)
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert "4 events verified" in out.getvalue()
    for event in AuditEvent.objects.order_by("seq"):
        assert event.hash == old_event_hash(event.chained_fields())


def test_a_plain_event_is_hashed_without_the_slow_encoder(db, monkeypatch):
    monkeypatch.setattr(rfc8785, "dumps", lambda value: pytest.fail("slow path taken"))
    event = record("test:thing:plain", agency="UZ-GPO", n=3, names=["a", "б"], ok=True)
    monkeypatch.undo()
    assert event.hash == old_event_hash(event.chained_fields())


texts = st.text(max_size=10) | st.sampled_from(["", '"', "\\", "\x1f\x7f", "\u2028", "Тошкент"])
keys = st.text(max_size=5) | st.sampled_from(["seq", "\ue000", "\U0001f600", "é"])
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1)
    | st.floats(allow_nan=False, allow_infinity=False, min_value=-(2**53), max_value=2**53)
    | texts
)
details = st.dictionaries(
    keys,
    st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=3),
        max_leaves=15,
    ),
    max_size=5,
)


@settings(max_examples=1000, deadline=None)
@given(details, texts, st.integers(min_value=1, max_value=2**40))
def test_the_event_hash_is_the_rfc_8785_hash_of_any_event(detail, tag, seq):
    fields = {
        "seq": seq,
        "tag": tag,
        "occurred_at": "2026-12-04T01:30:00.123456+00:00",
        "actor": "",
        "agency": "UZ-GPO",
        "object_type": "",
        "object_id": "",
        "detail": detail,
        "prev_hash": "0" * 64,
    }
    assert chain.event_hash(fields) == old_event_hash(fields)
