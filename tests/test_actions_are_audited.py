"""Every `do_*` action writes an audit event: it calls `record(...)` or `record_many(...)`, another
`do_*`, or a helper of its own module that does (followed through any depth).

A static check over every module of the tipnet package (tests and migrations aside), not only
the apps' actions.py, so a new action that forgets its audit event fails here even before it
has a test of its own, wherever it is written.
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


RECORDERS = {"record", "record_many"}


def _functions(path: Path) -> dict[str, ast.FunctionDef]:
    tree = ast.parse(path.read_text())
    return {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}


def _modules() -> list[Path]:
    return sorted(
        path
        for path in PACKAGE.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
    )


def _actions():
    for path in _modules():
        for name, node in _functions(path).items():
            if name.startswith("do_"):
                yield path, node


def _audits(func: ast.FunctionDef, module: dict[str, ast.FunctionDef], seen: set[str]) -> bool:
    """Whether `func` records an event itself, calls an action, or calls a helper that does."""
    seen.add(func.name)
    called = _called_names(func)
    if called & RECORDERS or any(n.startswith("do_") and n != func.name for n in called):
        return True
    helpers = [module[n] for n in called if n in module and n not in seen]
    return any(_audits(helper, module, seen) for helper in helpers)


def test_there_are_actions_to_check_in_every_kind_of_module():
    where = {path.relative_to(PACKAGE).as_posix() for path, _func in _actions()}
    assert len(list(_actions())) >= 5
    # Actions outside actions.py are checked too: the victims' and MLA's links hold some.
    assert {"victims/link.py", "victims/hand_overs.py", "mla/link.py"} <= where


def test_every_action_records_an_audit_event():
    silent = []
    for path, func in _actions():
        if not _audits(func, _functions(path), set()):
            silent.append(f"{path.relative_to(PACKAGE)}:{func.name}")
    assert silent == []


def test_the_check_finds_a_silent_action(tmp_path):
    # An action whose only callee is itself, or a helper that writes nothing, is reported.
    source = tmp_path / "actions.py"
    source.write_text(
        "def _helper(x):\n    return x\n\n"
        "def do_silent(x):\n    if x:\n        return do_silent(x - 1)\n    return _helper(x)\n\n"
        "def _writes(e):\n    record_many(e)\n\n"
        "def do_through_helper(e):\n    _writes(e)\n"
    )
    module = _functions(source)
    assert not _audits(module["do_silent"], module, set())
    assert _audits(module["do_through_helper"], module, set())


def test_every_action_has_a_docstring():
    undocumented = [
        f"{p.relative_to(PACKAGE)}:{f.name}" for p, f in _actions() if not ast.get_docstring(f)
    ]
    assert undocumented == []
