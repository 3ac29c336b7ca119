"""A misspelt setting stops the node with a message naming it, instead of meaning something else."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from tipnet.settings import envbool, envfloat, envint

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize("word", ["1", "true", "TRUE", "Yes", "on", " On "])
def test_every_documented_true_spelling_is_true(monkeypatch, word):
    monkeypatch.setenv("TIPNET_SAMPLE", word)
    assert envbool("TIPNET_SAMPLE", "false") is True


@pytest.mark.parametrize("word", ["0", "false", "False", "NO", "off"])
def test_every_documented_false_spelling_is_false(monkeypatch, word):
    monkeypatch.setenv("TIPNET_SAMPLE", word)
    assert envbool("TIPNET_SAMPLE", "true") is False


@pytest.mark.parametrize("word", ["ture", "y", "2", "enabled", "nope", "true!"])
def test_any_other_boolean_spelling_is_refused_naming_the_variable(monkeypatch, word):
    monkeypatch.setenv("TIPNET_SAMPLE", word)
    with pytest.raises(ImproperlyConfigured, match=r"TIPNET_SAMPLE=.* is not a boolean"):
        envbool("TIPNET_SAMPLE", "false")


def test_an_unset_boolean_takes_its_default(monkeypatch):
    monkeypatch.delenv("TIPNET_SAMPLE", raising=False)
    assert envbool("TIPNET_SAMPLE", "true") is True


@pytest.mark.parametrize("word", ["", "  "])
def test_a_setting_set_empty_takes_its_default(monkeypatch, word):
    monkeypatch.setenv("TIPNET_SAMPLE", word)
    assert envbool("TIPNET_SAMPLE", "true") is True
    assert envint("TIPNET_SAMPLE", "7") == 7
    assert envfloat("TIPNET_SAMPLE", "2.5") == 2.5


@pytest.mark.parametrize("word", ["ten", "1.5", "5m"])
def test_a_whole_number_setting_refuses_anything_else_naming_the_variable(monkeypatch, word):
    monkeypatch.setenv("TIPNET_SAMPLE", word)
    with pytest.raises(ImproperlyConfigured, match=r"TIPNET_SAMPLE=.* is not a whole number"):
        envint("TIPNET_SAMPLE", "1")


@pytest.mark.parametrize("word", ["fast", "nan", "inf", "1,5"])
def test_a_number_setting_refuses_anything_but_a_finite_number(monkeypatch, word):
    monkeypatch.setenv("TIPNET_SAMPLE", word)
    with pytest.raises(ImproperlyConfigured, match="TIPNET_SAMPLE="):
        envfloat("TIPNET_SAMPLE", "1")


def test_numbers_are_read_as_written(monkeypatch):
    monkeypatch.setenv("TIPNET_SAMPLE", " 42 ")
    assert envint("TIPNET_SAMPLE", "1") == 42
    assert envfloat("TIPNET_SAMPLE", "1") == 42.0


def test_a_node_started_with_a_misspelt_https_setting_stops_and_says_why(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "TIPNET_DATA_DIR": str(tmp_path), "TIPNET_HTTPS": "ture"}
    result = subprocess.run(
        [sys.executable, "-m", "tipnet.cli", "check"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: TIPNET_HTTPS='ture' is not a boolean" in result.stderr
