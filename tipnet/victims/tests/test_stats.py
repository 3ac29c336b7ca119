"""The victims' figures: one computation (tipnet.victims.stats) behind the page and the API."""

from tipnet.victims.actions import do_log_call, do_register_victim, do_screen
from tipnet.victims.models import Status


def _figures(user, client_as, api_as):
    page = client_as(user).get("/victims/stats/")
    api = api_as(user).get("/api/victims/stats")
    assert page.status_code == 200 and api.status_code == 200
    return page.context, api.json()


def _by_label(rows, field):
    return {row[field]: row["n"] for row in rows}


def _api_by_label(rows, field):
    return {Status(row["key"][field]).label: row["count"] for row in rows}


def _register(caseworker, sex, nationality=""):
    return do_register_victim(
        caseworker, {"given_name": "X", "sex": sex, "nationality": nationality}
    )


def test_the_page_and_the_api_give_the_same_figures(caseworker, analyst, client_as, api_as):
    do_screen(caseworker, _register(caseworker, "female", "UZ"), ["debt_bondage"])
    _register(caseworker, "female", "TJ")
    _register(caseworker, "male")
    call = {"channel": "phone", "language": "uz", "caller_type": "anonymous", "urgency": "routine"}
    call |= {"summary": "A job offer abroad", "outcome": "information"}
    do_log_call(caseworker, call)
    do_log_call(caseworker, call | {"channel": "web"})
    page, api = _figures(analyst, client_as, api_as)
    assert page["total"] == api["total"] == 3
    assert _by_label(page["by_status"], "status") == _api_by_label(api["by_status"], "status")
    assert _by_label(page["by_status"], "status") == {"Presumed victim": 1, "Potential victim": 2}
    assert [r["n"] for r in page["by_sex"]] == [c["count"] for c in api["by_sex"]] == [2, 1]
    calls = [(c["key"]["channel"], c["count"]) for c in api["calls_by_channel_and_outcome"]]
    assert [r["n"] for r in page["by_channel_outcome"]] == [n for _c, n in calls]
    assert calls == [("phone", 1), ("web", 1)]


def test_a_caseworker_counts_only_their_agencys_victims_on_both(
    caseworker, shelter_worker, client_as, api_as
):
    _register(caseworker, "female")
    _register(shelter_worker, "male")
    _register(shelter_worker, "male")
    page, api = _figures(caseworker, client_as, api_as)
    assert page["total"] == api["total"] == 1
    assert [c["key"]["sex"] for c in api["by_sex"]] == ["female"]
    assert [r["n"] for r in page["by_sex"]] == [1]
