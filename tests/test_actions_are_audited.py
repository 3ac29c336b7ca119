"""Every `do_*` action writes an audit event: it calls `record(...)` itself or another `do_*`.

A static check over every app's actions.py, so a new action that forgets its audit event fails
here even before it has a test of its own.
"""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "tipnet"


def _called_names(func: ast.FunctionDef) -> set[str]:
    names = set()
    for node in ast.walk(func):
        if isinstance(node, ast.Call):
            target = node.func
            names.add(target.id if isinstance(target, ast.Name) else getattr(target, "attr", ""))
    return names


def _actions():
    for path in sorted(PACKAGE.glob("*/actions.py")):
        tree = ast.parse(path.read_text())
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("do_"):
                yield path, node


def test_there_are_actions_to_check():
    assert len(list(_actions())) >= 5


def test_every_action_records_an_audit_event():
    silent = []
    for path, func in _actions():
        called = _called_names(func)
        if "record" not in called and not any(n.startswith("do_") for n in called):
            silent.append(f"{path.parent.name}.{func.name}")
    assert silent == []


def test_every_action_has_a_docstring():
    undocumented = [f"{p.parent.name}.{f.name}" for p, f in _actions() if not ast.get_docstring(f)]
    assert undocumented == []
