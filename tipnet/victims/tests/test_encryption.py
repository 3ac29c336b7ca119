"""Names, contacts, hotline reports and every free text about a victim are encrypted at rest
with a key outside the database."""

import os
import stat
import subprocess
import sys
from datetime import date
from types import SimpleNamespace

import pytest
from django.db import connection
from nacl.exceptions import CryptoError

from tipnet.lib.sealedfields import decrypt_columns, encrypt_columns
from tipnet.victims import actions, crypto
from tipnet.victims.models import Goal, Victim

from .conftest import FAMILY, NAME, consent


def test_the_key_file_is_created_with_mode_0600(field_key):
    crypto.encrypt("x")
    assert stat.S_IMODE(field_key.stat().st_mode) == 0o600
    assert len(field_key.read_bytes()) == 32


def test_names_round_trip_but_the_stored_column_is_ciphertext(victim):
    again = Victim.objects.get(pk=victim.pk)
    assert (again.given_name, again.family_name) == (NAME, FAMILY)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT given_name, family_name, phone FROM victims_victim WHERE id = %s", [victim.pk]
        )
        row = cursor.fetchone()
    assert all(value.startswith("nacl1:") for value in row)
    assert NAME not in "".join(row) and "998901234567" not in "".join(row)


def raw(table: str, column: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table}")  # noqa: S608 - names from the test
        return [value for (value,) in cursor.fetchall()]


def test_free_text_about_a_victim_is_stored_as_ciphertext(caseworker, victim, offer):
    actions.do_screen(caseworker, victim, [], "Seen with bruises")
    actions.do_decide_status(caseworker, victim, "presumed", "NRM", date.today(), "Decided")
    consent(victim, caseworker, "assistance")
    referral = actions.do_refer(caseworker, victim, offer, "Needs a bed tonight")
    actions.do_decide_referral(caseworker, referral, False, "No bed free")
    actions.do_add_goal(caseworker, victim, "Find her sister")
    follow_up = actions.do_add_follow_up(caseworker, victim, date.today(), "Call her mother")
    actions.do_complete_follow_up(caseworker, follow_up, "Mother answered")
    columns = [
        ("victims_screening", "note"),
        ("victims_statusdecision", "note"),
        ("victims_referral", "reason"),
        ("victims_referral", "response"),
        ("victims_goal", "text"),
        ("victims_followup", "purpose"),
        ("victims_followup", "outcome"),
    ]
    for table, column in columns:
        assert [v[:6] for v in raw(table, column)] == ["nacl1:"], (table, column)
    assert Goal.objects.get().text == "Find her sister"


def test_the_migration_step_encrypts_clear_rows_once_and_can_be_reversed(caseworker, victim):
    actions.do_add_goal(caseworker, victim, "Find her sister")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE victims_goal SET text = %s", ["Written before encryption"])
    editor = SimpleNamespace(connection=connection)
    encrypt_columns(editor, "victims_goal", ["text"])
    sealed = raw("victims_goal", "text")
    encrypt_columns(editor, "victims_goal", ["text"])
    assert raw("victims_goal", "text") == sealed and sealed[0].startswith("nacl1:")
    assert Goal.objects.get().text == "Written before encryption"
    decrypt_columns(editor, "victims_goal", ["text"])
    assert raw("victims_goal", "text") == ["Written before encryption"]


def test_equal_names_encrypt_differently():
    assert crypto.encrypt(NAME) != crypto.encrypt(NAME)


def test_a_tampered_value_does_not_decrypt():
    token = crypto.encrypt(NAME)
    tampered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    with pytest.raises(CryptoError):
        crypto.decrypt(tampered)


def test_a_key_of_the_wrong_size_is_refused(field_key):
    field_key.parent.mkdir(parents=True)
    field_key.write_bytes(b"short")
    with pytest.raises(RuntimeError):
        crypto.encrypt(NAME)


# Runs in a subprocess against a real SQLite file, since the test database lives in memory.
NODE_SCRIPT = """
import django
from django.core.management import call_command
django.setup()
call_command("migrate", verbosity=0)
from tipnet.accounts.models import Agency, User
from tipnet.victims.actions import do_log_call, do_register_victim
agency = Agency.objects.create(code="UZ-NGO", name="NGO", country="UZ")
user = User.objects.create_user("kamila", agency=agency)
do_register_victim(user, {"given_name": "Zilola Qodirova", "phone": "+998935550101"})
call = {"channel": "phone", "language": "uz", "caller_type": "relative", "urgency": "urgent"}
call |= {"summary": "Zilola is held at a sewing workshop", "outcome": "information"}
do_log_call(user, call)
"""


def test_the_database_file_holds_no_name_in_clear(tmp_path):
    env = {**os.environ, "TIPNET_DATA_DIR": str(tmp_path), "DATABASE_URL": ""}
    env |= {"DJANGO_SETTINGS_MODULE": "tipnet.settings", "TIPNET_FIELD_KEY_FILE": ""}
    subprocess.run([sys.executable, "-c", NODE_SCRIPT], env=env, check=True, timeout=120)
    data = (tmp_path / "tipnet.sqlite3").read_bytes()
    assert b"victims_victim" in data and b"nacl1:" in data
    assert b"Zilola" not in data and "Qodirova".encode("utf-16-le") not in data
    assert b"998935550101" not in data and b"sewing workshop" not in data
    assert stat.S_IMODE((tmp_path / "field.key").stat().st_mode) == 0o600
