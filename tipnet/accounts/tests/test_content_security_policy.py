"""Every response carries the Content-Security-Policy, and no template needs an exception to it."""

import re
from pathlib import Path

from django.test import Client

from tipnet.accounts.middleware import CONTENT_SECURITY_POLICY

PACKAGE = Path(__file__).resolve().parents[2]
# Rendered to PDF by WeasyPrint and never served as a page.
NOT_PAGES = {"mla/templates/mla/letter/body.html", "stats/templates/stats/report.html"}
FORBIDDEN = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)", re.I),
    "event handler attribute": re.compile(r"<[^>]*\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
    "style attribute": re.compile(r"<[^>]*\sstyle\s*=", re.I),
    "style element": re.compile(r"<style", re.I),
}


def _directives() -> dict[str, str]:
    return dict(d.strip().split(" ", 1) for d in CONTENT_SECURITY_POLICY.split(";"))


def test_the_policy_allows_scripts_only_from_the_node_itself():
    directives = _directives()
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["base-uri"] == "'self'"
    assert directives["form-action"] == "'self'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY


def test_pages_api_answers_errors_and_static_files_carry_the_policy(investigator, client_as):
    client = client_as(investigator)
    responses = [
        Client().get("/accounts/login/"),
        client.get("/"),
        client.get("/no/such/page/"),
        Client().get("/api/accounts/me"),
        Client().get("/static/tipnet/tipnet.css"),
    ]
    for response in responses:
        response.close()  # a static file is a stream: close it
    assert [r.status_code for r in responses] == [200, 200, 404, 401, 200]
    assert all(r["Content-Security-Policy"] == CONTENT_SECURITY_POLICY for r in responses)


def test_the_api_docs_load_swagger_from_the_node_not_a_cdn(db):
    page = Client().get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn." not in page
    bundle = Client().get("/static/ninja/swagger-ui-bundle.js")
    bundle.close()
    assert bundle.status_code == 200


def test_no_template_has_inline_script_handlers_or_styles():
    found = []
    for path in sorted(PACKAGE.glob("**/templates/**/*.html")):
        name = str(path.relative_to(PACKAGE))
        if name in NOT_PAGES:
            continue
        text = path.read_text()
        found += [f"{name}: {what}" for what, rx in FORBIDDEN.items() if rx.search(text)]
    assert found == []


def test_the_template_check_finds_each_forbidden_form():
    samples = [
        "<script>alert(1)</script>",
        '<a href="#" onclick="go()">',
        '<a href="javascript:go()">',
        '<div style="color: red">',
        "<style>p {}</style>",
    ]
    assert [any(rx.search(s) for rx in FORBIDDEN.values()) for s in samples] == [True] * 5
    assert not any(
        rx.search('<script src="/static/x.js" defer></script>') for rx in FORBIDDEN.values()
    )
