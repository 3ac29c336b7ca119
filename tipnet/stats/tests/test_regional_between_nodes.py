"""The region's figures between two real nodes: AE-MOJ reports its 2025 tables to the secretariat
UZ-GPO over loopback HTTP; only controlled tables travel, and the secretariat combines them."""

import pytest

from tipnet.exchange.tests.nodes import step as run_step

# The exchange tests' two real nodes, UZ-GPO and AE-MOJ, each with its own database.
from tipnet.mla.tests.test_between_nodes import nodes  # noqa: F401

from .regional_steps import NAME

# Real nodes on the pass's database: the PostgreSQL pass runs them (see the Makefile).
pytestmark = pytest.mark.nodes


def step(node, call: str):
    return run_step(node, "tipnet.stats.tests.regional_steps", call)


def test_a_node_reports_controlled_tables_and_the_secretariat_combines_them(nodes):  # noqa: F811
    uz, ae = nodes["UZ"], nodes["AE"]
    sent = step(ae, "send()")
    assert sent["to"] == "UZ-GPO"
    ae.run("exchange", "run", "--once")
    seen = step(uz, "received()")
    (report,) = seen["reports"]
    assert (report["from"], report["country"], report["period"]) == ("AE-MOJ", "AE", "2025")
    cells = [v for t in report["tables"] for row in t["cells"] for v in row]
    # Nine adult victims shown; the two men hidden, with a second cell so they cannot be worked out.
    assert 9 in cells and None in cells
    assert not [v for v in cells if isinstance(v, int) and 0 < v < 5]
    # No identity in what arrived: no name, no victim code, in the report or the inbox.
    arrived = " ".join(seen["inbox"]) + str(report)
    assert NAME not in arrived
    assert not [code for code in sent["codes"] if code in arrived]
    by_age = next(t for t in seen["combined"] if t["key"] == "victims_by_age")
    assert 9 in [v for row in by_age["cells"] for v in row]
    by_sex = next(t for t in seen["combined"] if t["key"] == "victims_by_sex")
    combined = [v for row in by_sex["cells"] for v in row]
    assert None in combined
    assert not [v for v in combined if isinstance(v, int) and 0 < v < 5]
