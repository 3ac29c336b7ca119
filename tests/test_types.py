"""mypy with django-stubs passes with zero errors (configuration in pyproject.toml, [tool.mypy]).

Strict on the layers below the domain apps (lib, linkage, audit), default mode elsewhere. The
cache lives in .mypy_cache, so a run after a small change checks only what the change touches.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_mypy_finds_no_type_errors():
    mypy = Path(sys.executable).parent / "mypy"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tipnet.settings"}
    result = subprocess.run(
        [str(mypy), "--no-color-output", "--no-error-summary"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert result.returncode == 0 and not errors, (
        f"mypy found {len(errors)} error(s):\n{result.stdout}{result.stderr}"
    )
