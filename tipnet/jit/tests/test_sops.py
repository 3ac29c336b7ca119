"""The procedures between origin and destination: one data file per pair, each step sourced."""

import pytest
from django.test import Client
from django.utils import translation

from tipnet.jit import actions, receive, sops

from .conftest import peer_signs

REQUIRED_PAIRS = {"UZ-AE", "UZ-RU", "KG-RU", "UZ-TR", "KG-AE"}
PHASES = {"first_contact", "victims", "evidence", "witnesses", "return"}


def test_every_required_pair_has_a_procedure_with_every_phase_and_a_source_per_step():
    found = sops.procedures()
    assert set(found) >= REQUIRED_PAIRS
    for procedure in found.values():
        assert {step.phase for step in procedure.steps} >= PHASES, procedure.pair
        assert all(step.source.strip() for step in procedure.steps)
        assert procedure.legal_basis


def test_a_step_reads_in_the_users_language():
    step = sops.find_step("UZ-AE", "return")
    with translation.override("ru"):
        assert step.label().startswith("Согласовать")
    with translation.override("uz"):
        assert step.label().startswith("Jabrlanuvchilar")


def test_the_legal_basis_reads_in_the_users_language_for_every_pair():
    for procedure in sops.procedures().values():
        assert set(procedure.legal_basis) == {"en", "ru", "uz"}, procedure.pair
        texts = set()
        for language in ("en", "ru", "uz"):
            with translation.override(language):
                texts.add(procedure.basis_label())
        assert len(texts) == 3 and all(texts), procedure.pair
    with translation.override("uz"):
        assert sops.procedures()["UZ-RU"].basis_label().startswith("Ikkala davlat")
    with translation.override("ru"):
        assert sops.procedures()["UZ-RU"].basis_label().startswith("Обе страны")


def test_a_step_opens_the_matching_action_for_the_case():
    assert sops.action_url(sops.find_step("UZ-AE", "evidence"), 7) == "/mla/new/?case=7"
    assert sops.action_url(sops.find_step("UZ-AE", "first_contact"), 7) == (
        "/cooperation/new/?case=7"
    )
    assert sops.action_url(sops.find_step("UZ-AE", "victims"), 7) == "/victims/"


def test_progress_is_shown_per_node_in_the_workspace(in_force, prosecutor):
    actions.do_mark_step(prosecutor, in_force, "UZ-AE", "evidence", True)
    client = Client()
    client.force_login(prosecutor)
    html = client.get(f"/jit/{in_force.pk}/").content.decode()
    assert html.count('data-testid="sop-step"') == len(sops.procedures()["UZ-AE"].steps)
    uz = "Uzbekistan — General Prosecutor&#x27;s Office"
    assert html.count(f'data-testid="sop-done">{uz}</span>') == 1
    assert "UNTOC art. 18 is the guaranteed basis" in html
    assert "<h3>Uzbekistan → United Arab Emirates</h3>" in html


def test_signing_the_agreement_is_its_step_done_by_each_party_that_signed(
    network, proposal, prosecutor
):
    """The procedure's "agree and sign" step follows the signatures and is not marked by hand."""
    client = Client()
    client.force_login(prosecutor)

    def signing_step() -> tuple[str, str]:
        html = client.get(f"/jit/{proposal.pk}/").content.decode()
        step = html.split('data-testid="sop-step">Agree and sign', 1)[1].split("</li>", 1)[0]
        return step, step.split('data-testid="sop-done">', 1)[1].split("</span>", 1)[0]

    assert signing_step()[1] == "—"
    actions.do_sign(prosecutor, proposal)
    assert signing_step()[1] == "Uzbekistan — General Prosecutor&#x27;s Office"
    receive.receive_signature("AE-MOJ", peer_signs(network, proposal))
    step, done = signing_step()
    assert "Uzbekistan — General Prosecutor" in done and "United Arab Emirates — " in done
    assert 'data-testid="sop-by-signing"' in step and 'data-testid="sop-mark"' not in step


def test_the_parties_are_named_by_country_and_agency(in_force, prosecutor):
    client = Client()
    client.force_login(prosecutor)
    with translation.override("ru"):
        html = client.get(f"/jit/{in_force.pk}/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    rows = html.split('data-testid="parties"', 1)[1].split("</table>", 1)[0]
    assert "Узбекистан" in rows and "Объединённые Арабские Эмираты" in rows
    assert "General Prosecutor&#x27;s Office" in rows


def test_an_unknown_step_is_refused(in_force, prosecutor):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        actions.do_mark_step(prosecutor, in_force, "UZ-AE", "bribe_the_judge", True)
