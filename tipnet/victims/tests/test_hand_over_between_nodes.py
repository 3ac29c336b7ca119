"""A hand-over between two real nodes: Dubai sends, the Tashkent shelter acknowledges.

AE-MOJ and UZ-GPO run as separate processes with their own databases (throwaway PostgreSQL
databases when the suite runs on PostgreSQL); the steps on each node run in that node's process
(hand_over_steps.py) and each node's worker carries the messages over loopback HTTP.
"""

import json
import os

import pytest

# The exchange tests' two real nodes, UZ-GPO and AE-MOJ, each with its own database.
from tipnet.mla.tests.test_between_nodes import nodes  # noqa: F401

from .hand_over_steps import FAMILY, NAME

# Real nodes on the pass's database: the PostgreSQL pass runs them (see the Makefile).
pytestmark = pytest.mark.nodes


def step(node, call: str):
    code = f"from tipnet.victims.tests import hand_over_steps as s; s.{call}"
    return json.loads(node.run("shell", "-c", code).strip().splitlines()[-1])


def _database_bytes(node) -> bytes:
    files = [node.data_dir / "tipnet.sqlite3", node.data_dir / "tipnet.sqlite3-wal"]
    return b"".join(f.read_bytes() for f in files if f.exists())


def test_the_hand_over_arrives_limited_by_consent_and_the_acknowledgement_returns(nodes):  # noqa: F811
    uz, ae = nodes["UZ"], nodes["AE"]
    step(uz, "prepare_receiver()")
    bare = step(ae, "send(False)")
    named = step(ae, "send(True)")
    assert bare["to"] == named["to"] == "UZ-GPO"
    ae.run("exchange", "run", "--once")

    seen = {row["code"]: row for row in step(uz, "incoming()")}
    assert (seen[bare["code"]]["identity"], seen[bare["code"]]["name"]) == (False, "")
    assert (seen[named["code"]]["identity"], seen[named["code"]]["name"]) == (True, NAME)
    assert seen[bare["code"]]["from"] == "AE-MOJ"

    step(uz, f"acknowledge({bare['code']!r})")
    uz.run("exchange", "run", "--once")
    plan = step(ae, f"plan_of({bare['code']!r})")
    assert plan["handed_over_at"] is not None and plan["received_at"] == plan["handed_over_at"]
    assert step(ae, f"plan_of({named['code']!r})")["handed_over_at"] is None

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        stored = _database_bytes(uz)
        assert NAME.encode() not in stored and FAMILY.encode() not in stored
        assert b"V-" in stored  # the file was read: the codes are there in clear
