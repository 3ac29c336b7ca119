"""A node killed inside a transition's transaction keeps both the transition and its message,
or neither: the message is queued in the transaction of the change it reports.

The node is a real `tipnet` process with its own database (SQLite in its data folder, or a
throwaway PostgreSQL database on a PostgreSQL run); the step that dies calls os._exit(9) inside
the action's transaction, as a power cut would, and the next process reads what was kept.
"""

import pytest

from tipnet.exchange import localnet
from tipnet.exchange.tests.nodes import made_nodes
from tipnet.exchange.tests.nodes import step as run_step

# Real nodes on the pass's database: the PostgreSQL pass runs them (see the Makefile).
pytestmark = [pytest.mark.slow, pytest.mark.nodes]

WITHDRAW = {"reason": "The suspect was arrested at home."}


def step(node, call: str):
    return run_step(node, "tipnet.mla.tests.link_steps", call)


@pytest.fixture(scope="module")
def uz(tmp_path_factory):
    root = tmp_path_factory.mktemp("crash-net")
    with made_nodes(root, (("UZ-GPO", "UZ"), ("AE-MOJ", "AE"))) as made:
        localnet.publish(root, made, [localnet.prepare(n) for n in made])
        yield made[0]


def _dies(node, uid: str, after_queueing: bool) -> None:
    call = f"die_before_commit({uid!r}, 'withdraw', {WITHDRAW!r}, {after_queueing})"
    with pytest.raises(RuntimeError, match="killed inside the transaction"):
        step(node, call)


def test_a_node_killed_before_commit_keeps_neither_the_transition_nor_its_message(uz):
    uid = step(uz, "submit_to_ae()")["uid"]
    for after_queueing in (True, False):
        _dies(uz, uid, after_queueing)
        assert step(uz, f"show({uid!r})")["state"] == "submitted"
        assert step(uz, f"outbox({uid!r})") == ["mla.request"]


def test_a_node_that_commits_keeps_both_the_transition_and_its_message(uz):
    uid = step(uz, "submit_to_ae()")["uid"]
    assert step(uz, f"transition({uid!r}, 'withdraw', {WITHDRAW!r})")["state"] == "withdrawn"
    assert step(uz, f"show({uid!r})")["state"] == "withdrawn"
    assert step(uz, f"outbox({uid!r})") == ["mla.request", "mla.transition"]
