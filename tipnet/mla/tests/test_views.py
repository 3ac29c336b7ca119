"""MLA pages: the wizard's step checks, registers, detail, transitions, letters and access."""

import pytest
from django.urls import reverse

from tipnet.audit.models import AuditEvent
from tipnet.mla import actions
from tipnet.mla.enums import State
from tipnet.mla.models import MlaRequest


def step_url(req, step):
    return reverse("mla:step", args=[req.pk, step])


def test_a_prosecutor_opens_a_draft_from_a_case(treaties, prosecutor, uz_case, client_as):
    client = client_as(prosecutor)
    page = client.get(reverse("mla:new") + f"?case={uz_case.pk}")
    assert page.status_code == 200
    response = client.post(reverse("mla:new"), {"case": uz_case.pk, "requested_state": "AE"})
    req = MlaRequest.objects.get()
    assert response.status_code == 302 and response.url == step_url(req, "authority")
    assert (req.requested_state, req.legal_basis, req.case_id) == ("AE", "UNTOC_18", uz_case.pk)


def test_a_step_with_a_missing_essential_element_is_not_left(draft_to_ae, prosecutor, client_as):
    client = client_as(prosecutor)
    data = {
        "requesting_authority": "GPO",
        "conducting_authority": "",
        "proceedings": "investigation",
        "subject": "TIP",
        "case_number": "X-1",
    }
    page = client.post(step_url(draft_to_ae, "authority"), data)
    assert page.status_code == 200 and b'data-testid="gap-conducting_authority"' in page.content
    data["conducting_authority"] = "Investigation department"
    assert client.post(step_url(draft_to_ae, "authority"), data).url == step_url(
        draft_to_ae, "state"
    )


def test_skipping_ahead_leads_back_to_the_first_incomplete_step(
    complete_to_ae, prosecutor, client_as
):
    actions.do_update_request(prosecutor, complete_to_ae, "facts", {"purpose": ""})
    response = client_as(prosecutor).get(step_url(complete_to_ae, "check"))
    assert response.status_code == 302 and response.url == step_url(complete_to_ae, "facts")


def test_the_state_step_shows_the_central_authority_and_unverified_facts(
    draft_to_ae, prosecutor, client_as
):
    actions.do_update_request(prosecutor, draft_to_ae, "authority", {"conducting_authority": "X"})
    page = client_as(prosecutor).get(step_url(draft_to_ae, "state")).content.decode()
    assert "Ministry of Justice of the United Arab Emirates" in page
    assert 'data-testid="unverified"' in page and 'data-testid="country-guide"' in page


def test_the_check_lists_every_gap_and_offers_submit_only_when_complete(
    network, complete_to_ae, prosecutor, client_as
):
    client = client_as(prosecutor)
    page = client.get(step_url(complete_to_ae, "check")).content.decode()
    assert 'data-testid="complete"' in page and 'data-testid="submit-request"' in page
    response = client.post(reverse("mla:submit", args=[complete_to_ae.pk]))
    complete_to_ae.refresh_from_db()
    assert response.status_code == 302 and complete_to_ae.state == State.SUBMITTED
    assert client.get(step_url(complete_to_ae, "facts")).status_code == 404


def test_the_letter_downloads_as_pdf_and_docx(complete_to_ae, prosecutor, client_as):
    client = client_as(prosecutor)
    pdf = client.get(reverse("mla:letter", args=[complete_to_ae.pk, "pdf"]))
    docx = client.get(reverse("mla:letter", args=[complete_to_ae.pk, "docx"]) + "?lang=ru")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert docx.content.startswith(b"PK") and "-ru.docx" in docx["Content-Disposition"]
    assert client.get(reverse("mla:letter", args=[complete_to_ae.pk, "exe"])).status_code == 404


@pytest.mark.parametrize("persona", ["outsider", "caseworker", "analyst", "investigator"])
def test_others_get_404_for_a_request_and_the_attempt_is_audited(
    complete_to_ae, client_as, request, persona
):
    client = client_as(request.getfixturevalue(persona))
    assert client.get(reverse("mla:detail", args=[complete_to_ae.pk])).status_code == 404
    assert client.get(step_url(complete_to_ae, "facts")).status_code == 404
    assert AuditEvent.objects.filter(tag="mla:request:denied").exists()


def test_analysts_see_counts_only(complete_to_ae, analyst, caseworker, client_as):
    page = client_as(analyst).get(reverse("mla:dashboard"))
    assert page.status_code == 200 and complete_to_ae.reference not in page.content.decode()
    assert client_as(analyst).get(reverse("mla:register")).status_code == 404
    assert client_as(caseworker).get(reverse("mla:dashboard")).status_code == 404


def test_the_incoming_register_is_for_central_authority_officers(
    complete_to_ae, prosecutor, ca_officer, client_as
):
    assert (
        client_as(prosecutor).get(reverse("mla:register") + "?direction=incoming").status_code
        == 404
    )
    assert (
        client_as(ca_officer).get(reverse("mla:register") + "?direction=incoming").status_code
        == 200
    )


def test_a_transition_form_moves_an_incoming_request(
    complete_to_ae, prosecutor, ca_officer, client_as
):
    req = actions.do_submit(prosecutor, complete_to_ae)
    MlaRequest.objects.filter(pk=req.pk).update(direction="incoming", agency=None)
    client = client_as(ca_officer)
    client.post(reverse("mla:transition", args=[req.pk, "acknowledge"]), {"counterpart_ref": ""})
    req.refresh_from_db()
    assert req.state == State.RECEIVED
    client.post(reverse("mla:transition", args=[req.pk, "assess"]))
    response = client.post(
        reverse("mla:transition", args=[req.pk, "refuse"]),
        {"ground": "untoc_18_21_b", "reasons": ""},
        follow=True,
    )
    req.refresh_from_db()
    assert req.state == State.UNDER_ASSESSMENT and b"reasons" in response.content


def test_the_register_filters_by_state_and_country(
    complete_to_ae, complete_to_kz, prosecutor, client_as
):
    page = client_as(prosecutor).get(reverse("mla:register") + "?direction=outgoing&country=KZ")
    text = page.content.decode()
    assert complete_to_kz.reference in text and complete_to_ae.reference not in text


def test_the_dashboard_lists_overdue_requests_to_the_central_authority(
    complete_to_ae, prosecutor, ca_officer, client_as
):
    from datetime import timedelta

    from django.utils import timezone

    req = actions.do_submit(prosecutor, complete_to_ae)
    MlaRequest.objects.filter(pk=req.pk).update(submitted_at=timezone.now() - timedelta(days=9))
    page = client_as(ca_officer).get(reverse("mla:dashboard")).content.decode()
    assert req.reference in page and "acknowledge" in page


def test_the_treaty_data_page_flags_unverified_facts(treaties, prosecutor, client_as):
    page = client_as(prosecutor).get(reverse("mla:treaties")).content.decode()
    assert 'data-testid="treaty-row-TJ"' in page and "unverified" in page
    assert 'data-testid="status-form-TJ-CHISINAU_2002"' not in page


def test_a_node_admin_corrects_a_party_status_and_the_resolver_follows(
    treaties, node_admin, prosecutor, client_as
):
    url = reverse("mla:treaty_status", args=["TJ", "CHISINAU_2002"])
    data = {"status": "party", "source": "CIS depositary list, checked", "is_verified": "on"}
    assert client_as(prosecutor).post(url, data).status_code == 404
    client_as(node_admin).post(url, data)
    from tipnet.mla.resolver import resolve

    assert resolve("KZ", "TJ").codes[0] == "CHISINAU_2002"
    assert "TJ: CHISINAU_2002" not in resolve("KZ", "TJ").unverified
    client_as(node_admin).post(url, {**data, "source": ""})
    assert resolve("KZ", "TJ").codes[0] == "CHISINAU_2002"


def test_the_request_page_flags_the_unverified_facts_behind_its_basis(
    complete_to_ae, prosecutor, client_as
):
    page = client_as(prosecutor).get(reverse("mla:detail", args=[complete_to_ae.pk]))
    assert b'data-testid="unverified"' in page.content
    assert b"AE: UN Convention against Transnational" in page.content


def test_victims_in_a_request_are_hidden_from_officers_who_may_not_see_them(
    complete_to_ae, prosecutor, uz_mvd, client_as
):
    from conftest import make_user

    actions.do_add_person(
        prosecutor, complete_to_ae, {"kind": "victim", "full_name": "Karimova Zarina"}
    )
    actions.do_submit(prosecutor, complete_to_ae)
    officer = make_user("central_elsewhere", uz_mvd, "central_authority")
    mine = client_as(prosecutor).get(reverse("mla:detail", args=[complete_to_ae.pk]))
    theirs = client_as(officer).get(reverse("mla:detail", args=[complete_to_ae.pk]))
    assert b"Karimova Zarina" in mine.content
    assert theirs.status_code == 200 and b"Karimova Zarina" not in theirs.content
    assert b"Rustamov Akmal" in theirs.content


def test_a_node_admin_sets_the_deadlines_of_a_basis(treaties, node_admin, prosecutor, client_as):
    from tipnet.mla.deadlines import policy_days

    url = reverse("mla:deadlines", args=["MINSK_1993"])
    data = {"acknowledge": "5", "decide": "20", "execute": "60"}
    assert client_as(prosecutor).post(url, data).status_code == 404
    client_as(node_admin).post(url, {**data, "decide": "0"})
    assert policy_days("MINSK_1993") == {"acknowledge": 7, "decide": 30, "execute": 90}
    client_as(node_admin).post(url, data)
    assert policy_days("MINSK_1993") == {"acknowledge": 5, "decide": 20, "execute": 60}
    assert (
        client_as(node_admin).post(reverse("mla:deadlines", args=["NOPE"]), data).status_code == 404
    )


def test_the_home_page_leads_drafters_and_analysts_to_mla_and_nobody_else(
    prosecutor, analyst, caseworker, client_as
):
    def card(user):
        page = client_as(user).get(reverse("home")).content.decode()
        return 'data-testid="home-mla"' in page, reverse("mla:dashboard") in page

    assert card(prosecutor) == (True, False)
    assert card(analyst) == (True, True)
    assert card(caseworker) == (False, False)


def test_codes_are_shown_by_their_translated_labels(
    complete_to_ae, prosecutor, ca_officer, client_as
):
    from django.utils import translation

    req = actions.do_submit(prosecutor, complete_to_ae)
    MlaRequest.objects.filter(pk=req.pk).update(direction="incoming", agency=None)
    client = client_as(ca_officer)
    client.cookies["django_language"] = "ru"
    page = client.get(
        reverse("mla:detail", args=[req.pk]), HTTP_ACCEPT_LANGUAGE="ru"
    ).content.decode()
    with translation.override("ru"):
        assert "Подтвердить получение" in page and "Проект → Направлен" in page
        assert "Подлинники или заверенные копии документов и материалов" in page


def test_hostile_text_is_escaped_in_the_page_and_the_letter(complete_to_ae, prosecutor, client_as):
    from tipnet.mla.letters import render_html

    hostile = "<script>alert(1)</script>'; DROP TABLE mla_mlarequest; --"
    actions.do_update_request(prosecutor, complete_to_ae, "facts", {"facts": hostile})
    page = client_as(prosecutor).get(reverse("mla:detail", args=[complete_to_ae.pk])).content
    assert b"<script>alert(1)</script>" not in page and b"&lt;script&gt;" in page
    assert "<script>" not in render_html(complete_to_ae, "en")
    assert MlaRequest.objects.get(pk=complete_to_ae.pk).facts == hostile


def test_a_state_with_a_node_is_offered_the_network_not_paper(
    network, complete_to_ae, prosecutor, client_as
):
    page = client_as(prosecutor).get(step_url(complete_to_ae, "check")).content.decode()
    assert 'data-testid="submit-request"' in page and 'data-testid="submit-paper"' not in page


def test_a_request_to_a_state_without_a_node_is_sent_on_paper_and_its_answers_recorded(
    complete_to_ae, prosecutor, client_as
):
    from tipnet.exchange.models import OutboxMessage

    client = client_as(prosecutor)
    page = client.get(step_url(complete_to_ae, "check")).content.decode()
    assert 'data-testid="paper-only"' in page and 'data-testid="submit-request"' not in page
    client.post(reverse("mla:submit", args=[complete_to_ae.pk]), {"channel": "paper"})
    req = MlaRequest.objects.get(pk=complete_to_ae.pk)
    assert req.state == State.SUBMITTED and req.is_off_network
    assert req.files.filter(filename=f"{req.reference}.pdf").exists()  # to print
    assert not OutboxMessage.objects.exists()
    detail = client.get(reverse("mla:detail", args=[req.pk])).content.decode()
    assert 'data-testid="off-network"' in detail and 'data-testid="record-acknowledge"' in detail

    url = reverse("mla:record_step", args=[req.pk, "acknowledge"])
    client.post(url, {"counterpart_ref": "AE-MOJ-2026-17"})
    req.refresh_from_db()
    assert (req.state, req.counterpart_ref) == (State.RECEIVED, "AE-MOJ-2026-17")
    assert AuditEvent.objects.filter(tag="mla:request:record_step").count() == 1
    # A step the lifecycle does not allow now, or one that does not exist, changes nothing.
    late = client.post(reverse("mla:record_step", args=[req.pk, "withdraw"]), {"reason": "x"})
    assert late.status_code == 302
    assert client.post(reverse("mla:record_step", args=[req.pk, "nonsense"])).status_code == 404
    req.refresh_from_db()
    assert req.state == State.RECEIVED
    assert AuditEvent.objects.filter(tag="mla:request:record_step").count() == 1


def test_a_request_on_the_network_takes_no_step_recorded_by_hand(
    network, complete_to_ae, prosecutor, client_as
):
    req = actions.do_submit(prosecutor, complete_to_ae)
    url = reverse("mla:record_step", args=[req.pk, "acknowledge"])
    assert client_as(prosecutor).post(url, {"counterpart_ref": "X"}).status_code == 404
    req.refresh_from_db()
    assert req.state == State.SUBMITTED


def test_a_register_page_without_a_direction_is_the_outgoing_register(
    complete_to_ae, complete_to_kz, prosecutor, ca_officer, client_as
):
    outgoing = actions.do_submit(prosecutor, complete_to_kz)
    incoming = actions.do_submit(prosecutor, complete_to_ae)
    MlaRequest.objects.filter(pk=incoming.pk).update(direction="incoming", agency=None)
    client = client_as(ca_officer)
    for query in ("?page=1", "?state=", "?country="):
        text = client.get(reverse("mla:register") + query).content.decode()
        assert outgoing.reference in text and incoming.reference not in text, query
        assert 'aria-current="page" data-testid="tab-outgoing"' in text, query
    assert client.get(reverse("mla:register") + "?direction=sideways").status_code == 404
