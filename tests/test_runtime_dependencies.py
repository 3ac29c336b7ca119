"""Every third-party module the node imports at run time comes with `make run`'s install.

`make run` installs the project without the dev group, so a module that only arrives through a
test dependency (numpy through recordlinkage, say) works in `make test` and breaks a fresh node.
This reads the imports of every non-test module and checks each against the distributions that
the project's declared dependencies pull in, transitively.
"""

import ast
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "tipnet"
# Modules used only by development tools inside the package (catalogue checks for scripts/i18n
# and the test suite); the node never imports them when it serves.
DEV_ONLY_MODULES = {PACKAGE / "lib" / "i18n.py"}


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _runtime_distributions() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    todo = [_canonical(Requirement(d).name) for d in project["dependencies"]]
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for spec in metadata.requires(name) or []:
            req = Requirement(spec)
            # a requirement for another platform or for an extra is not installed by `make run`
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(_canonical(req.name))
    return seen


def _imported_top_levels(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def _parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def _runtime_sources() -> list[Path]:
    return [
        p
        for p in PACKAGE.rglob("*.py")
        if "tests" not in p.parts and "migrations" not in p.parts and p not in DEV_ONLY_MODULES
    ]


def _optional_backends() -> set[str]:
    """Top-level modules imported only inside a function guarded by ImportError (extras)."""
    optional = set()
    for path in _runtime_sources():
        for node in ast.walk(_parse(path)):
            if isinstance(node, ast.Try) and any(
                isinstance(h.type, ast.Name) and h.type.id == "ImportError" for h in node.handlers
            ):
                optional |= _imported_top_levels(ast.Module(body=node.body, type_ignores=[]))
    return optional


def test_every_module_the_node_imports_is_installed_by_the_runtime_dependencies():
    runtime = _runtime_distributions()
    providers = metadata.packages_distributions()
    optional = _optional_backends()
    missing = {}
    for path in _runtime_sources():
        for module in (
            _imported_top_levels(_parse(path)) - set(sys.stdlib_module_names) - {"tipnet"}
        ):
            if module in optional:
                continue
            dists = {_canonical(d) for d in providers.get(module, [])}
            if not dists & runtime:
                missing.setdefault(module, str(path.relative_to(ROOT)))
    assert missing == {}, f"imported at run time but only installed for development: {missing}"


def test_the_check_sees_a_module_that_only_a_dev_dependency_brings():
    # pytest is installed here, but only by the dev group: the check must call it missing.
    providers = metadata.packages_distributions()
    assert {_canonical(d) for d in providers["pytest"]}.isdisjoint(_runtime_distributions())
    assert "django" in _runtime_distributions()
