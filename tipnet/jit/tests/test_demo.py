"""The demo's parallel investigation, round by round on one node (the network runs three)."""

from conftest import make_user
from tipnet.cases.models import Case
from tipnet.cases.tests.factories import add_person, make_case
from tipnet.jit import demo, receive
from tipnet.jit.models import Agreement
from tipnet.jit.tests.conftest import peer_signs


def test_tashkent_proposes_in_round_1_and_shares_its_chain_in_round_3(
    network, settings, uz_gpo, uz_mvd
):
    settings.TIPNET_NODE_COUNTRY = "UZ"
    prosecutor = make_user("prosecutor", uz_gpo, "prosecutor")
    make_user("investigator", uz_mvd, "investigator")
    case = make_case(prosecutor, demo.UZ_CASE)
    add_person(prosecutor, case, "Rustam Karimov")

    assert "proposed" in demo.network_round(1)
    assert demo.network_round(1) == "already proposed"
    agreement = Agreement.objects.get(title=demo.TITLE)
    assert agreement.members.count() == 2
    assert demo.network_round(3) == "the agreement is not in force here yet"

    receive.receive_signature("AE-MOJ", peer_signs(network, agreement))
    assert demo.network_round(3) == "2 suspects shared in the chain"
    assert demo.network_round(3) == "already shared"
    roles = sorted(i.source.chain_role for i in agreement.items.filter(kind="person"))
    assert roles == ["recruiter", "transporter"]


def test_dubai_gets_its_case_with_the_exploiter_once(db, settings, ae_moj):
    settings.TIPNET_NODE_COUNTRY = "AE"
    make_user("investigator", ae_moj, "investigator")
    assert "created" in demo.load_partner("AE")
    assert demo.load_partner("AE") == "already loaded"
    exploiter = Case.objects.get(title=demo.AE_CASE).case_persons.get()
    assert exploiter.chain_role == "exploiter"
    assert exploiter.person.identifiers.get().normalised == "BLUE A-2291/3-2026"
