"""The MLA register costs the same number of queries for 2 requests as for 12."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tipnet.cases.actions import do_create_case
from tipnet.mla.actions import do_create_request

pytestmark = pytest.mark.django_db


def _requests(prosecutor, first: int, count: int) -> None:
    for i in range(first, first + count):
        case = do_create_case(prosecutor, title=f"Synthetic case {i:03d}")
        do_create_request(prosecutor, case, requested_state="AE")


def _count(client) -> tuple[int, str]:
    client.get(reverse("mla:register"))  # the session and translations settle first
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("mla:register"))
    assert response.status_code == 200
    return len(queries), response.text


def test_the_register_makes_no_query_per_request(treaties, prosecutor, client_as):
    _requests(prosecutor, 0, 2)
    client = client_as(prosecutor)
    few, _text = _count(client)
    _requests(prosecutor, 2, 10)
    many, text = _count(client)
    assert text.count("Synthetic case") >= 12
    assert many == few
