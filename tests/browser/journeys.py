"""What the browser journeys share: the menu's areas, a walk through them, the screenshots."""

from pathlib import Path

from playwright.sync_api import expect

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def menu_areas(page) -> list[str]:
    nav = page.get_by_test_id("main-nav")
    ids = nav.locator("a[data-testid^='nav-']").evaluate_all(
        "links => links.map(a => a.dataset.testid)"
    )
    return [i.removeprefix("nav-") for i in ids if not i.startswith("nav-count-")]


def visit_every_area(page, keys: list[str]) -> None:
    for key in keys:
        link = page.get_by_test_id("main-nav").get_by_test_id(f"nav-{key}")
        with page.expect_navigation() as went:
            link.click()
        assert went.value is not None and went.value.status == 200, key
        expect(page.locator("main h1").first).to_be_visible()
        assert "Not found" not in page.locator("main h1").first.inner_text(), key
    # The menu is on every page, so the areas are reached one from the other, and Home last.
    page.get_by_test_id("main-nav").get_by_role("link", name="Home", exact=True).click()
    expect(page.get_by_test_id("home-title")).to_be_visible()
