"""The MLA register shows its total and links to its other pages, keeping the filters."""

import html
import re

import pytest
from django.urls import reverse

from tipnet.cases.actions import do_create_case
from tipnet.mla.actions import do_create_request

pytestmark = pytest.mark.django_db


def _requests(prosecutor, count: int) -> None:
    for i in range(count):
        case = do_create_case(prosecutor, title=f"Synthetic case {i:03d}")
        do_create_request(prosecutor, case, requested_state="AE")


def _link(text: str, testid: str) -> str:
    found = re.search(rf'<a href="([^"]*)"[^>]*data-testid="{testid}"', text)
    assert found, f"no {testid} link"
    return html.unescape(found.group(1))


def test_page_two_of_the_register_is_reached_by_a_link_of_page_one(
    treaties, prosecutor, client_as, settings
):
    settings.TIPNET_PAGE_SIZE = 2
    _requests(prosecutor, 3)
    client = client_as(prosecutor)
    url = reverse("mla:register")
    first = client.get(url, {"direction": "outgoing", "state": "draft"}).text
    assert 'data-testid="result-count">3 requests<' in first
    assert "Page 1 of 2" in first
    link = _link(first, "page-next")
    assert "state=draft" in link and "direction=outgoing" in link
    second = client.get(url + link).text
    assert "Page 2 of 2" in second
    # the two pages together list every request once
    assert first.count('data-testid="register-row"') == 2
    assert second.count('data-testid="register-row"') == 1
    back = _link(second, "page-prev")
    assert "state=draft" in back and back.count("page=") == 1
