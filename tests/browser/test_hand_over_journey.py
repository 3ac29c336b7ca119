"""A victim handed over from Tashkent is received in Bishkek, in two browser contexts on two nodes.

The Uzbek node is seeded the way the demo network is (its directory and demo users, then the
victims app's `network_round(1)`, which hands a Kyrgyz woman over to the Umut crisis centre);
the Kyrgyz node is a demo partner, whose caseworker works for that centre. The Kyrgyz
caseworker finds the hand-over from the home page and the menu, acknowledges it and takes the
person over; the Uzbek caseworker then reads that the reception was acknowledged.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.journeys import SHOTS, menu_areas, visit_every_area
from tipnet.accounts.demo import DEMO_PASSWORD
from tipnet.exchange.tests.nodes import serving_nodes

pytestmark = pytest.mark.browser

SEED_UZ = (
    "from tipnet.directory import demo as d; from tipnet.accounts import demo as a; "
    "from tipnet.victims import demo as v; d.load(); a.load(); print(v.network_round(1))"
)


@pytest.fixture(scope="module")
def two_nodes(tmp_path_factory):
    root = tmp_path_factory.mktemp("hand_over")
    with serving_nodes(root, (("UZ-GPO", "UZ"), ("KG-GPO", "KG"))) as running:
        running["KG"].run("demo", "--partner", "Prosecutor General's Office of the Kyrgyz Republic")
        yield running


def _tab(browser, node, username: str):
    context = browser.new_context(base_url=node.base_url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto("/accounts/login/")
    page.get_by_test_id("username").fill(username)
    page.get_by_test_id("password").fill(DEMO_PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("home-title")).to_be_visible()
    return context, page


def test_a_hand_over_from_tashkent_is_acknowledged_and_taken_over_in_bishkek(browser, two_nodes):
    uz, kg = two_nodes["UZ"], two_nodes["KG"]
    sent = uz.run("shell", "-c", SEED_UZ).strip().splitlines()[-1]
    assert "sent to KG-GPO" in sent, sent
    code = sent.split("hand-over of ")[1].split()[0]
    uz.run("exchange", "run", "--once")
    bishkek_ctx, bishkek = _tab(browser, kg, "caseworker")
    tashkent_ctx, tashkent = _tab(browser, uz, "caseworker")
    try:
        expect(bishkek.get_by_test_id("waiting-victimshand_overs")).to_contain_text("1")
        expect(bishkek.get_by_test_id("nav-count-victims")).to_have_text("1")
        SHOTS.mkdir(parents=True, exist_ok=True)
        bishkek.screenshot(path=str(SHOTS / "caseworker-receiving.png"), full_page=True)
        bishkek.get_by_test_id("nav-victims").click()
        bishkek.get_by_test_id("nav-hand-overs").click()
        row = bishkek.get_by_test_id("hand-over-row").filter(has_text=code)
        expect(row).to_contain_text("to acknowledge")
        row.get_by_test_id("hand-over-link").click()
        expect(bishkek.get_by_test_id("incoming-identity")).to_contain_text("Toktosunova")
        bishkek.get_by_test_id("acknowledge-hand-over").click()
        expect(bishkek.get_by_test_id("acknowledged")).to_be_visible()
        bishkek.get_by_test_id("take-over-hand-over").click()
        expect(bishkek.locator(".messages")).to_contain_text("Taken over")
        expect(bishkek.locator("main")).to_contain_text("Vocational training near home in Bishkek")
        kg.run("exchange", "run", "--once")
        tashkent.get_by_test_id("nav-victims").click()
        tashkent.get_by_test_id("my-victims").get_by_role("link", name=code).click()
        expect(tashkent.get_by_test_id("hand-over-sent")).to_contain_text("received")
    finally:
        bishkek_ctx.close()
        tashkent_ctx.close()


def test_the_receiving_central_authority_reaches_its_areas_through_the_menu(browser, two_nodes):
    context, page = _tab(browser, two_nodes["KG"], "central")
    try:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "central_authority-receiving.png"), full_page=True)
        offered = menu_areas(page)
        assert {"mla", "directory", "exchange"} <= set(offered), offered
        visit_every_area(page, offered)
    finally:
        context.close()
