"""The fast canonical JSON gives RFC 8785's bytes for every value, and refuses what it refuses."""

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from tipnet.exchange import canonical, envelope

texts = st.text(alphabet=st.characters(codec=None), max_size=12) | st.sampled_from(
    ["", '"', "\\", "\x00\x1f\x7f", "\b\f\n\r\t", "Тошкент", "\ue000", "\U0001f600", "\ud800"]
)
keys = st.text(max_size=6) | st.sampled_from(["a", "B", "\ue000", "\U0001f600", "é", "10", "2"])
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**60), max_value=2**60)
    | st.floats(allow_nan=False, allow_infinity=False)
    | texts
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=5),
    max_leaves=30,
)


def rfc(value):
    try:
        return rfc8785.dumps(value)
    except rfc8785.CanonicalizationError as exc:
        return type(exc)


def fast(value):
    try:
        return canonical.dumps(value)
    except rfc8785.CanonicalizationError as exc:
        return type(exc)


@settings(max_examples=3000, deadline=None)
@given(values)
def test_it_gives_rfc_8785_bytes_for_any_value(value):
    assert fast(value) == rfc(value)


@pytest.mark.parametrize(
    "value",
    [
        {"\ue000": 1, "\U0001f600": 2},  # UTF-16 order differs from code point order
        {"b": 1, "a": [True, None, 2**53 - 1, -(2**53) + 1, "x\u2028y"]},
        {"n": 1.5, "big": 2**53},
        ["\ud800"],
    ],
)
def test_values_where_a_plain_json_encoder_would_differ_keep_rfc_8785_bytes(value):
    assert fast(value) == rfc(value)


def test_a_sealed_header_hashes_and_verifies_as_before(tmp_path):
    from nacl.public import PrivateKey
    from nacl.signing import SigningKey

    signing, box = SigningKey.generate(), PrivateKey.generate()
    message = envelope.Message(
        "exchange.ping", "UZ-GPO", "KG-GPO", {"ism": "Алишер", "n": 3, "ok": True}
    )
    wire, digest = envelope.seal_with_digest(message, signing, box.public_key)
    parts = envelope.parse(wire)
    assert digest == envelope.sha256(rfc8785.dumps(parts["header"]))
    assert envelope.verify_signature(parts, signing.verify_key) == digest


def test_headers_receipts_and_log_records_take_the_fast_path(monkeypatch):
    header = {
        "message_id": "5b0c7a4e-8a51-4c55-9a53-3f0e8f7f2a10",
        "handling": {"codes": ["LE-ONLY"]},
        "payload": {"sha256": "ab" * 32, "size": 120},
        "attachments": [],
        "in_reply_to": "",
    }
    expected = rfc8785.dumps(header)
    monkeypatch.setattr(rfc8785, "dumps", lambda value: pytest.fail("slow path taken"))
    assert canonical.dumps(header) == expected
