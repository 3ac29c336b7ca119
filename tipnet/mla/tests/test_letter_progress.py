"""While a letter is generated the page says so, with a script file the policy allows."""

import re
from pathlib import Path

from django.contrib.staticfiles import finders
from django.urls import reverse


def _links(html: str) -> str:
    found = re.search(r'<p data-testid="letter-links">.*?</p>', html, re.S)
    assert found, "no letter links on the page"
    return found[0]


def test_the_letter_links_carry_the_progress_message(complete_to_ae, prosecutor, client_as):
    url = reverse("mla:step", args=[complete_to_ae.pk, "check"])
    html = client_as(prosecutor).get(url).content.decode()
    links = _links(html)
    assert links.count("data-letter-link") == 3
    status = re.search(r'<span id="letter-status"[^>]*>', links)[0]
    assert "hidden" in status and 'role="status"' in status
    assert "first one takes several seconds" in status
    assert re.search(r'<script src="[^"]*mla/letter\.js" defer></script>', html)


def test_the_progress_script_is_a_served_file(complete_to_ae, prosecutor, client_as):
    path = finders.find("mla/letter.js")
    assert path is not None
    script = Path(path).read_text(encoding="utf-8")
    assert 'closest("a[data-letter-link]")' in script and "letter-status" in script
    assert "eval(" not in script


def test_the_request_page_has_the_progress_message_in_russian(
    complete_to_ae, prosecutor, client_as
):
    client = client_as(prosecutor)
    client.cookies["django_language"] = "ru"
    url = reverse("mla:detail", args=[complete_to_ae.pk])
    links = _links(client.get(url, HTTP_ACCEPT_LANGUAGE="ru").content.decode())
    assert "data-letter-link" in links and "first one takes" not in links
