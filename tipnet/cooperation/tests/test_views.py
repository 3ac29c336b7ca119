"""The pages and API of police messages: officers see their agency's threads, nobody else does,
and a handling code that forbids passing on is explained on the page and refused by the
endpoints."""

import uuid

from django.urls import reverse

from conftest import login_client, make_user
from tipnet.accounts.actions import do_create_token
from tipnet.cooperation.models import Item
from tipnet.cooperation.tests.conftest import arrive, opening


def _api(user):
    from django.test import Client

    token = do_create_token(user, "coop tests", None)[1]
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_the_new_page_prefills_from_a_case_and_quotes_the_reference(network, officer, case):
    url = reverse("cooperation:new") + f"?case={case.pk}&reference=HIT-2026-0042"
    page = login_client(officer).get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "HIT-2026-0042" in text and "Rustam Karimov (fictional)" in text
    assert "+998901234567" in text and "AE-MOJ" in text


def test_a_check_hit_follow_up_ticks_the_person_and_picks_the_node(network, officer, case):
    person = case.suspect_row.person_id
    url = reverse("cooperation:new") + (
        f"?case={case.pk}&reference=HIT-2026-0042&node=AE-MOJ&person={person}"
    )
    form = login_client(officer).get(url).context["form"]
    assert form.initial["persons"] == [str(case.suspect_row.pk)]
    assert form.initial["recipient"].split("/")[0] == "AE-MOJ"
    assert "HIT-2026-0042" in form.initial["subject"]
    # Without a node or person of the case, nothing is guessed.
    form = (
        login_client(officer).get(url.replace(f"person={person}", "person=999999")).context["form"]
    )
    assert form.initial["persons"] == []


def test_a_message_sent_from_the_page_lands_in_the_outbox(network, officer, case):
    client = login_client(officer)
    answer = client.post(
        reverse("cooperation:new") + f"?case={case.pk}",
        {
            "kind": "request",
            "recipient": "AE-MOJ",
            "subject": "Phone subscriber",
            "priority": "routine",
            "handling_code": "H1",
            "persons": [str(case.suspect_row.pk)],
        },
    )
    assert answer.status_code == 302
    outbox = client.get(reverse("cooperation:box") + "?box=outgoing").content.decode()
    assert "Phone subscriber" in outbox and "left" in outbox


def test_restricted_information_explains_why_it_cannot_be_passed_on(
    network, officer, case, restricted
):
    client = login_client(officer)
    page = client.get(reverse("cooperation:thread", args=[restricted.pk])).content.decode()
    assert 'data-testid="coop-forward-why"' in page and "consent" in page
    assert 'data-testid="coop-export" disabled' in page
    refused = client.post(
        reverse("cooperation:forward", args=[restricted.pk]), {"recipient": "AE-MOJ"}
    )
    assert refused.status_code == 409
    assert client.get(reverse("cooperation:export", args=[restricted.pk])).status_code == 409
    api = _api(officer)
    answer = api.post(
        f"/api/cooperation/threads/{restricted.pk}/forward",
        {"recipient": "AE-MOJ"},
        content_type="application/json",
    )
    assert answer.status_code == 409 and answer.json()["error"]["code"] == "conflict"
    assert api.get(f"/api/cooperation/threads/{restricted.pk}/export").status_code == 409


def test_attach_to_my_case_keeps_the_origin_on_the_case_page(network, officer, case, restricted):
    client = login_client(officer)
    # Seen before the attachment: the page must not keep showing it without police messages.
    assert "No police messages." in client.get(reverse("cases:detail", args=[case.pk])).text
    item = Item.objects.get(message__thread=restricted)
    client.post(reverse("cooperation:attach", args=[restricted.pk, item.pk]), {"case": case.pk})
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert (
        "Malika Tursunova (fictional): received from KG-GPO (COOP-OUT-KG0000000001) under H2"
        in page
    )


def test_outsiders_get_404_on_every_page_and_endpoint(network, restricted, uz_mvd, kg_mvd):
    pk = restricted.pk
    item = Item.objects.get(message__thread=restricted).pk
    for user in (
        make_user("other_agency", uz_mvd, "investigator"),
        make_user("other_node", kg_mvd, "investigator"),
        make_user("ca_same_agency", restricted.agency, "central_authority"),
    ):
        client, api = login_client(user), _api(user)
        for url in (
            "",
            "reply/",
            "forward/",
            "export/",
            "consent/",
            "assign/",
            f"items/{item}/attach/",
            "files/1/",
        ):
            path = reverse("cooperation:thread", args=[pk]) + url
            assert client.get(path).status_code in (404, 405), path
            assert client.post(path, {}).status_code == 404, path
        assert api.get(f"/api/cooperation/threads/{pk}").status_code == 404
        assert api.get(f"/api/cooperation/threads/{pk}/export").status_code == 404
        assert restricted.reference not in str(api.get("/api/cooperation/threads").content)


def test_the_inbox_shows_its_total_and_pages_within_its_box(network, officer, settings):
    settings.TIPNET_PAGE_SIZE = 2
    for _ in range(3):
        arrive(opening("H1", thread=str(uuid.uuid4()), message=str(uuid.uuid4())))
    client = login_client(officer)
    inbox = client.get(reverse("cooperation:box") + "?box=incoming").content.decode()
    assert "3 message threads" in inbox and inbox.count('data-testid="coop-thread-row"') == 2
    assert 'href="?box=incoming&amp;page=2"' in inbox
    second = client.get(reverse("cooperation:box") + "?box=incoming&page=2").content.decode()
    assert second.count('data-testid="coop-thread-row"') == 1
    outbox = client.get(reverse("cooperation:box") + "?box=outgoing").content.decode()
    assert "0 message threads" in outbox
