"""One journey per role on the demo node: log in, read what waits on the home page, and reach
every area of the menu by clicking it (no address is ever typed after the login page).

Each journey saves a screenshot of its home page in docs/screenshots/<role>.png, and the
investigator's journey runs again at a phone's width (390 px) without a sideways scroll.
"""

import base64

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from tests.browser.journeys import SHOTS, menu_areas, visit_every_area
from tipnet.accounts.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

# role -> (demo user, the areas its menu must offer at least, what must wait on its home page)
JOURNEYS = {
    "investigator": ("investigator", {"cases", "directory"}, ["my-cases", "waiting-cases-tasks"]),
    "prosecutor": ("prosecutor", {"cases", "mla", "directory"}, ["my-cases", "clocks"]),
    "central_authority": (
        "central",
        {"cases", "mla", "directory", "exchange"},
        ["waiting-mlaincoming", "clocks"],
    ),
    "caseworker": (
        "caseworker",
        {"victims", "hotline", "directory"},
        ["waiting-victimsreferrals", "waiting-victimsfollow_ups", "clocks"],
    ),
    "analyst": ("analyst", {"victims", "mla", "directory"}, ["nothing-waiting"]),
    "node_admin": (
        "admin",
        {"directory", "exchange", "users", "audit"},
        ["federation", "registry-state", "key-ages"],
    ),
}


@pytest.fixture(scope="module")
def contexts(browser, live_node):
    made = []

    def new(**options):
        context = browser.new_context(base_url=live_node, locale="en-GB", **options)
        made.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        return page

    yield new
    for context in made:
        context.close()


def _second_factor(page) -> None:
    """The node administrator sets up the authenticator at the first login, as a user would."""
    if page.get_by_test_id("totp-secret").count():
        secret = page.get_by_test_id("totp-secret").inner_text().strip()
        key = base64.b32decode(secret + "=" * (-len(secret) % 8))
        page.locator("#id_code").fill(f"{totp(key):06d}")
        page.get_by_role("button", name="Confirm").click()
        # The set-up ends on the account page, which confirms it; home is one click away.
        expect(page.locator(".messages")).to_contain_text("Two-factor authentication is on")
        page.get_by_test_id("main-nav").get_by_role("link", name="Home", exact=True).click()


def _log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_test_id("username").fill(username)
    page.get_by_test_id("password").fill(DEMO_PASSWORD)
    page.get_by_test_id("login-submit").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    _second_factor(page)
    expect(page.get_by_test_id("home-title")).to_be_visible()


@pytest.mark.parametrize("role", list(JOURNEYS))
def test_each_role_reaches_its_areas_through_the_menu_and_sees_what_waits(contexts, role):
    username, areas, waiting = JOURNEYS[role]
    page = contexts(viewport={"width": 1280, "height": 900})
    _log_in(page, username)
    for testid in waiting:
        expect(page.get_by_test_id(testid).first).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{role}.png"), full_page=True)
    offered = menu_areas(page)
    assert areas <= set(offered), offered
    visit_every_area(page, offered)


def test_the_investigators_journey_works_at_a_phones_width(contexts):
    page = contexts(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    _log_in(page, "investigator")
    expect(page.get_by_test_id("my-cases")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the home page scrolls sideways: {width} px"
    page.screenshot(path=str(SHOTS / "investigator-phone.png"), full_page=True)
    offered = menu_areas(page)
    assert {"cases", "directory"} <= set(offered)
    visit_every_area(page, offered)
    page.get_by_test_id("my-case").first.get_by_role("link").click()
    expect(page.locator("main h1").first).to_be_visible()
