"""Every environment variable the code reads is documented, and commented where it is read."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READ = re.compile(
    r"""os\.environ(?:\.get)?[\[(]\s*["']([A-Z][A-Z0-9_]+)["']|env(?:bool|int|float|list)\(\s*["']([A-Z][A-Z0-9_]+)["']"""
)
DOC = (ROOT / "docs" / "configuration.md").read_text()


def _variables_read() -> dict[str, Path]:
    found = {}
    for path in [*ROOT.glob("tipnet/**/*.py"), *ROOT.glob("tests/**/*.py"), ROOT / "conftest.py"]:
        if "/tests/" in str(path.relative_to(ROOT)) and path.name.startswith("test_settings"):
            continue
        for match in READ.finditer(path.read_text()):
            found[match.group(1) or match.group(2)] = path
    return found


def test_the_code_reads_the_expected_core_variables():
    assert {"SECRET_KEY", "DEBUG", "DATABASE_URL", "TIPNET_NODE_ID"} <= set(_variables_read())


def test_every_variable_read_is_in_the_configuration_docs():
    missing = [name for name in _variables_read() if f"`{name}`" not in DOC]
    assert missing == []


def test_every_setting_has_a_comment_on_the_line_above():
    lines = (ROOT / "tipnet" / "settings.py").read_text().splitlines()
    uncommented = []
    for i, line in enumerate(lines):
        if READ.search(line) and not line.startswith((" ", "def ", "\t")):
            above = lines[i - 1].strip()
            if not above.startswith("#"):
                uncommented.append(line)
    assert uncommented == []


def test_production_settings_pass_the_deploy_check(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "false",
        "SECRET_KEY": "x7$Kq!v2Lm9#Pz4@Wn8^Rb1&Tc6*Yd3(Hf5)Gj0-Sa_Ue+Io=Ep|Ar",
        "TIPNET_HTTPS": "true",
        "TIPNET_ALLOWED_HOSTS": "tipnet.example.gov",
        "TIPNET_DATA_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-m", "tipnet.cli", "check", "--deploy", "--fail-level", "DEBUG"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
