"""Debian's Chromium driven by Playwright, one for the whole test session, and the watch on the
Content-Security-Policy: every page runs under the node's policy, and a test fails when Chromium
reports a violation of it on the console, or when a page is served without it.

A plugin of the whole suite (`pytest_plugins` in the root conftest.py), not a conftest: the apps'
browser tests under tipnet/ use the same fixtures, and a second Playwright session in the same
process would fail ("Sync API inside the asyncio loop"). Playwright's loop, once started, makes
Django refuse database calls in the test process, so the root conftest runs every test that uses
`browser` last.

A missing Chromium skips these tests, except under CI=true, where it fails them.
"""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("TIPNET_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# What went wrong with the Content-Security-Policy during the current test, from every context.
CSP_PROBLEMS: list[str] = []


def _watch_csp(context) -> None:
    def on_console(message):
        if "Content Security Policy" in message.text:
            CSP_PROBLEMS.append(f"{message.page.url if message.page else ''}: {message.text}")

    def on_response(response):
        is_page = response.request.resource_type == "document"
        if is_page and "content-security-policy" not in response.headers:
            CSP_PROBLEMS.append(f"{response.url}: served without a Content-Security-Policy")

    context.on("console", on_console)
    context.on("response", on_response)


@pytest.fixture
def csp_problems():
    """The CSP violations reported so far in this test (a test that causes one must clear it)."""
    return CSP_PROBLEMS


@pytest.fixture(autouse=True)
def _fail_on_csp_problems():
    CSP_PROBLEMS.clear()
    yield
    problems = list(CSP_PROBLEMS)
    CSP_PROBLEMS.clear()
    if problems:
        pytest.fail("Content-Security-Policy problems:\n" + "\n".join(problems))


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"Chromium is missing at {CHROMIUM}; CI must run the browser tests")
        pytest.skip(f"Chromium is missing at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        new_context = browser.new_context

        def watched_context(*args, **kwargs):
            context = new_context(*args, **kwargs)
            _watch_csp(context)
            return context

        # Every context a test opens, through `page` or by itself, is watched.
        browser.new_context = watched_context
        yield browser
        browser.close()
