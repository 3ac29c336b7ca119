"""An analyst picks "2025 and Q1 2026", sees the justice-chain funnel and a suppressed cell marked
as such, and downloads the XLSX, in which no cell from 1 to 4 appears."""

import io

import pytest
from playwright.sync_api import expect

from tipnet.accounts.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_an_analyst_picks_a_union_of_periods_and_downloads_the_xlsx(page, live_node):
    from django.utils import timezone
    from openpyxl import load_workbook

    from tipnet.stats.periods import default_spec

    page.goto("/accounts/login/")
    page.get_by_test_id("username").fill("analyst")
    page.get_by_test_id("password").fill(DEMO_PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("home-title")).to_be_visible()
    # The first page of a node's statistics builds its tables and draws its first charts
    # (matplotlib is imported then): slower than any other page on a loaded machine.
    page.goto("/stats/", timeout=60000)
    # It opens on the last full year and this year's ended quarters, following today's date.
    expect(page.get_by_test_id("period")).to_have_value(default_spec(timezone.localdate()))
    page.get_by_test_id("period").fill("2025 and Q1 2026")
    page.get_by_test_id("show").click()
    expect(page.get_by_test_id("period-shown")).to_contain_text(
        "2025-01-01–2026-03-31", timeout=60000
    )
    funnel = page.get_by_test_id("chart-cases_by_stage")
    expect(funnel).to_be_visible()
    assert page.evaluate("el => el.naturalWidth", funnel.element_handle()) > 0
    expect(page.get_by_test_id("table-cases_by_stage")).to_be_visible()
    suppressed = page.get_by_test_id("suppressed").first
    expect(suppressed).to_have_text("<5")
    expect(suppressed).to_have_attribute(
        "title", "Suppressed: a small number, or a cell that would reveal one"
    )
    with page.expect_download() as info:
        page.get_by_test_id("download-xlsx").click()
    with open(info.value.path(), "rb") as downloaded:
        book = load_workbook(io.BytesIO(downloaded.read()))
    values = [c.value for s in book.worksheets[1:] for row in s.iter_rows() for c in row]
    assert "<5" in values
    assert not [v for v in values if isinstance(v, int) and 0 < v < 5]
