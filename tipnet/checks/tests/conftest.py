"""Checks fixtures: this node (UZ-GPO) in the exchange's small signed network, with the network
check key issued by the same secretariat, and a Tashkent case with a suspect in Cyrillic."""

import json

import pytest

from tipnet.cases.actions import (
    do_add_identifier,
    do_add_person_to_case,
    do_create_case,
    do_create_person,
)
from tipnet.cases.validation import PartialDate
from tipnet.checks import netkey
from tipnet.exchange.keys import read_secret
from tipnet.exchange.localnet import issue_check_key

# The exchange's small signed network around this node (peers KG-GPO and AE-MOJ in memory).
from tipnet.exchange.tests.conftest import network  # noqa: F401 - fixture


def install_check_key(net, rotate: bool = False) -> netkey.CheckKey:
    """Issue (or rotate) the check key to the network's nodes and install this node's copy."""
    document = json.loads((net.tmp_path / "network.json").read_text())
    state = net.tmp_path / "secretariat"
    state.mkdir(exist_ok=True)
    issued = issue_check_key(state, net.secretariat, document["nodes"], rotate)
    (net.tmp_path / netkey.FILE_NAME).write_text(json.dumps(issued))
    return netkey.CheckKey(issued["epoch"], read_secret(state / "network-check.key"))


@pytest.fixture
def checknet(network):  # noqa: F811 - the imported fixture
    network.check_key = install_check_key(network)
    return network


@pytest.fixture
def uz_case(investigator):
    return do_create_case(
        investigator,
        title="Recruitment of workers for Dubai (fictional)",
        summary="Recruited in Tashkent with false job offers.",
        route=[("UZ", "origin"), ("AE", "destination")],
    )


def add_person(actor, case, name, role="suspect", birth=None, sex="male", phone=""):
    person = do_create_person(actor, full_name=name, sex=sex, birth=birth or PartialDate(None))
    row = do_add_person_to_case(actor, case, person, role)
    if phone:
        do_add_identifier(actor, person, "phone", phone, "UZ")
    return row


@pytest.fixture
def suspect(uz_case, investigator):
    return add_person(
        investigator, uz_case, "Шухрат Юсупов", birth=PartialDate(1985, 3, 14, "exact")
    )
