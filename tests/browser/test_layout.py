"""The node is usable on a phone and from the keyboard."""

import pytest
from playwright.sync_api import expect

from tipnet.accounts.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def _fits_width(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_pages_fit_a_phone_screen_without_sideways_scrolling(browser, live_node):
    context = browser.new_context(base_url=live_node, viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.goto("/accounts/login/")
    assert _fits_width(page)
    page.get_by_test_id("username").fill("analyst")
    page.get_by_test_id("password").fill(DEMO_PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("home-title")).to_be_visible()
    assert _fits_width(page)
    context.close()


def test_the_first_tab_stop_skips_to_the_content(page):
    page.goto("/accounts/login/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.testid") == "username"


def test_every_form_field_on_the_login_page_has_a_label(page):
    page.goto("/accounts/login/")
    unlabeled = page.evaluate(
        """[...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
             .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
             .map(el => el.name)"""
    )
    assert unlabeled == []


def test_the_stylesheet_and_htmx_are_served(page, live_node):
    for path in ("/static/tipnet/tipnet.css", "/static/tipnet/htmx.min.js"):
        response = page.request.get(live_node + path)
        assert response.status == 200, path
    page.goto("/accounts/login/")
    color = page.evaluate("getComputedStyle(document.querySelector('button')).backgroundColor")
    assert color == "rgb(11, 79, 138)"
