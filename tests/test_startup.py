"""Every `tipnet` command and every server worker starts by loading the settings, the apps and
the URL configuration (Django's system checks read it). Libraries that take a second of CPU to
import and serve one page or one export are imported where they are used, so that start-up stays
short for an operator's command and for each process of the real-node tests."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Imported on first use only: charts, disclosure control, network layout, spreadsheets.
HEAVY = ("matplotlib", "scipy", "networkx", "openpyxl")

STARTUP = """
import json, sys
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns
from django.core.management import call_command
print(json.dumps(sorted(m.split(".")[0] for m in sys.modules)))
"""

pytestmark = pytest.mark.once


def test_start_up_does_not_import_the_libraries_of_single_pages(tmp_path):
    env = {**os.environ, "TIPNET_DATA_DIR": str(tmp_path), "DATABASE_URL": ""}
    env["DJANGO_SETTINGS_MODULE"] = "tipnet.settings"
    done = subprocess.run(
        [sys.executable, "-c", STARTUP],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert "tipnet" in loaded and "django" in loaded
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))
