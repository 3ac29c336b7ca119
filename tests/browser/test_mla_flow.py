"""A prosecutor drafts an MLA request from a case to the UAE in a real browser: the wizard stops
at a missing element, the request is completed, its PDF letter downloaded and read, and it is
submitted."""

import io
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tipnet.accounts.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def _log_in(page, username="prosecutor"):
    page.goto("/accounts/login/")
    page.get_by_test_id("username").fill(username)
    page.get_by_test_id("password").fill(DEMO_PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("home-title")).to_be_visible()


def _save(page):
    page.get_by_test_id("form-submit").click()


def _start_draft_to_the_uae(page) -> str:
    page.goto("/mla/")
    link = page.get_by_test_id("draft-from-case").locator("a").filter(has_text="Dubai").first
    reference = link.inner_text().split(" ")[0]
    link.click()
    page.get_by_test_id("field-requested_state").select_option("AE")
    _save(page)
    return reference


def _first_steps(page):
    page.get_by_test_id("field-conducting_authority").fill("Investigation department, GPO")
    _save(page)
    expect(page.get_by_test_id("central-authority")).to_contain_text("Ministry of Justice")
    expect(page.get_by_test_id("unverified")).to_be_visible()
    _save(page)
    page.get_by_test_id("field-legal_basis").first.check()
    _save(page)
    page.get_by_test_id("field-confidentiality").select_option("required")
    _save(page)


def _assistance_and_procedures(page):
    page.get_by_test_id("add-measure-records").click()
    page.get_by_test_id("field-records").fill("Employment contracts of the dancers")
    page.get_by_test_id("field-holder").fill("Fictional Nightlife LLC, Dubai")
    _save(page)
    expect(page.get_by_test_id("measures")).to_contain_text("Employment contracts")
    page.get_by_test_id("step-continue").click()
    page.get_by_test_id("step-continue").click()  # persons: none needed under UNTOC
    page.get_by_test_id("field-contact_email").fill("nodira.yusupova@example.org")
    page.get_by_test_id("field-assurances").fill("Speciality and confidentiality are assured.")
    page.get_by_test_id("field-signatory").fill("Deputy Prosecutor General (fictional)")
    _save(page)


def test_a_prosecutor_drafts_a_request_to_the_uae_and_downloads_the_letter(page):
    _log_in(page)
    case_reference = _start_draft_to_the_uae(page)
    _first_steps(page)

    # The facts step: the purpose (18(15)(f)) is missing, so the step is not left.
    page.get_by_test_id("field-purpose").fill("")
    _save(page)
    expect(page.get_by_test_id("gap-purpose")).to_be_visible()
    page.get_by_test_id("field-purpose").fill("To identify the club owners who held the victims.")
    _save(page)

    _assistance_and_procedures(page)
    expect(page.get_by_test_id("complete")).to_be_visible()
    with page.expect_download() as info:
        page.get_by_test_id("letter-pdf").click()
    pdf = PdfReader(io.BytesIO(Path(info.value.path()).read_bytes()))
    text = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    assert "Request for mutual legal assistance in a criminal matter" in text
    assert case_reference in text and "Employment contracts of the dancers" in text
    assert "UNTOC, article 18" in text

    # This node is in no network: the request travels on paper, and the page says so.
    expect(page.get_by_test_id("paper-only")).to_contain_text("United Arab Emirates")
    page.get_by_test_id("submit-paper").click()
    expect(page.get_by_test_id("request-state")).to_have_text("Submitted")
    expect(page.get_by_test_id("off-network")).to_be_visible()
    # The Emirates' acknowledgement arrives by letter and is recorded by hand.
    page.get_by_test_id("record-acknowledge").get_by_label("Their reference").fill("AE-2026-17")
    page.get_by_test_id("record-do-acknowledge").click()
    expect(page.get_by_test_id("request-state")).to_have_text("Received")
    expect(page.get_by_test_id("their-reference")).to_have_text("AE-2026-17")
