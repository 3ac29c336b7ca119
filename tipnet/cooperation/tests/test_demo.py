"""The demo's police messages: Tashkent asks Dubai once, and Dubai answers once."""

from tipnet.accounts import demo as accounts_demo
from tipnet.accounts.models import User
from tipnet.cases import actions as cases
from tipnet.cooperation import demo
from tipnet.cooperation.models import Thread

from .conftest import arrive, opening


def test_tashkent_asks_dubai_once_and_dubai_answers_once(db, network, settings):
    accounts_demo.load()
    investigator = User.objects.get(username="investigator")
    case = cases.do_create_case(
        investigator, title=demo.UZ_CASE, summary="Fictional.", route=[("UZ", "origin")]
    )
    person = cases.do_create_person(investigator, full_name="Sardor Ergashev (fictional)")
    cases.do_add_person_to_case(investigator, case, person, "suspect", "recruiter")
    cases.do_add_identifier(investigator, person, "phone", "+998901112233")

    assert "sent to AE-MOJ" in demo.network_round(1)
    assert demo.network_round(1) == "already sent"
    thread = Thread.objects.get(case=case)
    assert (thread.kind, thread.counterpart_node, thread.handling_code) == (
        "request",
        "AE-MOJ",
        "H1",
    )
    assert thread.messages.get().items.count() == 1

    # The same code on the Dubai node: the request arrives, round 2 answers it once.
    settings.TIPNET_NODE_ID = "AE-MOJ"
    # Addressed to the node as the registry names it: its own agency receives it.
    arrive(opening("H1", thread_kind="request", to_agency="AE-MOJ (fictional)"), sender="UZ-GPO")
    assert demo.network_round(2).startswith("answered")
    assert demo.network_round(2) == "already answered"
