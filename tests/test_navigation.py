"""The menu offers every area a user's roles open, and only those."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from tipnet.cases.tests.factories import make_case
from tipnet.exchange.tests.conftest import network  # noqa: F401 - fixture


def landing_urls():
    """Each area's landing page for the roles that work in it."""
    return {
        "cases": reverse("cases:list"),
        "victims": reverse("victims:home"),
        "hotline": reverse("victims:hotline"),
        "mla": reverse("mla:register"),
        "directory": reverse("directory:index"),
        "exchange": reverse("exchange:log"),
        "users": reverse("accounts:users"),
        "audit": reverse("audit:events"),
    }


def offered(client):
    page = client.get(reverse("home")).content.decode()
    return {key for key in landing_urls() if f'data-testid="nav-{key}"' in page}


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("investigator", {"cases", "directory"}),
        ("prosecutor", {"cases", "mla", "directory"}),
        ("ca_officer", {"cases", "mla", "directory", "exchange"}),
        ("caseworker", {"cases", "victims", "hotline", "directory"}),
        ("analyst", {"cases", "victims", "mla", "directory"}),
        ("node_admin", {"directory", "exchange", "users", "audit"}),
    ],
)
def test_each_role_is_offered_the_areas_its_roles_open(fixture, expected, request, client_as, db):
    assert offered(client_as(request.getfixturevalue(fixture))) == expected


@pytest.mark.parametrize(
    "fixture", ["investigator", "prosecutor", "ca_officer", "caseworker", "analyst", "node_admin"]
)
def test_every_area_offered_opens_and_every_area_withheld_does_not(
    fixture, request, client_as, uz_gpo
):
    user = request.getfixturevalue(fixture)
    # A case in every persona's agency, so that a withheld case list is shown to be empty.
    make_case(make_user(f"writer_{fixture}", user.agency, "prosecutor"))
    client = client_as(user)
    page = client.get(reverse("home")).content.decode()
    for key, url in landing_urls().items():
        if f'data-testid="nav-{key}"' in page:
            # The analyst's areas land on their statistics, not on the workers' pages.
            href = page.split(f'data-testid="nav-{key}"')[0].rsplit('href="', 1)[1].split('"')[0]
            assert client.get(href).status_code == 200, (key, href)
        elif key == "cases":
            # The case list is open to everyone signed in; it is empty without a role or grant.
            assert b'data-testid="case-row"' not in client.get(url).content
        else:
            assert client.get(url).status_code in (302, 404), (key, url)


def test_a_user_with_two_roles_is_offered_both(uz_ngo, client_as):
    both = make_user("dual_role", uz_ngo, "caseworker", "central_authority")
    assert {"victims", "hotline", "mla", "exchange"} <= offered(client_as(both))


def test_an_anonymous_visitor_is_offered_nothing(client, db):
    page = client.get(reverse("accounts:login")).content.decode()
    assert 'data-testid="main-nav"' not in page


# ---------------------------------------------------------------- the workbench


def _incoming_request(reference: str, state: str = "submitted"):
    from tipnet.mla.models import MlaRequest

    return MlaRequest.objects.create(
        direction="incoming",
        reference=reference,
        requesting_state="AE",
        requested_state="UZ",
        counterpart_node="AE-MOJ",
        state=state,
        submitted_at=timezone.now() - timedelta(days=10),
    )


def test_what_waits_shows_on_the_home_page_and_counts_on_the_menu(uz_gpo, client_as):
    from tipnet.mla.access import is_central_authority

    ca = make_user("central_uz", uz_gpo, "central_authority")
    assert is_central_authority(ca)
    _incoming_request("MLA-IN-1")
    _incoming_request("MLA-IN-2")
    page = client_as(ca).get(reverse("home")).content.decode()
    waiting = page.split('data-testid="waiting-mlaincoming"')[1].split("</li>")[0]
    assert 'data-testid="waiting-count">2<' in waiting
    assert 'data-testid="nav-count-mla">' in page
    # Both requests were due to be acknowledged within 7 days of their submission, 10 days ago.
    assert page.count('data-testid="clock" class="error"') == 2


def test_a_role_with_nothing_waiting_is_told_so(investigator, client_as):
    page = client_as(investigator).get(reverse("home")).content.decode()
    assert 'data-testid="nothing-waiting"' in page and "nav-count-" not in page


LAST: list = []


def test_the_workbench_reads_a_bounded_number_of_queries(uz_gpo, client_as):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ca = make_user("central_uz", uz_gpo, "central_authority")
    writer = make_user("writer_uz", uz_gpo, "prosecutor")
    client = client_as(ca)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("home")).status_code == 200
        LAST[:] = queries.captured_queries
        return len(queries)

    make_case(writer)
    _incoming_request("MLA-IN-1")
    count()  # the first page after signing in also renews the session
    few = count()
    for n in range(2, 12):
        make_case(writer)
        _incoming_request(f"MLA-IN-{n}", state=["submitted", "received", "under_assessment"][n % 3])
    again = count()
    assert again == few, "\n".join(q["sql"][:150] for q in LAST)
    assert few <= 30


def test_the_node_admin_sees_the_federation(network, node_admin, client_as):  # noqa: F811
    from tipnet.exchange.models import OutboxMessage

    now = timezone.now()
    common = {"header_sha256": "0" * 64, "created_at": now, "next_attempt_at": now}
    OutboxMessage.objects.create(
        message_id=uuid.uuid4(),
        type="ping",
        recipient="AE-MOJ",
        state="delivered",
        delivered_at=now,
        **common,
    )
    OutboxMessage.objects.create(
        message_id=uuid.uuid4(),
        type="ping",
        recipient="KG-GPO",
        state="send_failed",
        last_error="connection refused",
        **common,
    )
    page = client_as(node_admin).get(reverse("home")).content.decode()
    federation = page.split('data-testid="federation"')[1].split("</section>")[0]
    assert "serial 1: valid" in federation
    rows = federation.split('data-testid="peer"')[1:]
    by_node = {row.split("<small>")[0].split(">")[-1].strip(): row for row in rows}
    assert "no: the last attempt failed" in by_node["KG-GPO"]
    assert ">yes<" in by_node["AE-MOJ"]
    assert "signing key: 0 days" in federation
    assert 'data-testid="waiting-exchangefailed"' in page
