"""A spontaneous information marked "no further dissemination" arrives in Tashkent from Bishkek,
in a real Chromium on two real nodes: the Uzbek investigator finds it in the inbox, attaches the
recruiter to a case of their own, and can neither forward nor export it, nor share the case:
each button says why, and each endpoint refuses.

The Kyrgyz node is a demo partner seeded by this app's `load_partner("KG")`, and sends its
message with the app's `network_round(1)`, as the demo network does.
"""

import pytest
from playwright.sync_api import expect

from tipnet.accounts.demo import DEMO_PASSWORD
from tipnet.exchange.tests.nodes import serving_nodes

pytestmark = pytest.mark.browser

SEED_UZ = (
    "from tipnet.directory import demo as d; from tipnet.accounts import demo as a; "
    "from tipnet.cases.actions import do_create_case as c; "
    "from tipnet.accounts.models import User; "
    "d.load(); a.load(); u = User.objects.get(username='investigator'); "
    "print(c(u, title='Recruiters of dancers (Tashkent)', summary='Fictional.', "
    "route=[('UZ', 'origin'), ('AE', 'destination')]).reference)"
)
SEND_KG = "from tipnet.cooperation import demo; print(demo.network_round(1))"


@pytest.fixture(scope="module")
def two_nodes(tmp_path_factory):
    root = tmp_path_factory.mktemp("coop-browser")
    with serving_nodes(root, (("UZ-GPO", "UZ"), ("KG-GPO", "KG"))) as running:
        running["KG"].run("demo", "--partner", "Prosecutor General's Office of the Kyrgyz Republic")
        yield running


def _login(browser, node, username: str):
    context = browser.new_context(base_url=node.base_url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto("/accounts/login/")
    page.get_by_test_id("username").fill(username)
    page.get_by_test_id("password").fill(DEMO_PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("home-title")).to_be_visible()
    return context, page


def test_no_further_dissemination_is_enforced_on_the_receiving_node(browser, two_nodes):
    uz, kg = two_nodes["UZ"], two_nodes["KG"]
    reference = uz.run("shell", "-c", SEED_UZ).strip().splitlines()[-1]
    sent = kg.run("shell", "-c", SEND_KG).strip().splitlines()[-1]
    assert "sent to UZ-GPO (H2)" in sent, sent
    kg.run("exchange", "run", "--once")
    context, page = _login(browser, uz, "investigator")
    try:
        expect(page.get_by_test_id("nav-count-cooperation")).to_have_text("1")
        page.get_by_test_id("nav-cooperation").click()
        row = page.get_by_test_id("coop-thread-row")
        expect(row.get_by_test_id("coop-unread")).to_be_visible()
        row.get_by_role("link").click()
        expect(page.get_by_test_id("coop-code")).to_contain_text("no further dissemination")
        expect(page.get_by_test_id("coop-item")).to_contain_text("Malika Tursunova")
        expect(page.get_by_test_id("coop-forward")).to_be_disabled()
        expect(page.get_by_test_id("coop-forward-why")).to_contain_text("sender's consent")
        expect(page.get_by_test_id("coop-export")).to_be_disabled()
        expect(page.get_by_test_id("coop-export")).to_have_attribute(
            "title", page.get_by_test_id("coop-forward-why").inner_text()
        )
        thread_url = page.url
        assert page.request.get(thread_url + "export/").status == 409
        token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
        refused = page.request.post(
            thread_url + "forward/",
            form={"recipient": "KG-GPO", "csrfmiddlewaretoken": token},
            headers={"Referer": thread_url},
        )
        assert refused.status == 409

        page.get_by_test_id("coop-item").locator("select[name=case]").select_option(
            label=f"{reference} · Recruiters of dancers (Tashkent)"
        )
        page.get_by_test_id("coop-attach").click()
        expect(page.get_by_test_id("coop-attached")).to_contain_text(reference)
        page.get_by_test_id("coop-attached").get_by_role("link").click()
        expect(page.get_by_test_id("coop-origin")).to_contain_text("received from KG-GPO")
        page.get_by_test_id("case-grants").click()
        page.get_by_label("Agency code").fill("UZ-GPO")
        page.get_by_label("Reason").fill("Joint work with the prosecution")
        page.get_by_test_id("form-submit").click()
        expect(page.get_by_test_id("error-agency")).to_contain_text("sender's consent")
        expect(page.get_by_test_id("grant-row")).to_have_count(0)
    finally:
        context.close()
