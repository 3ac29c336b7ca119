"""A missing-person check relies on the victim's consent recorded in the victims register."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from conftest import login_client, make_user
from tipnet.audit.models import AuditEvent
from tipnet.checks import actions
from tipnet.checks.models import OutgoingCheck
from tipnet.exchange.models import OutboxMessage
from tipnet.victims.actions import do_give_consent, do_register_victim, do_withdraw_consent
from tipnet.victims.models import Purpose

from .conftest import add_person


@pytest.fixture
def caseworker(uz_mvd):
    """A caseworker of the agency that owns the case, who may see its victims."""
    return make_user("vera_caseworker", uz_mvd, "caseworker")


@pytest.fixture
def victim_row(investigator, uz_case):
    return add_person(investigator, uz_case, "Гулнора Каримова", role="victim", sex="female")


@pytest.fixture
def victim(caseworker, uz_case):
    data = {"given_name": "Gulnora", "family_name": "Karimova", "sex": "female"}
    return do_register_victim(caseworker, data)


def _consent(caseworker, victim, purpose=Purpose.BORDER_CHECK):
    data = {"purpose": purpose, "given_on": date.today(), "language": "uz", "explained_by": "K."}
    return do_give_consent(caseworker, victim, data)


def _refused(caseworker, case, row, consent) -> str:
    with pytest.raises(ValidationError) as caught:
        actions.do_check(caseworker, case, [row], ["AE-MOJ"], "tip_10", "missing", consent)
    assert not OutgoingCheck.objects.exists() and not OutboxMessage.objects.exists()
    assert not AuditEvent.objects.filter(tag="checks:query:send").exists()
    return " ".join(caught.value.messages)


def test_refused_without_a_recorded_consent(checknet, caseworker, uz_case, victim_row, victim):
    message = _refused(caseworker, uz_case, victim_row, None)
    assert "consent to checks with partner countries" in message
    assert "none was given" in message


def test_refused_with_a_consent_for_another_purpose(
    checknet, caseworker, uz_case, victim_row, victim
):
    assistance = _consent(caseworker, victim, Purpose.ASSISTANCE)
    assert "for another purpose" in _refused(caseworker, uz_case, victim_row, assistance)


def test_refused_after_the_consent_was_withdrawn(checknet, caseworker, uz_case, victim_row, victim):
    consent = _consent(caseworker, victim)
    do_withdraw_consent(caseworker, consent)
    message = _refused(caseworker, uz_case, victim_row, consent)
    assert f"{victim.code} withdrew their consent" in message


def test_refused_with_another_victims_consent(checknet, caseworker, investigator, uz_case, victim):
    other = add_person(investigator, uz_case, "Дилноза Рахимова", role="victim", sex="female")
    consent = _consent(caseworker, victim)
    assert "whose recorded name is not that of" in _refused(caseworker, uz_case, other, consent)


def test_refused_to_anyone_but_the_victims_caseworkers(
    checknet, caseworker, investigator, uz_case, victim_row, victim
):
    consent = _consent(caseworker, victim)
    message = _refused(investigator, uz_case, victim_row, consent)
    assert f"Only a caseworker of the agency that registered {victim.code}" in message


def test_allowed_with_consent_and_the_consent_is_recorded(
    checknet, caseworker, uz_case, victim_row, victim
):
    consent = _consent(caseworker, victim)
    made = actions.do_check(
        caseworker, uz_case, [victim_row], ["AE-MOJ"], "tip_10", "missing", consent
    )
    assert [(c.kind, c.consent_id, c.consent_recorded) for c in made] == [
        ("missing", consent.pk, True)
    ]
    event = AuditEvent.objects.get(tag="checks:query:send")
    assert event.detail["consent"] == consent.pk and event.detail["kind"] == "missing"
    assert OutboxMessage.objects.filter(recipient="AE-MOJ").count() == 1


def test_the_case_page_shows_the_consent_relied_on(
    checknet, caseworker, uz_case, victim_row, victim
):
    consent = _consent(caseworker, victim)
    client = login_client(caseworker)
    form = client.get(f"/checks/case/{uz_case.pk}/new/")
    assert f"{victim.code}: Gulnora Karimova" in form.content.decode()
    response = client.post(
        f"/checks/case/{uz_case.pk}/new/",
        {
            "persons": [str(victim_row.pk)],
            "nodes": ["AE-MOJ"],
            "kind": "missing",
            "legal_basis": "tip_10",
            "consent": str(consent.pk),
        },
    )
    assert response.status_code == 302
    page = client.get(f"/checks/case/{uz_case.pk}/").content.decode()
    assert f"relied on the consent of {victim.code} given on" in page
    case_page = client.get(f"/cases/{uz_case.pk}/").content.decode()
    assert f"relied on the consent of {victim.code} given on" in case_page


def test_the_api_takes_the_consent_id_and_refuses_a_withdrawn_one(
    checknet, caseworker, uz_case, victim_row, victim, api_as
):
    consent = _consent(caseworker, victim)
    client = api_as(caseworker)
    body = {
        "persons": [victim_row.pk],
        "nodes": ["AE-MOJ"],
        "legal_basis": "tip_10",
        "kind": "missing",
        "consent": consent.pk,
    }
    created = client.post(
        f"/api/checks/cases/{uz_case.pk}", data=body, content_type="application/json"
    )
    assert created.status_code == 201, created.content
    assert [c["consent_id"] for c in created.json()] == [consent.pk]
    do_withdraw_consent(caseworker, consent)
    refused = client.post(
        f"/api/checks/cases/{uz_case.pk}", data=body, content_type="application/json"
    )
    assert refused.status_code == 422
    assert "withdrew their consent" in refused.json()["error"]["details"][0]["message"]
    assert OutgoingCheck.objects.count() == 1
