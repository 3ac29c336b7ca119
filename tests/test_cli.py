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


def _node_commands() -> list[str]:
    """Each management command of the tipnet apps, with each of its actions."""
    from django.core.management import load_command_class

    found = []
    for path in sorted(ROOT.glob("tipnet/*/management/commands/[!_]*.py")):
        app, name = f"tipnet.{path.parents[2].name}", path.stem
        parser = load_command_class(app, name).create_parser("tipnet", name)
        actions = [a for a in parser._actions if a.dest == "action" and a.choices]
        choices = list(actions[0].choices or ()) if actions else [""]
        found += [f"{name} {choice}".strip() for choice in choices]
    return found


def test_help_lists_every_command_of_a_node_with_each_of_its_actions():
    result = _tipnet("--help")
    assert result.returncode == 0
    help_text = " ".join(result.stdout.split())
    listed = ["serve", "link", *_node_commands()]
    assert "node init" in listed and "exchange ping" in listed
    for command in listed:
        name, _sep, action = command.partition(" ")
        assert f" {name} " in help_text, command
        assert not action or action in help_text, command


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
