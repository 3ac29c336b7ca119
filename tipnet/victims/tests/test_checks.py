"""The system check warns about a field key others can read and fails on a damaged one."""

import os

from tipnet.victims.checks import check_field_key


def test_a_missing_key_is_fine_because_it_is_created_on_first_use(field_key):
    assert check_field_key(None) == []


def test_a_key_readable_by_others_is_warned_about(field_key):
    field_key.parent.mkdir(parents=True)
    field_key.write_bytes(os.urandom(32))
    field_key.chmod(0o644)
    assert [p.id for p in check_field_key(None)] == ["victims.W001"]
    field_key.chmod(0o600)
    assert check_field_key(None) == []


def test_a_damaged_key_is_an_error(field_key):
    field_key.parent.mkdir(parents=True)
    field_key.write_bytes(b"truncated")
    field_key.chmod(0o600)
    assert [p.id for p in check_field_key(None)] == ["victims.E001"]
