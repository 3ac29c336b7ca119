"""The menu offers every area a user's roles open, and only those."""

import pytest
from django.urls import reverse

from conftest import make_user
from tipnet.cases.tests.factories import make_case


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
