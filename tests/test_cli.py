import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _tipnet(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "tipnet.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def test_help_lists_the_node_commands():
    result = _tipnet("--help")
    assert result.returncode == 0
    for command in ("serve", "demo", "audit verify", "createuser", "link"):
        assert command in result.stdout


def test_django_commands_pass_through(tmp_path):
    import os

    env = {**os.environ, "TIPNET_DATA_DIR": str(tmp_path), "DATABASE_URL": ""}
    result = _tipnet("showmigrations", "audit", env=env)
    assert result.returncode == 0
    assert "append_only_triggers" in result.stdout


def test_an_unknown_command_fails_clearly(tmp_path):
    import os

    env = {**os.environ, "TIPNET_DATA_DIR": str(tmp_path), "DATABASE_URL": ""}
    result = _tipnet("no-such-command", env=env)
    assert result.returncode != 0
    assert "Unknown command" in result.stderr
