"""An investigator's case in a real browser: open it, add a suspect typed in Cyrillic and a
victim, move it to investigation, then find the suspect by a Latin spelling."""

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


def _add_person(page, name: str, role: str, chain_role: str = "") -> None:
    page.get_by_test_id("person-add").click()
    page.get_by_test_id("field-full_name").fill(name)
    page.get_by_test_id("field-role").select_option(role)
    if chain_role:
        page.get_by_test_id("field-chain_role").select_option(chain_role)
    _save_person(page)


def _save_person(page) -> None:
    """Save the person form; when the node warns that a similar person is already recorded
    (the demo has namesakes), add the person anyway."""
    page.get_by_test_id("form-submit").click()
    saved, warned = page.get_by_test_id("case-reference"), page.get_by_test_id("similar-persons")
    expect(saved.or_(warned).first).to_be_visible()
    if warned.count():
        page.get_by_test_id("confirm-new").click()
    expect(saved).to_be_visible()


def test_an_investigator_opens_a_case_and_finds_the_suspect_by_latin_spelling(page):
    _log_in(page)
    page.goto("/cases/")
    page.get_by_test_id("case-create").click()
    page.get_by_test_id("field-title").fill("Browser test: workers sent to Dubai")
    page.get_by_test_id("field-route").fill("UZ KZ AE")
    page.get_by_test_id("form-submit").click()
    reference = page.get_by_test_id("case-reference").inner_text().split(" ")[0]
    assert re.fullmatch(r"UZ-MVD-\d{4}-\d{6}", reference)
    expect(page.get_by_test_id("route-leg")).to_have_count(3)

    page.get_by_test_id("person-add").click()
    page.get_by_test_id("field-full_name").press_sequentially("Шухрат Юсупов", delay=20)
    expect(page.get_by_test_id("latin-value")).to_have_text("Shukhrat Yusupov")
    page.get_by_test_id("field-role").select_option("suspect")
    page.get_by_test_id("field-chain_role").select_option("recruiter")
    _save_person(page)
    _add_person(page, "Гулнора Каримова", "victim")
    expect(page.get_by_test_id("person-row")).to_have_count(2)

    page.get_by_test_id("field-stage").select_option("investigation")
    page.get_by_test_id("stage-submit").click()
    expect(page.get_by_test_id("case-stage")).to_have_text("Investigation")
    expect(page.get_by_test_id("stage-history")).to_contain_text("Detection → Investigation")

    page.goto("/cases/persons/")
    page.get_by_test_id("field-q").fill("Shuhrat Yusupov")
    page.get_by_test_id("person-search-submit").click()
    hit = page.get_by_test_id("person-group").filter(has_text=reference)
    expect(hit).to_have_count(1)
    expect(hit).to_contain_text("Шухрат Юсупов")
    expect(hit).to_contain_text("Recruiter")


def test_the_network_of_a_demo_case_is_drawn(page):
    _log_in(page)
    page.goto("/cases/?stage=investigation")
    page.get_by_test_id("case-link").first.click()
    page.get_by_test_id("case-network").click()
    expect(page.get_by_test_id("network")).to_have_attribute("data-ready", "true")
    assert page.locator("#network canvas").count() > 0
