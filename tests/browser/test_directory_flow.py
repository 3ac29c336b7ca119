"""A person's path through the node in a real browser: log in, switch to Russian, find a contact
point by country and language, open an event and see its participants."""

import re

import pytest
from playwright.sync_api import expect

from tipnet.accounts.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def _log_in(page, username="investigator"):
    page.goto("/accounts/login/")
    page.get_by_test_id("username").fill(username)
    page.get_by_test_id("password").fill(DEMO_PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("home-title")).to_be_visible()


def test_an_investigator_finds_a_contact_and_an_events_participants_in_russian(page):
    _log_in(page)
    page.get_by_test_id("language-select").select_option("ru")
    page.get_by_test_id("language-submit").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_test_id("nav-directory")).to_have_text("Справочник")

    page.goto("/directory/contacts/")
    page.get_by_test_id("filter-country").select_option("KG")
    page.get_by_test_id("filter-language").select_option("ru")
    page.get_by_test_id("filter-submit").click()
    expect(page).to_have_url(re.compile(r"country=KG.*language=ru|language=ru.*country=KG"))
    rows = page.get_by_test_id("contact-row")
    expect(rows.first).to_be_visible()
    for text in rows.all_inner_texts():
        assert "Кыргызстан" in text or "Киргизия" in text

    page.goto("/directory/events/")
    page.get_by_test_id("event-link").first.click()
    expect(page.get_by_test_id("event-title")).to_be_visible()
    expect(page.get_by_test_id("participant").first).to_be_visible()
    assert page.get_by_test_id("participant").count() >= 2


def test_a_wrong_password_keeps_the_visitor_on_the_login_page(page):
    page.goto("/accounts/login/")
    page.get_by_test_id("username").fill("investigator")
    page.get_by_test_id("password").fill("not-the-password")
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("login-form")).to_be_visible()
    expect(page.get_by_test_id("main-nav")).to_have_count(0)
