"""Two real nodes in two browser tabs: a request from Tashkent is acknowledged in Dubai.

The request is drafted and submitted on the Uzbek node through the mla app's actions (the
drafting wizard has its own browser test); the UAE central authority then finds it in its
incoming register and acknowledges it in the browser, and the Uzbek tab shows the same state
once the exchange workers have carried the messages.
"""

import pytest
from playwright.sync_api import expect

from tipnet.exchange.tests.nodes import serving_nodes, step
from tipnet.mla.tests.link_steps import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def two_nodes(tmp_path_factory):
    root = tmp_path_factory.mktemp("tabs")
    with serving_nodes(root, (("UZ-GPO", "UZ"), ("AE-MOJ", "AE"))) as running:
        yield running


def _step(node, call: str):
    return step(node, "tipnet.mla.tests.link_steps", call)


def _tab(browser, node, username: str):
    context = browser.new_context(base_url=node.base_url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto("/accounts/login/")
    page.get_by_test_id("username").fill(username)
    page.get_by_test_id("password").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("home-title")).to_be_visible()
    return context, page


def test_a_request_from_tashkent_is_acknowledged_in_dubai_and_both_tabs_agree(browser, two_nodes):
    uz, ae = two_nodes["UZ"], two_nodes["AE"]
    uid = _step(uz, "submit_to_ae()")["uid"]
    uz.run("exchange", "run", "--once")
    dubai_ctx, dubai = _tab(browser, ae, _step(ae, "central_user()")["username"])
    tashkent_ctx, tashkent = _tab(browser, uz, _step(uz, "central_user()")["username"])
    try:
        dubai.goto(f"/mla/{_step(ae, f'show({uid!r})')['pk']}/")
        before = dubai.get_by_test_id("request-state").inner_text()
        dubai.get_by_test_id("do-acknowledge").click()
        expect(dubai.get_by_test_id("request-state")).not_to_have_text(before)
        acknowledged = dubai.get_by_test_id("request-state").inner_text()
        ae.run("exchange", "run", "--once")
        tashkent.goto(f"/mla/{_step(uz, f'show({uid!r})')['pk']}/")
        expect(tashkent.get_by_test_id("request-state")).to_have_text(acknowledged)
        tashkent.goto("/exchange/")
        expect(tashkent.get_by_test_id("log-row").first).to_be_visible()
    finally:
        dubai_ctx.close()
        tashkent_ctx.close()
