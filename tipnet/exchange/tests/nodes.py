"""Real nodes for the multi-process tests: each one a `tipnet` process with its own database.

On a PostgreSQL run (DATABASE_URL=postgres://...) every node gets a throwaway database of its
own, dropped afterwards; otherwise each node keeps SQLite in its own data folder.
"""

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.browser.conftest import _free_port, _throwaway_postgres
from tipnet.exchange import localnet


@contextmanager
def made_nodes(root: Path, members, settings: dict | None = None) -> Iterator[list]:
    """Yield a LocalNode for each (node_id, country) in `members`; stop and drop them after.

    The nodes are neither published nor served: the caller decides the registry and which to
    start, for the tests that need a node down or a registry entry of their own.
    """
    drops, made = [], []
    try:
        for node_id, country in members:
            url = ""
            if os.environ.get("DATABASE_URL", "").startswith("postgres"):
                url, drop = _throwaway_postgres(os.environ["DATABASE_URL"])
                drops.append(drop)
            made.append(
                localnet.LocalNode(
                    node_id,
                    country,
                    f"{node_id} (fictional)",
                    _free_port(),
                    root / node_id,
                    url,
                    dict(settings or {}),
                )
            )
        yield made
    finally:
        for node in made:
            node.stop_all()
        for drop in drops:
            drop()


@contextmanager
def serving_nodes(root: Path, members, settings: dict | None = None) -> Iterator[dict]:
    """Yield {country: LocalNode} for `members`, under one signed registry, every node serving."""
    with made_nodes(root, members, settings) as made:
        localnet.publish(root, made, [localnet.prepare(n) for n in made])
        for node in made:
            node.serve()
        yield {node.country: node for node in made}


def step(node, module: str, call: str):
    """Run `call` from the test-steps module `module` inside `node`'s process; its JSON answer."""
    code = f"import {module} as s; s.{call}"
    return json.loads(node.run("shell", "-c", code).strip().splitlines()[-1])
