"""The checks demo: the same suspect in two scripts on two nodes, and round 1's checks."""

from conftest import make_user
from tipnet.cases.access import visible_cases
from tipnet.cases.actions import do_create_case
from tipnet.checks import demo
from tipnet.checks.models import IndexEntry, OutgoingCheck


def test_the_demo_records_the_suspect_and_checks_him_with_every_partner_once(
    checknet, uz_mvd, uz_gpo, settings
):
    settings.TIPNET_NODE_COUNTRY = "UZ"
    actor = make_user("investigator", uz_mvd, "investigator")
    case = do_create_case(
        actor, title=demo.UZ_CASE_TITLE, route=[("UZ", "origin"), ("AE", "destination")]
    )
    assert demo.load().startswith("suspect Шухрат Юсупов added")
    # The supervising prosecutors see the case, so they can draft the MLA request a hit calls for.
    assert case in visible_cases(make_user("prosecutor", uz_gpo, "prosecutor"))
    assert demo.load() == "already loaded"
    assert IndexEntry.objects.count() == 1
    summary = demo.network_round(1)
    assert "AE-MOJ" in summary and "KG-GPO" in summary
    assert sorted(OutgoingCheck.objects.values_list("node", flat=True)) == ["AE-MOJ", "KG-GPO"]
    assert demo.network_round(1) == "already checked"
    assert demo.network_round(2) == ""


def test_the_uae_partner_records_him_in_latin_and_kyrgyzstan_not_at_all(checknet, ae_moj):
    make_user("investigator", ae_moj, "investigator")
    assert demo.load_partner("KG") == "no checks demo data"
    assert demo.load_partner("AE").startswith("suspect Shuhrat Yusupov recorded")
    assert demo.load_partner("AE") == "already loaded"
    assert IndexEntry.objects.get().roles == ["suspect"]
