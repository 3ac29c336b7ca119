"""The layers of the house, drawn from the code's own imports (DESIGN.md section 4, "Layers").

`lib` at the bottom; then `audit`, `linkage` and `exchange`, which import no domain app; then
the domain apps. No module may take part in an import cycle. Imports inside functions count:
moving an import into a function hides a cycle from Python, not from the design.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "tipnet"
LOWER = ("lib", "audit", "linkage", "exchange")
DOMAIN = (
    "accounts",
    "directory",
    "cases",
    "victims",
    "mla",
    "checks",
    "cooperation",
    "jit",
    "stats",
)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def imports_of(module: str, source: str, is_package: bool, known: set[str]) -> set[str]:
    """The modules of `known` that `source` imports, anywhere in it (functions included)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            origin = _resolve(module, is_package, node)
            targets = [
                f"{origin}.{a.name}" if f"{origin}.{a.name}" in known else origin
                for a in node.names
            ]
        else:
            continue
        for target in targets:
            # `import a.b.c` names a module; `from a.b import name` may name a function of a.b.
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != module:
                found.add(target)
    return found


def import_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    """{module: modules of the tipnet package it imports} for every module under `root`."""
    paths = {module_name(p): p for p in root.rglob("*.py") if "migrations" not in p.parts}
    known = set(paths)
    return {
        name: imports_of(name, path.read_text(), path.name == "__init__.py", known)
        for name, path in paths.items()
    }


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import cycles of `graph`: its strongly connected components of two or more modules
    (Tarjan's algorithm, iterative so that a deep graph cannot exhaust the stack)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            nxt = next(edges, None)
            if nxt is not None:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph.get(nxt, ())))))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def app_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    """Each import of a domain app by lib, audit, linkage or exchange, and of any app by lib.

    Tests are left out: a test of a lower layer may build domain records to prove that the
    layer works with them (the audit log of a directory agency, say); cycles still count there.
    """
    return sorted(
        f"{module} -> {target}"
        for module, targets in graph.items()
        if app_of(module) in LOWER and ".tests" not in module
        for target in targets
        if app_of(target) in DOMAIN or (app_of(module) == "lib" and app_of(target) != "lib")
    )


def test_no_module_of_tipnet_takes_part_in_an_import_cycle():
    assert cycles(import_graph()) == []


def test_lib_audit_linkage_and_exchange_import_no_domain_app():
    assert upward_imports(import_graph()) == []


def test_the_graph_sees_imports_inside_functions():
    graph = import_graph()
    # tipnet/cli.py imports the linkage command line inside main().
    assert "tipnet.linkage.cli" in graph["tipnet.cli"]


def test_a_cycle_is_reported_with_every_module_in_it():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_a_cycle_through_an_import_inside_a_function_is_reported(tmp_path):
    package = tmp_path / "tipnet" / "shop"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "orders.py").write_text("from .wire import payload\n")
    (package / "wire.py").write_text("def send():\n    from tipnet.shop import orders\n")
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        graph = import_graph(tmp_path / "tipnet")
    finally:
        ROOT = saved
    assert cycles(graph) == [["tipnet.shop.orders", "tipnet.shop.wire"]]


def test_an_upward_import_is_reported():
    graph = {
        "tipnet.exchange.worker": {"tipnet.mla.actions"},
        "tipnet.mla.link": {"tipnet.exchange.actions"},
    }
    assert upward_imports(graph) == ["tipnet.exchange.worker -> tipnet.mla.actions"]
