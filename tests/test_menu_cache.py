"""The menu's waiting counts are gathered once per half minute and session, not on every page."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import make_user


def _incoming_request(reference: str):
    from tipnet.mla.models import MlaRequest

    return MlaRequest.objects.create(
        direction="incoming",
        reference=reference,
        requesting_state="AE",
        requested_state="UZ",
        counterpart_node="AE-MOJ",
        state="submitted",
        submitted_at=timezone.now() - timedelta(days=10),
    )


def _badge(page: bytes) -> str | None:
    text = page.decode()
    if 'data-testid="nav-count-mla">' not in text:
        return None
    return text.split('data-testid="nav-count-mla">')[1].split("<")[0]


def test_pages_reuse_the_counts_and_the_home_page_refreshes_them(uz_gpo, client_as):
    client = client_as(make_user("central_uz", uz_gpo, "central_authority"))
    _incoming_request("MLA-IN-1")
    directory = reverse("directory:index")
    # Each request counts twice: to acknowledge, and its clock overdue.
    with CaptureQueriesContext(connection) as first:
        assert _badge(client.get(directory).content) == "2"
    _incoming_request("MLA-IN-2")
    with CaptureQueriesContext(connection) as second:
        assert _badge(client.get(directory).content) == "2"  # within the half minute
    assert len(second) < len(first)
    assert _badge(client.get(reverse("home")).content) == "4"  # gathered afresh
    assert _badge(client.get(directory).content) == "4"


def test_a_write_by_the_user_refreshes_the_counts(uz_gpo, client_as):
    client = client_as(make_user("central_uz", uz_gpo, "central_authority"))
    directory = reverse("directory:index")
    assert _badge(client.get(directory).content) is None
    _incoming_request("MLA-IN-1")
    assert _badge(client.get(directory).content) is None
    client.post(directory)
    assert _badge(client.get(directory).content) == "2"


def test_each_session_has_its_own_counts(uz_gpo, client_as):
    user = make_user("central_uz", uz_gpo, "central_authority")
    directory = reverse("directory:index")
    assert _badge(client_as(user).get(directory).content) is None
    _incoming_request("MLA-IN-1")
    assert _badge(client_as(user).get(directory).content) == "2"
