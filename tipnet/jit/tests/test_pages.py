"""The workspace pages: members work it; everyone else (other agencies too) gets 404."""

import pytest
from django.test import Client
from django.urls import reverse

from conftest import make_user
from tipnet.accounts.actions import do_create_token
from tipnet.jit.models import Item
from tipnet.jit.urls import urlpatterns

AGREEMENT_PAGES = [p.name for p in urlpatterns if "agreement_id" in str(p.pattern)]


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_client(user) -> Client:
    _token, raw = do_create_token(user, "jit", 1)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def url(name: str, agreement, item=None) -> str:
    kwargs = {"agreement_id": agreement.pk}
    pattern = next(p for p in urlpatterns if p.name == name)
    if "item_id" in str(pattern.pattern):
        kwargs["item_id"] = item.pk if item else 1
    return reverse(f"jit:{name}", kwargs=kwargs)


@pytest.fixture
def task(in_force, prosecutor):
    from tipnet.jit import actions

    return actions.do_add_task(prosecutor, in_force, "Interview the recruiter")


def test_everyone_but_the_members_gets_404_on_every_page(
    in_force, task, outsider, colleague, ca_officer, caseworker
):
    for who in (outsider, colleague, ca_officer, caseworker):
        client = client_for(who)
        for name in AGREEMENT_PAGES:
            for method in (client.get, client.post):  # a GET of a form-only action too
                answer = method(url(name, in_force, task))
                assert answer.status_code == 404, (who, name, method)
    assert Item.objects.get(pk=task.pk).revision == 1


def test_the_api_answers_404_to_a_non_member(in_force, colleague):
    client = api_client(colleague)
    for path in ("", "/chain", "/workspace"):
        answer = client.get(f"/api/jit/agreements/{in_force.pk}{path}")
        assert answer.status_code == 404
        assert answer.json()["error"]["code"]
    assert client.post(f"/api/jit/agreements/{in_force.pk}/sign").status_code == 404


def test_a_member_sees_the_workspace_and_the_signatures_verify(in_force, prosecutor):
    page = client_for(prosecutor).get(url("detail", in_force))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('data-testid="signature-valid"') == 2
    assert "In force" in html


def test_a_member_shares_suspects_and_sees_the_chain(in_force, prosecutor):
    client = client_for(prosecutor)
    rows = in_force.case.case_persons.filter(role="suspect")
    answer = client.post(url("share", in_force), {"rows": [str(r.pk) for r in rows]})
    assert answer.status_code == 302
    html = client.get(url("detail", in_force)).content.decode()
    assert html.count('data-testid="chain-row"') == 2
    assert 'data-role="recruiter"' in html and 'data-role="transporter"' in html
    chain = api_client(prosecutor).get(f"/api/jit/agreements/{in_force.pk}/chain").json()
    assert {(c["role"], c["node"]) for c in chain} == {
        ("recruiter", "UZ-GPO"),
        ("transporter", "UZ-GPO"),
    }


def test_a_bad_evidence_hash_is_refused_with_the_form(in_force, prosecutor):
    answer = client_for(prosecutor).post(
        url("evidence", in_force),
        {
            "description": "Phone",
            "sha256": "not-a-hash",
            "collected_by": "A",
            "collected_on": "2026-02-01",
        },
    )
    assert answer.status_code == 400
    assert not Item.objects.filter(kind="evidence").exists()


def test_an_investigator_proposes_from_a_case(network, uz_gpo, uz_case, prosecutor):
    investigator = make_user("ilona_investigator", uz_gpo, "investigator")
    client = client_for(investigator)
    assert client.get(reverse("jit:new") + f"?case={uz_case.pk}").status_code == 200
    answer = client.post(
        reverse("jit:new") + f"?case={uz_case.pk}",
        {
            "kind": "parallel",
            "partner": "AE-MOJ",
            "title": "Dubai clubs",
            "purpose": "Convict the whole chain.",
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
            "member_users": [prosecutor.pk],
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    assert client_for(prosecutor).get(answer["Location"]).status_code == 200


def test_the_case_page_offers_a_proposal(uz_case, prosecutor):
    html = client_for(prosecutor).get(reverse("cases:detail", args=[uz_case.pk])).content.decode()
    assert f"/jit/new/?case={uz_case.pk}" in html


def test_the_api_gives_a_member_the_text_and_the_verified_signatures(in_force, prosecutor):
    from tipnet.jit.text import digest

    answer = api_client(prosecutor).get(f"/api/jit/agreements/{in_force.pk}")
    assert answer.status_code == 200
    body = answer.json()
    assert digest(body["text"]) == body["text_sha256"] == in_force.text_sha256
    assert sorted((s["node"], s["verified"]) for s in body["signatures"]) == [
        ("AE-MOJ", True),
        ("UZ-GPO", True),
    ]
