"""Each list and page costs the same number of queries for 3 rows as for 20, and the list's
total is counted a bounded distance ahead, not over every visible case."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tipnet.cases.access import visible_cases
from tipnet.cases.models import Case
from tipnet.lib.paging import lookahead_page

from .factories import add_person, make_case

pytestmark = pytest.mark.django_db


def _count(client, path: str, **data) -> int:
    client.get(path, data)  # sessions, translations and caches settle first
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, data)
    assert response.status_code == 200, response.status_code
    return len(queries)


def _cases(user, first: int, count: int) -> list[Case]:
    made = []
    for i in range(first, first + count):
        case = make_case(user, title=f"Synthetic case {i:03d}")
        add_person(user, case, f"Dilshod Karimov{'v' * (i % 3)}", role="suspect")
        add_person(user, case, f"Nodira Rahimova{'a' * (i % 3)}", role="victim")
        made.append(case)
    return made


@pytest.mark.parametrize(
    "path, data",
    [
        ("cases:list", {}),
        ("cases:list", {"stage": "detection", "country": "AE", "form": "labour"}),
        ("cases:person_search", {"q": "Dilshod Karimov"}),
        ("cases:person_search", {"q": "Дилшод Каримов"}),
    ],
)
def test_a_list_costs_the_same_queries_for_3_rows_as_for_20(client_as, investigator, path, data):
    _cases(investigator, 0, 3)
    client = client_as(investigator)
    few = _count(client, reverse(path), **data)
    _cases(investigator, 3, 17)
    assert _count(client, reverse(path), **data) == few


def test_the_case_page_costs_the_same_queries_for_2_persons_as_for_18(client_as, investigator):
    case = _cases(investigator, 0, 1)[0]
    client = client_as(investigator)
    few = _count(client, reverse("cases:detail", args=[case.pk]))
    for i in range(8):
        add_person(investigator, case, f"Rustam Aliev{'o' * i}", role="suspect")
        add_person(investigator, case, f"Zarina Aliyeva{'a' * i}", role="victim")
    assert _count(client, reverse("cases:detail", args=[case.pk])) == few


@pytest.mark.parametrize("reader", ["investigator", "analyst"])
def test_the_api_list_costs_the_same_queries_for_3_cases_as_for_20(
    api_as, investigator, reader, request
):
    # An analyst reads no free text: whether a grant opens it is asked once for the page.
    _cases(investigator, 0, 3)
    client = api_as(request.getfixturevalue(reader))
    few = _count(client, "/api/cases/")
    _cases(investigator, 3, 17)
    assert _count(client, "/api/cases/") == few
    # the token, its address's lock-out, its rate (one upsert), the roles, the grants, the count
    # and the page, and for an analyst the grants that open free text
    assert few <= (7 if reader == "investigator" else 8)
    items = client.get("/api/cases/").json()["items"]
    withheld = reader == "analyst"
    assert len(items) == 20 and all(i["free_text_withheld"] is withheld for i in items)


def test_the_total_is_counted_a_bounded_distance_ahead(investigator):
    _cases(investigator, 0, 12)
    rows = visible_cases(investigator)
    with CaptureQueriesContext(connection) as queries:
        page = lookahead_page(rows, 1, 4, lookahead=5)
    assert not page.paginator.count_is_exact
    assert page.paginator.lower_bound == 5 and page.has_next()
    counting = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert counting and all("LIMIT 6" in sql for sql in counting)
    # near the end the total is exact; past the end the last page is given
    assert lookahead_page(rows, 3, 4, lookahead=5).paginator.count == 12
    last = lookahead_page(rows, 9, 4, lookahead=5)
    assert last.number == 3 and last.paginator.count_is_exact
    assert lookahead_page(rows, "x", 4, exact=True).paginator.count == 12


def test_the_page_shows_a_lower_bound_and_counts_exactly_on_demand(
    client_as, investigator, monkeypatch
):
    _cases(investigator, 0, 8)
    monkeypatch.setattr("tipnet.lib.paging.LOOKAHEAD", 3)
    monkeypatch.setattr(lookahead_page, "__defaults__", (False, 3))
    client = client_as(investigator)
    bounded = client.get(reverse("cases:list")).text
    assert "More than 3 cases" in bounded and 'data-testid="count-exact"' in bounded
    exact = client.get(reverse("cases:list"), {"count": "exact"}).text
    assert "8 cases" in exact and 'data-testid="count-exact"' not in exact


def test_the_api_says_when_its_count_is_a_lower_bound(api_as, investigator, monkeypatch):
    _cases(investigator, 0, 8)
    monkeypatch.setattr("tipnet.cases.api.LOOKAHEAD", 3)
    client = api_as(investigator)
    bounded = client.get("/api/cases/", {"limit": 2}).json()
    assert bounded["count"] == 3 and bounded["count_is_exact"] is False
    near_end = client.get("/api/cases/", {"limit": 2, "offset": 6}).json()
    assert near_end["count"] == 8 and near_end["count_is_exact"] is True
    past_end = client.get("/api/cases/", {"limit": 2, "offset": 40}).json()
    assert past_end == {"items": [], "count": 8, "count_is_exact": True}


def test_the_case_page_reads_its_events_once(client_as, investigator):
    from django.utils import timezone

    from tipnet.cases import actions

    case = _cases(investigator, 0, 1)[0]
    client = client_as(investigator)
    few = _count(client, reverse("cases:detail", args=[case.pk]))
    for i in range(6):
        actions.do_add_event(investigator, case, "note", timezone.localdate(), f"Meeting {i}")
    actions.do_change_stage(investigator, case, "investigation")
    assert _count(client, reverse("cases:detail", args=[case.pk])) == few
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert sum('FROM "cases_caseevent"' in q["sql"] for q in queries) == 1
    history = page.split('data-testid="stage-history">')[1].split("</ol>")[0]
    timeline = page.split('data-testid="timeline">')[1].split("</ol>")[0]
    # The stage history holds the stage changes only, the timeline every event, in date order.
    assert "Meeting" not in history and history.count("<li>") == 2
    assert timeline.count("<li>") == 8 and timeline.index("Meeting 0") < timeline.index("Meeting 5")


def test_the_case_page_reads_its_persons_grants_and_assignees_once(client_as, investigator):
    case = _cases(investigator, 0, 1)[0]
    client = client_as(investigator)
    path = reverse("cases:detail", args=[case.pk])
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    selects = [q["sql"] for q in queries if q["sql"].startswith("SELECT")]

    def reads(table: str) -> list[str]:
        return [sql for sql in selects if f'FROM "{table}"' in sql]

    assert len(reads("cases_caseperson")) == 1  # the persons table and the checks panel
    # one read for the sharing list, assignees and grant end: the visibility of an own
    # agency's case needs none
    assert len(reads("cases_casegrant")) == 1
    assert len(reads("cases_case")) == 1
    # the countries' names are kept per process
    assert not reads("directory_country")
    assert len([sql for sql in reads("accounts_user") if "DISTINCT" in sql]) == 1
    # the route and the timeline join nothing
    route_and_timeline = reads("cases_routeleg") + reads("cases_caseevent")
    assert route_and_timeline and not [sql for sql in route_and_timeline if "JOIN" in sql]
    # the user's agency, named by the audit event of the view, comes with the case
    assert not reads("accounts_agency")
    assert len(queries) <= 18, [q["sql"][:80] for q in queries]
