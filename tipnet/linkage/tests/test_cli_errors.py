"""The `tipnet link` contract for bad input: a clear message, exit status 2, no output file."""

import subprocess
import sys

import pytest

from tipnet.linkage.cli import main
from tipnet.linkage.tests.conftest import write_csv

ROWS = [{"rid": "1", "first": "Shukhrat", "last": "Yusupov"}]


def run(capsys, *args) -> tuple[int, str]:
    status = main(list(args))
    return status, capsys.readouterr().err


@pytest.fixture
def people(tmp_path):
    return str(write_csv(tmp_path / "people.csv", ROWS))


def test_a_missing_column_is_named(capsys, people, tmp_path):
    out = tmp_path / "pairs.csv"
    status, err = run(capsys, people, "--id", "rid", "--field", "surname=nope", "--out", str(out))
    assert status == 2
    assert "no column 'nope'" in err
    assert not out.exists()


def test_a_missing_id_column_is_named(capsys, people, tmp_path):
    status, err = run(capsys, people, "--id", "x", "--field", "surname=last", "--out", "p.csv")
    assert status == 2
    assert "--id 'x'" in err


def test_an_unknown_role_lists_the_roles(capsys, people, tmp_path):
    status, err = run(capsys, people, "--id", "rid", "--field", "nickname=first", "--out", "p.csv")
    assert status == 2
    assert "unknown role 'nickname'" in err
    assert "given_name" in err and "document" in err


@pytest.mark.parametrize("spec", ["surname", "=last", "surname="])
def test_a_malformed_field_is_explained(capsys, people, spec):
    status, err = run(capsys, people, "--id", "rid", "--field", spec, "--out", "p.csv")
    assert status == 2
    assert "expected ROLE=COLUMN" in err


def test_an_unreadable_file_is_reported(capsys, tmp_path):
    missing = str(tmp_path / "missing.csv")
    status, err = run(capsys, missing, "--id", "rid", "--field", "surname=last", "--out", "p.csv")
    assert status == 2
    assert "cannot read" in err and "missing.csv" in err


def test_an_empty_file_is_reported(capsys, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    status, err = run(capsys, str(empty), "--id", "rid", "--field", "surname=last", "--out", "p")
    assert status == 2
    assert "is empty" in err


def test_a_header_without_records_is_reported(capsys, tmp_path):
    header = tmp_path / "header.csv"
    header.write_text("rid,last\n")
    status, err = run(capsys, str(header), "--id", "rid", "--field", "surname=last", "--out", "p")
    assert status == 2
    assert "no records" in err


def test_a_file_that_is_not_utf8_is_reported(capsys, tmp_path):
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("rid,last\n1,Müller\n".encode("latin-1"))
    status, err = run(capsys, str(latin1), "--id", "rid", "--field", "surname=last", "--out", "p")
    assert status == 2
    assert "not UTF-8" in err


def test_an_oversized_field_is_refused(capsys, tmp_path):
    huge = tmp_path / "huge.csv"
    huge.write_text("rid,last\n1," + "x" * 200_000 + "\n")
    status, err = run(capsys, str(huge), "--id", "rid", "--field", "surname=last", "--out", "p")
    assert status == 2
    assert "not valid CSV" in err


def test_duplicate_and_empty_ids_are_refused(capsys, tmp_path):
    dup = write_csv(tmp_path / "dup.csv", ROWS + ROWS)
    status, err = run(capsys, str(dup), "--id", "rid", "--field", "surname=last", "--out", "p")
    assert status == 2
    assert "appears twice" in err
    blank = write_csv(tmp_path / "blank.csv", [{"rid": " ", "last": "Yusupov"}])
    status, err = run(capsys, str(blank), "--id", "rid", "--field", "surname=last", "--out", "p")
    assert status == 2
    assert "is empty" in err


@pytest.mark.parametrize("threshold", ["0", "1.5", "-1"])
def test_the_threshold_must_be_a_probability(capsys, people, threshold):
    status, err = run(
        capsys, people, "--id", "rid", "--field", "surname=last", "--out", "p",
        "--threshold", threshold,
    )  # fmt: skip
    assert status == 2
    assert "--threshold" in err


def test_three_files_are_refused(capsys, people):
    status, err = run(capsys, people, people, people, "--id", "rid", "--field", "surname=last",
                      "--out", "p")  # fmt: skip
    assert status == 2
    assert "one file" in err


def test_the_command_runs_without_django_and_documents_the_roles():
    result = subprocess.run(
        [sys.executable, "-m", "tipnet.cli", "link", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin"},  # no DJANGO_SETTINGS_MODULE, no database
    )
    assert result.returncode == 0
    assert "ROLE=COLUMN" in result.stdout
    assert "patronymic" in result.stdout
