import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tipnet.audit.models import AuditEvent
from tipnet.cases import actions
from tipnet.cases.models import Case, CasePerson, Document

from .factories import add_person, make_case

pytestmark = pytest.mark.django_db


def test_the_list_shows_only_visible_cases(client_as, investigator, outsider):
    mine = make_case(investigator, title="Tashkent recruiters")
    make_case(outsider, title="Bishkek bar")
    response = client_as(investigator).get(reverse("cases:list"))
    assert response.status_code == 200
    assert mine.reference in response.text
    assert "Bishkek bar" not in response.text


def test_the_list_filters_by_stage_form_and_country(client_as, investigator):
    labour = make_case(
        investigator, title="Building sites", route=[("UZ", "origin"), ("RU", "destination")]
    )
    sexual = make_case(investigator, title="Bars", exploitation_forms=["sexual"])
    actions.do_change_stage(investigator, labour, "investigation")
    client = client_as(investigator)
    by_stage = client.get(reverse("cases:list"), {"stage": "investigation"}).text
    assert "Building sites" in by_stage and "Bars" not in by_stage
    by_form = client.get(reverse("cases:list"), {"form": "sexual"}).text
    assert "Bars" in by_form and "Building sites" not in by_form
    by_country = client.get(reverse("cases:list"), {"country": "RUS"}).text
    assert "Building sites" in by_country and sexual.reference not in by_country


def test_an_investigator_opens_a_case_through_the_form(client_as, investigator):
    response = client_as(investigator).post(
        reverse("cases:create"),
        {
            "title": "Hotel staff to Dubai",
            "confidentiality": "confidential",
            "route": "UZ KZ AE",
            "exploitation_forms": ["labour"],
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert [leg.kind for leg in case.route.all()] == ["origin", "transit", "destination"]


def test_an_unknown_country_in_the_form_stores_nothing(client_as, investigator):
    response = client_as(investigator).post(
        reverse("cases:create"), {"title": "X", "confidentiality": "secret", "route": "UZ ZZ"}
    )
    assert response.status_code == 200
    assert 'data-testid="error-route"' in response.text
    assert not Case.objects.exists()


def test_an_analyst_cannot_open_a_case(client_as, analyst):
    assert client_as(analyst).get(reverse("cases:create")).status_code == 404


def test_another_agencys_case_is_404_and_audited(client_as, investigator, outsider):
    case = make_case(investigator)
    for name in ("cases:detail", "cases:edit", "cases:person_add", "cases:document_upload"):
        assert client_as(outsider).get(reverse(name, args=[case.pk])).status_code == 404
    assert AuditEvent.objects.filter(tag="cases:case:denied", actor=outsider.username).count() == 4


def test_a_cyrillic_suspect_is_added_with_a_phone(client_as, investigator):
    case = make_case(investigator)
    response = client_as(investigator).post(
        reverse("cases:person_add", args=[case.pk]),
        {
            "full_name": "Шухрат Юсупов",
            "role": "suspect",
            "chain_role": "recruiter",
            "sex": "male",
            "birth": "1984-02",
            "citizenships": "UZ",
            "phone": "+998 90 123 45 67",
        },
    )
    assert response.status_code == 302
    row = CasePerson.objects.get()
    assert row.person.latin_name == "Shukhrat Yusupov"
    assert row.person.identifiers.get().normalised == "+998901234567"


def test_a_bad_phone_leaves_no_half_person(client_as, investigator):
    case = make_case(investigator)
    response = client_as(investigator).post(
        reverse("cases:person_add", args=[case.pk]),
        {"full_name": "Test Person", "role": "witness", "sex": "female", "phone": "12"},
    )
    assert response.status_code == 200
    assert not CasePerson.objects.exists()


def test_a_malformed_birth_date_is_explained(client_as, investigator):
    case = make_case(investigator)
    response = client_as(investigator).post(
        reverse("cases:person_add", args=[case.pk]),
        {"full_name": "Test Person", "role": "witness", "sex": "female", "birth": "1990-02-30"},
    )
    assert 'data-testid="error-birth"' in response.text
    assert not CasePerson.objects.exists()


def test_the_latin_preview_answers_as_you_type(client_as, investigator):
    response = client_as(investigator).get(reverse("cases:latin"), {"full_name": "Гулнора"})
    assert "Gulnora" in response.text


def test_an_impossible_stage_change_is_refused(client_as, investigator):
    case = make_case(investigator)
    client = client_as(investigator)
    client.post(reverse("cases:stage", args=[case.pk]), {"stage": "trial"})
    case.refresh_from_db()
    assert case.stage == "detection"
    client.post(reverse("cases:stage", args=[case.pk]), {"stage": "investigation"})
    case.refresh_from_db()
    assert case.stage == "investigation"


def test_a_disguised_executable_is_refused(client_as, investigator):
    case = make_case(investigator)
    upload = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00" + b"\x00" * 64, "application/pdf")
    response = client_as(investigator).post(
        reverse("cases:document_upload", args=[case.pk]), {"title": "Scan", "file": upload}
    )
    assert 'data-testid="error-file"' in response.text
    assert not Document.objects.exists()


def test_a_document_is_served_only_to_those_who_see_the_case(client_as, investigator, outsider):
    case = make_case(investigator)
    doc = actions.do_upload_document(investigator, case, "Statement", "s.pdf", b"%PDF-1.7\n")
    url = reverse("cases:document", args=[case.pk, doc.pk])
    response = client_as(investigator).get(url)
    assert response.content == b"%PDF-1.7\n"
    assert response["Content-Type"] == "application/pdf"
    assert client_as(outsider).get(url).status_code == 404
    other = make_case(outsider)
    assert (
        client_as(outsider).get(reverse("cases:document", args=[other.pk, doc.pk])).status_code
        == 404
    )


@pytest.mark.parametrize(
    "query",
    [
        "Гулнора Каримова",
        "Gulnara Karimova",
        "gulnora karimova",
        "+971 50 123 4567",
        "00971501234567",
        "050 123 4567 (AE)",
    ],
)
def test_person_search_understands_scripts_and_phones(client_as, investigator, query):
    case = make_case(investigator)
    row = add_person(investigator, case, "Gulnora Karimova", role="witness")
    actions.do_add_identifier(investigator, row.person, "phone", "+971501234567")
    add_person(investigator, case, "Dilnoza Rakhimova", role="witness")
    response = client_as(investigator).get(reverse("cases:person_search"), {"q": query})
    assert response.text.count('data-testid="person-hit"') == 1
    assert "Gulnora Karimova" in response.text


def test_person_search_finds_shukhrat_in_both_spellings(client_as, investigator):
    case = make_case(investigator)
    add_person(investigator, case, "Shuhrat Yusupov")
    add_person(investigator, case, "Шухрат Юсупов")
    response = client_as(investigator).get(
        reverse("cases:person_search"), {"q": "Shukhrat Yusupov"}
    )
    assert response.text.count('data-testid="person-hit"') == 2


def test_person_search_hides_other_agencies_and_victims_from_analysts(
    client_as, investigator, analyst, outsider
):
    case = make_case(investigator)
    add_person(investigator, case, "Gulnora Karimova", role="victim")
    other = make_case(outsider)
    add_person(outsider, other, "Gulnara Karimova", role="suspect")
    assert (
        "Gulnora"
        in client_as(investigator)
        .get(reverse("cases:person_search"), {"q": "Gulnara Karimova"})
        .text
    )
    for user in (analyst, outsider):
        text = client_as(user).get(reverse("cases:person_search"), {"q": "Gulnora Karimova"}).text
        assert case.reference not in text
    outsider_text = client_as(outsider).get(reverse("cases:person_search"), {"q": "Gulnora"}).text
    assert outsider_text.count('data-testid="person-hit"') == 1


def test_the_case_page_hides_victims_from_an_analyst(client_as, investigator, analyst):
    case = make_case(investigator)
    add_person(investigator, case, "Malika Tursunova", role="victim")
    text = client_as(analyst).get(reverse("cases:detail", args=[case.pk])).text
    assert "Malika" not in text
    assert 'data-testid="hidden-victims"' in text
    assert "Malika" in client_as(investigator).get(reverse("cases:detail", args=[case.pk])).text


def test_the_network_page_lists_cases_linked_by_a_shared_phone(client_as, investigator, outsider):
    first = make_case(investigator, title="Recruitment in Samarkand")
    second = make_case(investigator, title="Transport to Almaty")
    foreign = make_case(outsider, title="Bishkek side")
    rows = [
        add_person(investigator, first, "Rustam Alimov"),
        add_person(investigator, second, "Timur Saidov"),
        add_person(outsider, foreign, "Azamat Saidov"),
    ]
    for row in rows:
        actions.do_add_identifier(investigator, row.person, "phone", "+998901112233")
    text = client_as(investigator).get(reverse("cases:network", args=[first.pk])).text
    assert second.reference in text
    assert foreign.reference not in text
    assert "cytoscape.min.js" in text


def test_hostile_queries_are_answered_and_change_nothing(client_as, investigator):
    case = make_case(investigator)
    client = client_as(investigator)
    for q in ("'; DROP TABLE cases_case; --", "%' OR '1'='1", "x" * 5000, "\x00"):
        assert client.get(reverse("cases:person_search"), {"q": q}).status_code == 200
        assert client.get(reverse("cases:list"), {"q": q, "country": q}).status_code == 200
    assert Case.objects.get() == case
    response = client.get(reverse("cases:list"), {"opened_from": "2025-02-30", "stage": "nope"})
    assert response.status_code == 200 and case.reference in response.text


def test_the_case_page_names_the_forms_of_exploitation(client_as, investigator):
    case = make_case(investigator, exploitation_forms=["labour", "criminality"])
    text = client_as(investigator).get(reverse("cases:detail", args=[case.pk])).text
    assert "Forced labour, Forced criminal activity" in text


def test_a_suspect_is_charged_through_the_form(client_as, investigator):
    case = make_case(investigator)
    row = add_person(investigator, case, "Rustam Alimov")
    url = reverse("cases:suspect_edit", args=[case.pk, row.pk])
    client_as(investigator).post(url, {"chain_role": "transporter", "status": "charged"})
    row.refresh_from_db()
    assert (row.chain_role, row.status) == ("transporter", "charged")
    witness = add_person(investigator, case, "Aziza Karimova", role="witness")
    url = reverse("cases:suspect_edit", args=[case.pk, witness.pk])
    assert client_as(investigator).get(url).status_code == 404


def test_the_route_is_corrected_through_the_edit_form(client_as, investigator):
    case = make_case(investigator)
    url = reverse("cases:edit", args=[case.pk])
    client = client_as(investigator)
    assert 'value="UZ AE"' in client.get(url).text
    form = {"title": case.title, "confidentiality": case.confidentiality, "route": "UZ KZ RU"}
    assert client.post(url, form).status_code == 302
    assert [(leg.country, leg.kind) for leg in case.route.all()] == [
        ("UZ", "origin"),
        ("KZ", "transit"),
        ("RU", "destination"),
    ]
    assert AuditEvent.objects.filter(tag="cases:route:set").count() == 1


def test_an_unknown_country_in_the_edited_route_changes_nothing(client_as, investigator):
    case = make_case(investigator)
    form = {"title": "Renamed", "confidentiality": case.confidentiality, "route": "UZ QQ"}
    response = client_as(investigator).post(reverse("cases:edit", args=[case.pk]), form)
    assert 'data-testid="error-route"' in response.text
    case.refresh_from_db()
    assert case.title != "Renamed"
    assert [leg.country for leg in case.route.all()] == ["UZ", "AE"]


@pytest.mark.parametrize(
    ("query", "spellings"),
    [
        ("Гулнора Каримова", ["Gulnora Karimova", "Gulnara Karimova"]),
        ("Шухрат Юсупов", ["Shukhrat Yusupov", "Shuhrat Yusupov"]),
    ],
)
def test_a_cyrillic_query_finds_every_latin_spelling_of_the_issue(
    client_as, investigator, query, spellings
):
    case = make_case(investigator)
    for name in spellings:
        add_person(investigator, case, name, role="witness")
    add_person(investigator, case, "Dilnoza Rakhimova", role="witness")
    text = client_as(investigator).get(reverse("cases:person_search"), {"q": query}).text
    assert text.count('data-testid="person-hit"') == 2
    assert all(name in text for name in spellings)


def test_a_phone_stored_in_a_local_form_is_found_by_every_written_form(client_as, investigator):
    case = make_case(investigator)
    row = add_person(investigator, case, "Rustam Alimov")
    actions.do_add_identifier(investigator, row.person, "phone", "050 123 4567", "AE")
    client = client_as(investigator)
    for query in ("+971 50 123 4567", "00971501234567", "050 123 4567 (AE)"):
        text = client.get(reverse("cases:person_search"), {"q": query}).text
        assert text.count('data-testid="person-hit"') == 1, query


def test_an_analyst_is_told_documents_exist_but_cannot_open_them(client_as, investigator, analyst):
    case = make_case(investigator)
    doc = actions.do_upload_document(
        investigator, case, "Statement of M.T.", "s.pdf", b"%PDF-1.7\n"
    )
    client = client_as(analyst)
    text = client.get(reverse("cases:detail", args=[case.pk])).text
    assert "Statement of M.T." not in text
    assert 'data-testid="hidden-documents"' in text
    assert client.get(reverse("cases:document", args=[case.pk, doc.pk])).status_code == 404
    assert AuditEvent.objects.filter(tag="cases:document:denied", actor=analyst.username).exists()
    assert (
        "Statement of M.T."
        in client_as(investigator).get(reverse("cases:detail", args=[case.pk])).text
    )


def test_a_recruiter_recorded_in_one_case_is_added_to_another(client_as, investigator):
    first = make_case(investigator, title="Recruitment in Samarkand")
    second = make_case(investigator, title="Transport to Almaty")
    recruiter = add_person(investigator, first, "Шухрат Юсупов")
    client = client_as(investigator)
    url = reverse("cases:person_link", args=[second.pk])
    text = client.get(url, {"q": "Shuhrat Yusupov"}).text
    assert text.count('data-testid="person-hit"') == 1 and first.reference in text
    form = {"person_id": recruiter.person_id, "role": "suspect", "chain_role": "transporter"}
    assert client.post(url, form).status_code == 302
    row = second.case_persons.get()
    assert (row.person_id, row.chain_role) == (recruiter.person_id, "transporter")
    network = client.get(reverse("cases:network", args=[first.pk])).text
    assert second.reference in network


def test_a_person_of_another_agency_cannot_be_linked_and_the_attempt_is_audited(
    client_as, investigator, outsider
):
    mine = make_case(investigator)
    foreign = add_person(outsider, make_case(outsider), "Azamat Saidov")
    url = reverse("cases:person_link", args=[mine.pk])
    form = {"person_id": foreign.person_id, "role": "suspect"}
    assert client_as(investigator).post(url, form).status_code == 404
    assert not mine.case_persons.exists()
    assert AuditEvent.objects.filter(
        tag="cases:person:denied", actor=investigator.username
    ).exists()


def test_the_list_filters_by_period_and_agency_and_is_paginated(client_as, investigator, settings):
    from datetime import date

    settings.TIPNET_PAGE_SIZE = 2
    old = make_case(investigator, title="Old case", opened_on=date(2024, 3, 1))
    new = [
        make_case(investigator, title=f"New case {i}", opened_on=date(2025, 6, i + 1))
        for i in range(3)
    ]
    client = client_as(investigator)
    period = client.get(reverse("cases:list"), {"opened_to": "2024-12-31"}).text
    assert old.reference in period and all(c.reference not in period for c in new)
    assert old.reference not in client.get(reverse("cases:list"), {"agency": "KG-MVD"}).text
    first = client.get(reverse("cases:list"), {"agency": "uz-mvd"}).text
    second = client.get(reverse("cases:list"), {"agency": "uz-mvd", "page": 2}).text
    shown = [c.reference for c in [old, *new] if c.reference in first or c.reference in second]
    assert len(shown) == 4
    assert sum(c.reference in first for c in [old, *new]) == 2


def test_an_oversized_upload_over_http_is_refused_and_nothing_stored(
    client_as, api_as, investigator, settings
):
    settings.TIPNET_CASE_DOCUMENT_MAX_MB = 1
    case = make_case(investigator)
    big = b"%PDF-1.7\n" + b"0" * (1024 * 1024)
    upload = SimpleUploadedFile("big.pdf", big, "application/pdf")
    response = client_as(investigator).post(
        reverse("cases:document_upload", args=[case.pk]), {"title": "Big", "file": upload}
    )
    assert 'data-testid="error-file"' in response.text
    upload = SimpleUploadedFile("big.pdf", big, "application/pdf")
    response = api_as(investigator).post(
        f"/api/cases/{case.pk}/documents", {"title": "Big", "file": upload}
    )
    assert response.status_code == 413  # as docs/api.md says of a body that is too large
    assert response.json()["error"]["code"] == "too_large"
    assert not Document.objects.exists()
