"""The MLA register costs the same number of queries for 2 requests as for 12, reads only the
columns it shows, and its filters show what each reader asked."""

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


def _queries(client) -> tuple[list[str], str]:
    client.get(reverse("mla:register"))  # the session and translations settle first
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("mla:register"))
    assert response.status_code == 200
    return [q["sql"] for q in queries], response.text


def _count(client) -> tuple[int, str]:
    sql, text = _queries(client)
    return len(sql), text


def test_the_register_makes_no_query_per_request(treaties, prosecutor, client_as):
    _requests(prosecutor, 0, 2)
    client = client_as(prosecutor)
    few, _text = _count(client)
    _requests(prosecutor, 2, 10)
    many, text = _count(client)
    assert text.count("Synthetic case") >= 12
    assert many == few
    # the session, the user, the second factor, the roles; the count and page of requests;
    # the cases to draft from
    assert few <= 8


def test_the_register_reads_only_the_columns_it_shows(treaties, prosecutor, client_as):
    _requests(prosecutor, 0, 2)
    sql, text = _queries(client_as(prosecutor))
    assert text.count("Synthetic case") == 2
    read = [q for q in sql if 'FROM "mla_mlarequest"' in q or 'FROM "cases_case"' in q]
    assert read and not [q for q in read if "JOIN" in q]
    # neither a request's free text nor a case's summary is read to list them
    assert not [q for q in read if '"summary"' in q or '"mla_mlarequest"."facts"' in q]


def test_the_register_filters_keep_what_each_reader_asked(treaties, prosecutor, client_as):
    client = client_as(prosecutor)
    for state in ("draft", "submitted", "draft"):
        text = client.get(reverse("mla:register"), {"state": state}).text
        assert f'<option value="{state}" selected>' in text
    text = client.get(reverse("mla:register"), {"q": "MLA-Ü<b>"}).text
    assert 'value="MLA-Ü&lt;b&gt;"' in text
    assert 'value="MLA-Ü' not in client.get(reverse("mla:register")).text
