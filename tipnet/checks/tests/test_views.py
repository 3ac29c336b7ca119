"""The pages: the case page's panel, the check form, a hit's page, the policy and the alerts."""

import base64
import uuid

from conftest import login_client
from tipnet.checks import index, link
from tipnet.checks.menu import waiting
from tipnet.checks.models import Alert, CheckPolicy, Hit, OutgoingCheck
from tipnet.exchange.actions import do_receive_message


def _hit(net) -> Hit:
    encoded = index.encode(net.check_key, "Shuhrat Yusupov", "1985-03-14", "male", [])
    payload = {
        "schema": link.QUERY_SCHEMA,
        "query_id": str(uuid.uuid4()),
        "kind": "person",
        "epoch": encoded.epoch,
        "encoding": index.encoding_version(),
        "name_clk": base64.b64encode(encoded.name_clk).decode(),
        "person_clk": base64.b64encode(encoded.person_clk).decode(),
        "tokens": [],
        "fields": ["given_name", "surname", "birth_date", "sex"],
        "purpose": {"case": "cd" * 32, "legal_basis": "tip_10"},
    }
    do_receive_message(net.wire(sender="AE-MOJ", type=link.QUERY, payload=payload))
    return Hit.objects.get()


def test_the_case_page_offers_a_check_of_each_person_to_an_investigator(
    checknet, suspect, investigator, analyst, uz_case
):
    page = login_client(investigator).get(f"/cases/{uz_case.pk}/").content.decode()
    assert 'data-testid="checks-panel"' in page
    assert f"/checks/case/{uz_case.pk}/new/?person={suspect.pk}" in page
    other = login_client(analyst).get(f"/cases/{uz_case.pk}/").content.decode()
    assert 'data-testid="checks-panel"' not in other


def test_the_form_sends_the_checks_and_the_case_shows_them(
    checknet, suspect, investigator, uz_case
):
    client = login_client(investigator)
    # Seen before the check: the page must not keep showing its panel without checks.
    assert "No checks asked yet." in client.get(f"/cases/{uz_case.pk}/").text
    form = client.get(f"/checks/case/{uz_case.pk}/new/?suspects=1").content.decode()
    assert f'value="{suspect.pk}"' in form and "checked" in form
    answer = client.post(
        f"/checks/case/{uz_case.pk}/new/",
        {"persons": [suspect.pk], "nodes": ["AE-MOJ"], "kind": "person", "legal_basis": "tip_10"},
    )
    assert answer.status_code == 302 and OutgoingCheck.objects.get().node == "AE-MOJ"
    results = client.get(f"/checks/case/{uz_case.pk}/").content.decode()
    assert 'data-node="AE-MOJ"' in results and "Waiting for the answer" in results
    # the case page's panel lists it too, with the person's name
    case_page = client.get(f"/cases/{uz_case.pk}/").content.decode()
    assert "<td>Шухрат Юсупов</td><td>AE-MOJ</td>" in case_page


def test_a_refused_check_is_shown_on_the_form_with_nothing_sent(checknet, investigator, uz_case):
    from .conftest import add_person

    row = add_person(investigator, uz_case, "Юсупов")
    answer = login_client(investigator).post(
        f"/checks/case/{uz_case.pk}/new/",
        {"persons": [row.pk], "nodes": ["all"], "kind": "person", "legal_basis": "untoc_27"},
    )
    assert answer.status_code == 200 and "surname alone" in answer.content.decode()
    assert not OutgoingCheck.objects.exists()


def test_a_hit_resolves_for_an_officer_who_sees_the_case_and_for_no_one_else(
    checknet, suspect, investigator, outsider, analyst, caseworker
):
    hit = _hit(checknet)
    page = login_client(investigator).get(f"/checks/hits/{hit.reference}/")
    assert page.status_code == 200 and "Шухрат Юсупов" in page.content.decode()
    for user in (outsider, analyst, caseworker):
        assert login_client(user).get(f"/checks/hits/{hit.reference}/").status_code == 404
    assert login_client(investigator).get("/checks/hits/no-such-ref/").status_code == 404


def test_an_officer_records_what_to_share(checknet, suspect, investigator):
    hit = _hit(checknet)
    login_client(investigator).post(
        f"/checks/hits/{hit.reference}/sharing/", {"sharing-sharing": "on_request"}
    )
    hit.refresh_from_db()
    assert hit.sharing == "on_request" and hit.decided_by == investigator


def test_only_a_node_admin_sets_the_policy(checknet, node_admin, investigator):
    assert login_client(investigator).get("/checks/policy/").status_code == 404
    client = login_client(node_admin)
    assert client.get("/checks/policy/").status_code == 200
    client.post("/checks/policy/", {"checkable_roles": ["suspect", "witness"], "hold_hits": "on"})
    policy = CheckPolicy.objects.get()
    assert policy.checkable_roles == ["suspect", "witness"] and policy.hold_hits


def test_an_admin_is_told_of_alerts_and_closes_them(checknet, node_admin, investigator):
    alert = Alert.objects.create(sender="AE-MOJ", kind="no_case", count=3)
    assert [w.count for w in waiting(node_admin) if w.key == "checks-alerts"] == [1]
    assert login_client(investigator).get("/checks/alerts/").status_code == 404
    login_client(node_admin).post(f"/checks/alerts/{alert.pk}/close/")
    alert.refresh_from_db()
    assert not alert.is_open


def test_a_hit_names_the_asking_node_s_legal_basis_in_words(checknet, suspect, investigator):
    hit = _hit(checknet)
    client = login_client(investigator)
    for language, words in [
        ("en", "TIP Protocol art. 10 (information exchange)"),
        ("ru", "Протокол о торговле людьми, ст. 10"),
    ]:
        page = client.get(f"/checks/hits/{hit.reference}/", headers={"accept-language": language})
        assert f'data-testid="hit-basis">{words}' in page.content.decode(), language
