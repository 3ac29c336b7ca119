"""The index follows the cases in the same transaction; a new key epoch or encoding version
re-encodes it."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from tipnet.cases.actions import do_add_identifier, do_add_person_to_case, do_create_person
from tipnet.checks import index
from tipnet.checks.models import IndexEntry, IndexState

from .conftest import add_person, install_check_key


def test_a_person_is_encoded_when_given_a_role_with_no_name_in_the_entry(checknet, suspect):
    entry = IndexEntry.objects.get(person=suspect.person)
    assert entry.roles == ["suspect"] and entry.epoch == checknet.check_key.epoch
    assert len(bytes(entry.name_clk)) == len(bytes(entry.person_clk)) == 128
    assert entry.has_details
    stored = repr((bytes(entry.name_clk), bytes(entry.person_clk), entry.tokens))
    assert "Юсупов" not in stored and "1985" not in stored


def test_an_identifier_adds_its_token_in_the_same_action(checknet, suspect, investigator):
    do_add_identifier(investigator, suspect.person, "phone", "+998 90 123 45 67", "UZ")
    assert len(IndexEntry.objects.get(person=suspect.person).tokens) == 1


def test_a_rolled_back_role_leaves_no_entry(checknet, uz_case, investigator):
    person = do_create_person(investigator, full_name="Rustam Karimov", sex="male")
    with pytest.raises(RuntimeError), transaction.atomic():
        do_add_person_to_case(investigator, uz_case, person, "suspect")
        assert IndexEntry.objects.filter(person=person).exists()
        raise RuntimeError("the action failed after the role was written")
    assert not IndexEntry.objects.filter(person=person).exists()


def test_a_node_without_a_key_keeps_no_entries(uz_case, investigator):
    add_person(investigator, uz_case, "Rustam Karimov")
    assert IndexEntry.objects.count() == 0


def test_a_rotated_key_re_encodes_the_index_under_the_new_epoch(checknet, suspect):
    before = bytes(IndexEntry.objects.get(person=suspect.person).name_clk)
    key = install_check_key(checknet, rotate=True)
    index.ensure_epoch(key)
    entry = IndexEntry.objects.get(person=suspect.person)
    assert entry.epoch == key.epoch == checknet.check_key.epoch + 1
    assert bytes(entry.name_clk) != before
    assert index.indexed_epoch() == key.epoch


def _built_with_older_encodings(epoch: int) -> None:
    # what an index encoded before the current ENCODING_VERSION looks like
    IndexEntry.objects.update(name_clk=bytes(128), person_clk=bytes(128))
    IndexState.objects.update_or_create(
        pk=1, defaults={"epoch": epoch, "encoding_version": index.encoding_version() - 1}
    )


def test_a_new_encoding_version_re_encodes_the_index_under_the_same_epoch(checknet, suspect):
    current = bytes(IndexEntry.objects.get(person=suspect.person).name_clk)
    _built_with_older_encodings(checknet.check_key.epoch)
    index.ensure_epoch(checknet.check_key)
    assert bytes(IndexEntry.objects.get(person=suspect.person).name_clk) == current
    assert index.indexed_encoding_version() == index.encoding_version()
    assert index.indexed_epoch() == checknet.check_key.epoch


def test_the_rebuild_command_re_encodes_an_index_of_an_older_encoding_version(checknet, suspect):
    current = bytes(IndexEntry.objects.get(person=suspect.person).person_clk)
    _built_with_older_encodings(checknet.check_key.epoch)
    out = StringIO()
    call_command("checks", "rebuild", stdout=out)
    assert f"encoding version {index.encoding_version()}" in out.getvalue()
    assert bytes(IndexEntry.objects.get(person=suspect.person).person_clk) == current
    assert index.indexed_encoding_version() == index.encoding_version()
