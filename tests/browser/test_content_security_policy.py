"""Pages run under the Content-Security-Policy; a violation fails the test that causes it."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

INJECT_INLINE_SCRIPT = """() => {
    const script = document.createElement('script');
    script.textContent = 'window.injected = true';
    document.body.appendChild(script);
}"""


def test_an_injected_inline_script_is_refused_and_reported(page, csp_problems):
    page.goto("/accounts/login/")
    page.evaluate(INJECT_INLINE_SCRIPT)
    page.wait_for_timeout(300)
    assert page.evaluate("window.injected === undefined")
    assert any("script-src" in problem for problem in csp_problems)
    csp_problems.clear()


def test_the_api_docs_render_under_the_policy(page):
    page.goto("/api/docs")
    # Swagger UI's own markup has no test ids: its title heading names the API. The bundle and
    # the whole OpenAPI document take a while on a busy machine.
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("tipnet", timeout=60000)
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
