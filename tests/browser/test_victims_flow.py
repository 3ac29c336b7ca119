"""A caseworker's NRM path in a real browser: register and screen a person, record consent,
refer to a shelter whose worker accepts (seeing only the code), and plan the return home."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from tipnet.accounts.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

TODAY = date.today().isoformat()
SHELTER = "Shelter — Oydin women's shelter (fictional NGO)"


def _log_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_test_id("username").fill(username)
    page.get_by_test_id("password").fill(DEMO_PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("home-title")).to_be_visible()


def _consent(page, purpose):
    page.get_by_test_id("action-consent").click()
    page.get_by_test_id("field-purpose").select_option(purpose)
    page.get_by_test_id("field-given_on").fill(TODAY)
    page.get_by_test_id("field-language").select_option("uz")
    page.get_by_test_id("field-explained_by").fill("Malika Tursunova")
    page.get_by_test_id("form-submit").click()


def test_a_caseworker_screens_refers_to_a_shelter_that_accepts_and_plans_a_return(
    page, browser, live_node
):
    _log_in(page, "caseworker")
    page.goto("/victims/")
    page.get_by_test_id("victim-create").click()
    page.get_by_test_id("field-given_name").fill("Zulfiya")
    page.get_by_test_id("field-family_name").fill("Abdullayeva")
    page.get_by_test_id("field-sex").select_option("female")
    page.get_by_test_id("field-nationality").fill("UZ")
    page.get_by_test_id("form-submit").click()
    code = page.get_by_test_id("victim-title").inner_text().split(" ")[0]
    assert re.fullmatch(r"V-[0-9A-F]{8}", code)

    page.get_by_test_id("action-screen").click()
    expect(page.get_by_test_id("indicator-source")).to_contain_text("ILO")
    page.get_by_label("Identity or travel documents confiscated or withheld").check()
    page.get_by_label("Wages withheld, not paid or unlawfully reduced").check()
    page.get_by_test_id("form-submit").click()
    expect(page.get_by_test_id("victim-status")).to_have_text("Presumed victim")

    # Without consent the referral is refused with a message and nothing is sent.
    page.get_by_test_id("action-refer").click()
    page.get_by_test_id("field-offer").select_option(label=SHELTER)
    page.get_by_test_id("field-reason").fill("Needs a safe place tonight")
    page.get_by_test_id("form-submit").click()
    expect(page.get_by_test_id("refusal")).to_contain_text("consent")

    page.goto(f"/victims/{code}/")
    _consent(page, "assistance")
    expect(page.get_by_test_id("consent")).to_have_count(1)
    page.get_by_test_id("action-refer").click()
    page.get_by_test_id("field-offer").select_option(label=SHELTER)
    page.get_by_test_id("field-reason").fill("Needs a safe place tonight")
    page.get_by_test_id("form-submit").click()
    expect(page.get_by_test_id("referral-status")).to_have_text("Pending")

    shelter_context = browser.new_context(base_url=live_node, locale="en-GB")
    shelter = shelter_context.new_page()
    shelter.set_default_timeout(15000)
    _log_in(shelter, "shelter")
    shelter.goto("/victims/")
    shelter.get_by_test_id("incoming-referrals").get_by_text(code).click()
    expect(shelter.get_by_test_id("referral-code")).to_have_text(code)
    expect(shelter.get_by_test_id("referral-person")).to_have_text("Identity not shared")
    expect(shelter.locator("body")).not_to_contain_text("Zulfiya")
    shelter.get_by_test_id("field-decision").select_option("accept")
    shelter.get_by_test_id("decision-submit").click()
    expect(shelter.get_by_test_id("referral-status")).to_have_text("Accepted")
    shelter_context.close()

    page.goto(f"/victims/{code}/")
    expect(page.get_by_test_id("referral-status")).to_have_text("Accepted")
    _consent(page, "return")
    page.get_by_test_id("action-return").click()
    page.get_by_test_id("field-from_country").fill("AE")
    page.get_by_test_id("field-to_country").fill("UZ")
    page.get_by_test_id("field-receiving_service").select_option(
        label="Istiqbol shelter (fictional NGO)"
    )
    page.get_by_test_id("field-travel_documents").fill("Certificate of return")
    page.get_by_test_id("field-reception_point").fill("Tashkent airport")
    page.get_by_test_id("field-travel_on").fill(TODAY)
    page.get_by_test_id("form-submit").click()
    expect(page.get_by_test_id("return")).to_contain_text("AE → UZ")
    expect(page.get_by_test_id("return")).to_contain_text("Tashkent airport")
