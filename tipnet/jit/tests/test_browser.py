"""Two real nodes, two browsers: a prosecutor in Tashkent proposes a parallel investigation to
Dubai, Dubai signs it, each shares its suspects, and both see one chain of three roles from two
countries. Each node is its own `tipnet serve` process; the exchange workers carry the messages.
"""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tipnet.jit.tests.conftest import carry
from tipnet.jit.tests.link_steps import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def nodes(jit_nodes):
    return jit_nodes


def _page(browser, node):
    context = browser.new_context(base_url=node.base_url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(20000)
    page.goto("/accounts/login/")
    page.get_by_test_id("username").fill("prosecutor")
    page.get_by_test_id("password").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("home-title")).to_be_visible()
    return page


def _share_all(page):
    page.get_by_test_id("chain-share").click()
    for box in page.locator("input[type=checkbox]").all():
        box.check()
    page.get_by_test_id("form-submit").click()
    expect(page.get_by_test_id("agreement-title")).to_be_visible()


def test_tashkent_and_dubai_see_one_chain_of_three_roles_from_two_countries(
    browser,
    nodes,
):
    uz, ae, cases = nodes
    tashkent, dubai = _page(browser, uz), _page(browser, ae)

    tashkent.goto(f"/cases/{cases['UZ']}/")
    tashkent.get_by_test_id("case-jit-propose").click()
    tashkent.get_by_test_id("field-partner").select_option("AE-MOJ")
    tashkent.get_by_test_id("field-title").fill("Dubai clubs: parallel investigation")
    tashkent.get_by_test_id("field-purpose").fill("Convict the recruiters and the exploiters.")
    start, end = date.today() - timedelta(days=30), date.today() + timedelta(days=335)
    tashkent.get_by_test_id("field-period_start").fill(start.isoformat())
    tashkent.get_by_test_id("field-period_end").fill(end.isoformat())
    tashkent.get_by_test_id("form-submit").click()
    tashkent.get_by_test_id("agreement-sign").click()
    expect(tashkent.get_by_test_id("signature-valid")).to_have_count(1)
    carry(uz)

    dubai.goto("/jit/")
    dubai.get_by_role("link", name="Dubai clubs: parallel investigation").click()
    expect(dubai.get_by_test_id("signature-valid")).to_have_count(1)
    dubai.get_by_test_id("field-case").select_option(str(cases["AE"]))
    dubai.get_by_test_id("case-attach").click()
    dubai.get_by_test_id("agreement-sign").click()
    expect(dubai.get_by_test_id("agreement-state")).to_have_text("In force")
    carry(ae)

    tashkent.reload()
    expect(tashkent.get_by_test_id("agreement-state")).to_have_text("In force")
    _share_all(tashkent)
    carry(uz)
    dubai.reload()
    _share_all(dubai)
    carry(ae)

    for page in (tashkent, dubai):
        page.reload()
        rows = page.get_by_test_id("chain-row")
        expect(rows).to_have_count(3)
        roles = {rows.nth(i).get_attribute("data-role") for i in range(3)}
        nodes_seen = {rows.nth(i).get_attribute("data-node") for i in range(3)}
        assert roles == {"recruiter", "transporter", "exploiter"}
        assert nodes_seen == {"UZ-GPO", "AE-MOJ"}
        expect(page.get_by_test_id("chain-svg").get_by_test_id("chain-box")).to_have_count(3)
        expect(page.get_by_test_id("chain-table")).to_contain_text("RED A-1234/5-2026")
