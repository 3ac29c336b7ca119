import base64
import stat

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tipnet.exchange.keys import (
    NodeKeyError,
    init_keys,
    load_keys,
    rotate_encryption_key,
    unb64,
)


def test_it_creates_both_keys_readable_by_the_owner_only(tmp_path):
    keys, created = init_keys(tmp_path)
    assert created
    for name in ("signing.key", "encryption.key"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600
    assert keys.public_entry()["signing_key"] != keys.public_entry()["encryption_key"]


def test_it_keeps_existing_keys_on_a_second_init(tmp_path):
    first, _ = init_keys(tmp_path)
    second, created = init_keys(tmp_path)
    assert not created
    assert first.public_entry() == second.public_entry()


def test_it_refuses_a_key_file_others_can_read(tmp_path):
    init_keys(tmp_path)
    (tmp_path / "signing.key").chmod(0o644)
    with pytest.raises(NodeKeyError, match="readable by others"):
        _fresh(tmp_path)


def _fresh(path):
    from tipnet.exchange.keys import _load

    _load.cache_clear()
    return load_keys(path)


def test_it_refuses_base64_that_differs_only_in_padding_bits():
    assert unb64("QQ==") == b"A"
    with pytest.raises(ValueError):
        unb64("QR==")


def test_a_rotation_keeps_the_signing_key_and_only_the_last_encryption_key(tmp_path):
    first, _ = init_keys(tmp_path)
    second = rotate_encryption_key(tmp_path)
    assert bytes(second.signing) == bytes(first.signing)
    assert bytes(second.encryption) != bytes(first.encryption)
    assert bytes(second.previous_encryption) == bytes(first.encryption)
    assert [bytes(k) for k in second.decryption_keys()] == [
        bytes(second.encryption),
        bytes(first.encryption),
    ]
    third = rotate_encryption_key(tmp_path)
    assert bytes(third.previous_encryption) == bytes(second.encryption)
    assert bytes(first.encryption) not in [bytes(k) for k in third.decryption_keys()]
    for name in ("encryption.key", "encryption.previous.key"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "encryption.key",
        "encryption.previous.key",
        "signing.key",
    ]


def test_node_rotate_prints_the_entry_with_the_new_encryption_key(tmp_path, settings, capsys):
    import json

    from django.core.management import call_command

    settings.TIPNET_EXCHANGE_KEY_DIR = str(tmp_path)
    first, _ = init_keys(tmp_path)
    call_command("node", "rotate")
    entry = json.loads(capsys.readouterr().out)
    now = _fresh(tmp_path)
    assert entry["encryption_key"] == now.public_entry()["encryption_key"]
    assert entry["encryption_key"] != first.public_entry()["encryption_key"]
    assert entry["signing_key"] == first.public_entry()["signing_key"]


def test_a_process_that_read_the_keys_sees_a_rotation_made_by_another(tmp_path):
    from nacl.public import PrivateKey

    from tipnet.exchange.keys import _load, write_secret

    init_keys(tmp_path)
    before = load_keys(tmp_path)
    assert load_keys(tmp_path) is before  # read once while no file changes
    # What `tipnet node rotate` does in a process of its own; this process's cache is not cleared.
    (tmp_path / "encryption.key").rename(tmp_path / "encryption.previous.key")
    write_secret(tmp_path / "encryption.key", bytes(PrivateKey.generate()))
    assert _load.cache_info().currsize >= 1
    after = load_keys(tmp_path)
    assert bytes(after.encryption) != bytes(before.encryption)
    assert bytes(after.previous_encryption) == bytes(before.encryption)


def _by_re_encoding(text: str) -> bytes | None:
    """Canonical base64 by its definition: the text the bytes it decodes to encode to."""
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        return None
    return raw if base64.b64encode(raw).decode("ascii") == text else None


@settings(max_examples=3000, deadline=None)
@given(
    st.binary(max_size=12).map(lambda raw: base64.b64encode(raw).decode("ascii"))
    | st.text(alphabet="ABCDQRSTYZabgw019+/=\n -_", max_size=14),
    st.integers(min_value=0, max_value=20),
    st.sampled_from("AQgw+/=-\n"),
)
def test_it_takes_exactly_the_canonical_base64_texts(text, position, letter):
    if text and position < len(text):
        text = text[:position] + letter + text[position + 1 :]  # one letter changed
    try:
        decoded = unb64(text)
    except ValueError:
        decoded = None
    assert decoded == _by_re_encoding(text)
