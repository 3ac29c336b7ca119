import pytest

from tipnet.audit.models import AuditEvent
from tipnet.cases import actions
from tipnet.cases.models import Case, CasePerson, Document

from .factories import add_person, make_case

pytestmark = pytest.mark.django_db

BASE = "/api/cases/"


def test_the_list_is_limited_to_visible_cases(api_as, investigator, outsider):
    mine = make_case(investigator)
    make_case(outsider)
    body = api_as(investigator).get(BASE).json()
    assert [c["reference"] for c in body["items"]] == [mine.reference]


def test_a_case_is_created_with_its_route(api_as, investigator):
    response = api_as(investigator).post(
        BASE,
        {
            "title": "Farm workers",
            "exploitation_forms": ["labour"],
            "route": [
                {"country": "KG", "kind": "origin"},
                {"country": "TUR", "kind": "destination"},
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["route"] == [
        {"country": "KG", "kind": "origin"},
        {"country": "TR", "kind": "destination"},
    ]
    assert response.json()["reference"].startswith("UZ-MVD-")


def test_an_unknown_country_answers_the_error_shape(api_as, investigator):
    response = api_as(investigator).post(
        BASE,
        {"title": "X", "route": [{"country": "QQ", "kind": "origin"}]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"
    assert response.json()["error"]["details"][0]["field"] == "route"
    assert not Case.objects.exists()


def test_an_oversized_title_is_refused(api_as, investigator):
    response = api_as(investigator).post(
        BASE, {"title": "x" * 5000}, content_type="application/json"
    )
    assert response.status_code == 422
    assert not Case.objects.exists()


def test_another_agencys_case_answers_404_and_is_audited(api_as, investigator, outsider):
    case = make_case(investigator)
    client = api_as(outsider)
    for path in ("", "/persons", "/events", "/documents", "/network"):
        response = client.get(f"{BASE}{case.pk}{path}")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    response = client.post(
        f"{BASE}{case.pk}/stage", {"stage": "investigation"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert AuditEvent.objects.filter(tag="cases:case:denied", actor=outsider.username).count() == 6
    assert Case.objects.get().stage == "detection"


def test_an_impossible_stage_answers_422(api_as, investigator):
    case = make_case(investigator)
    client = api_as(investigator)
    response = client.post(
        f"{BASE}{case.pk}/stage", {"stage": "trial"}, content_type="application/json"
    )
    assert response.status_code == 422
    response = client.post(
        f"{BASE}{case.pk}/stage", {"stage": "investigation"}, content_type="application/json"
    )
    assert response.json()["stage"] == "investigation"


def test_a_person_with_a_malformed_date_is_not_stored(api_as, investigator):
    case = make_case(investigator)
    response = api_as(investigator).post(
        f"{BASE}{case.pk}/persons",
        {"full_name": "Test Person", "role": "witness", "birth": "1990-13"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "birth"
    assert not CasePerson.objects.exists()


def test_persons_and_phones_through_the_api(api_as, investigator):
    case = make_case(investigator)
    client = api_as(investigator)
    row = client.post(
        f"{BASE}{case.pk}/persons",
        {"full_name": "Гулнора Каримова", "role": "suspect", "chain_role": "recruiter"},
        content_type="application/json",
    ).json()
    assert row["latin_name"] == "Gulnora Karimova"
    bad = client.post(
        f"{BASE}{case.pk}/persons/{row['row_id']}/identifiers",
        {"kind": "phone", "value": "not a phone"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    good = client.post(
        f"{BASE}{case.pk}/persons/{row['row_id']}/identifiers",
        {"kind": "phone", "value": "050 123 4567 (AE)"},
        content_type="application/json",
    )
    assert good.json()["normalised"] == "+971501234567"
    hits = client.get(f"{BASE}persons/search", {"q": "00971501234567"}).json()
    assert [h["person_id"] for h in hits] == [row["id"]]
    hits = client.get(f"{BASE}persons/search", {"q": "Gulnara Karimova"}).json()
    assert [h["full_name"] for h in hits] == ["Гулнора Каримова"]


def test_an_analyst_gets_no_victims(api_as, investigator, analyst):
    case = make_case(investigator)
    add_person(investigator, case, "Malika Tursunova", role="victim")
    add_person(investigator, case, "Bakhtiyor Nosirov")
    names = [p["full_name"] for p in api_as(analyst).get(f"{BASE}{case.pk}/persons").json()]
    assert names == ["Bakhtiyor Nosirov"]
    assert api_as(analyst).get(f"{BASE}persons/search", {"q": "Malika"}).json() == []


def test_a_disguised_upload_is_refused_and_a_real_one_kept(api_as, investigator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = make_case(investigator)
    client = api_as(investigator)
    exe = SimpleUploadedFile("a.pdf", b"MZ\x90\x00\x03\x00\x00\x00", "application/pdf")
    response = client.post(f"{BASE}{case.pk}/documents", {"title": "Scan", "file": exe})
    assert response.status_code == 422
    assert not Document.objects.exists()
    png = SimpleUploadedFile("a.txt", b"\x89PNG\r\n\x1a\n" + b"0" * 20, "text/plain")
    response = client.post(f"{BASE}{case.pk}/documents", {"title": "Photo", "file": png})
    assert response.status_code == 201
    assert response.json()["content_type"] == "image/png"
    download = client.get(f"{BASE}{case.pk}/documents/{response.json()['id']}")
    assert download.content.startswith(b"\x89PNG")


def test_the_network_links_cases_through_a_shared_phone(api_as, investigator):
    first = make_case(investigator, title="Recruitment in Samarkand")
    second = make_case(investigator, title="Transport to Almaty")
    recruiter = add_person(investigator, first, "Rustam Alimov")
    transporter = add_person(investigator, second, "Timur Saidov")
    for row in (recruiter, transporter):
        actions.do_add_identifier(investigator, row.person, "phone", "+998901112233")
    graph = api_as(investigator).get(f"{BASE}{first.pk}/network").json()
    ids = {n["id"] for n in graph["nodes"]}
    assert {f"c{first.pk}", f"c{second.pk}", f"p{transporter.person_id}"} <= ids
    phone = next(n for n in graph["nodes"] if n["kind"] == "identifier")
    assert phone["shared"] is True


def test_a_suspect_is_charged_and_a_case_renamed_through_the_api(api_as, investigator, outsider):
    case = make_case(investigator)
    row = add_person(investigator, case, "Rustam Alimov")
    client = api_as(investigator)
    response = client.patch(
        f"{BASE}{case.pk}/persons/{row.pk}",
        {"chain_role": "organiser", "status": "charged"},
        content_type="application/json",
    )
    assert (response.json()["chain_role"], response.json()["status"]) == ("organiser", "charged")
    response = client.patch(
        f"{BASE}{case.pk}", {"title": "Renamed"}, content_type="application/json"
    )
    assert response.json()["title"] == "Renamed"
    response = api_as(outsider).patch(
        f"{BASE}{case.pk}", {"title": "Hijacked"}, content_type="application/json"
    )
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.title == "Renamed"


def test_a_witness_gets_no_chain_role(api_as, investigator):
    case = make_case(investigator)
    row = add_person(investigator, case, "Aziza Karimova", role="witness")
    response = api_as(investigator).patch(
        f"{BASE}{case.pk}/persons/{row.pk}",
        {"chain_role": "recruiter", "status": "charged"},
        content_type="application/json",
    )
    assert response.status_code == 422
    row.refresh_from_db()
    assert (row.chain_role, row.status) == ("", "")


def test_the_route_is_replaced_through_the_api_and_a_bad_one_changes_nothing(api_as, investigator):
    case = make_case(investigator)
    client = api_as(investigator)
    route = [{"country": "TJ", "kind": "origin"}, {"country": "THA", "kind": "destination"}]
    response = client.patch(f"{BASE}{case.pk}", {"route": route}, content_type="application/json")
    assert response.json()["route"] == [
        {"country": "TJ", "kind": "origin"},
        {"country": "TH", "kind": "destination"},
    ]
    bad = {"title": "Renamed", "route": [{"country": "QQ", "kind": "origin"}]}
    response = client.patch(f"{BASE}{case.pk}", bad, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "route"
    case.refresh_from_db()
    assert case.title != "Renamed"
    assert [leg.country for leg in case.route.all()] == ["TJ", "TH"]


def test_an_unknown_citizenship_is_named_as_such_and_nothing_stored(api_as, investigator):
    case = make_case(investigator)
    response = api_as(investigator).post(
        f"{BASE}{case.pk}/persons",
        {"full_name": "Test Person", "role": "witness", "citizenships": ["UZ", "XX"]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "citizenships"
    assert not CasePerson.objects.exists()


def test_writes_to_another_agencys_case_answer_404_store_nothing_and_are_audited(
    api_as, investigator, outsider
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = make_case(investigator)
    row = add_person(investigator, case, "Rustam Alimov")
    client = api_as(outsider)
    json_writes = [
        ("post", "/persons", {"full_name": "Intruder", "role": "witness"}),
        ("post", f"/persons/{row.pk}/identifiers", {"kind": "phone", "value": "+998901112233"}),
        ("patch", f"/persons/{row.pk}", {"status": "acquitted"}),
        ("post", "/events", {"kind": "note", "occurred_on": "2025-01-01", "description": "x"}),
        ("post", "/grants", {"agency": outsider.agency.code, "reason": "Let me in"}),
        ("patch", "", {"route": [{"country": "KG", "kind": "origin"}]}),
    ]
    for method, path, body in json_writes:
        response = getattr(client, method)(
            f"{BASE}{case.pk}{path}", body, content_type="application/json"
        )
        assert response.status_code == 404, path
        assert response.json()["error"]["code"] == "not_found"
    upload = SimpleUploadedFile("a.pdf", b"%PDF-1.7\n", "application/pdf")
    response = client.post(f"{BASE}{case.pk}/documents", {"title": "Scan", "file": upload})
    assert response.status_code == 404
    denied = AuditEvent.objects.filter(tag="cases:case:denied", actor=outsider.username)
    assert denied.count() == len(json_writes) + 1
    assert CasePerson.objects.get() == row and not Document.objects.exists()
    assert not row.person.identifiers.exists() and not case.grants.exists()
    assert case.events.count() == 1 and [leg.country for leg in case.route.all()] == ["UZ", "AE"]


def test_an_analyst_gets_404_on_documents_unless_granted_by_name(api_as, investigator, analyst):
    case = make_case(investigator)
    doc = actions.do_upload_document(investigator, case, "Scan", "s.pdf", b"%PDF-1.7\n")
    client = api_as(analyst)
    for path in ("/documents", f"/documents/{doc.pk}"):
        response = client.get(f"{BASE}{case.pk}{path}")
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    actions.do_grant_case(investigator, case, user=analyst, reason="Document review")
    assert [d["id"] for d in client.get(f"{BASE}{case.pk}/documents").json()] == [doc.pk]


def test_a_person_is_linked_to_a_second_case_through_the_api(api_as, investigator, outsider):
    first, second = make_case(investigator), make_case(investigator)
    victim = add_person(investigator, first, "Malika Tursunova", role="victim")
    url = f"{BASE}{second.pk}/persons/link"
    body = {"person_id": victim.person_id, "role": "witness"}
    response = api_as(investigator).post(url, body, content_type="application/json")
    assert response.status_code == 201 and response.json()["id"] == victim.person_id
    again = api_as(investigator).post(url, body, content_type="application/json")
    assert again.status_code == 422
    foreign = add_person(outsider, make_case(outsider), "Azamat Saidov")
    body = {"person_id": foreign.person_id, "role": "suspect"}
    refused = api_as(investigator).post(url, body, content_type="application/json")
    assert refused.status_code == 404 and refused.json()["error"]["code"] == "not_found"
    assert second.case_persons.count() == 1


def test_an_unknown_issuing_country_is_named_and_nothing_stored(api_as, investigator, client_as):
    case = make_case(investigator)
    row = add_person(investigator, case, "Rustam Alimov")
    body = {"kind": "passport", "value": "AB1234567", "country": "QQ"}
    response = api_as(investigator).post(
        f"{BASE}{case.pk}/persons/{row.pk}/identifiers", body, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "country"
    page = client_as(investigator).post(f"/cases/{case.pk}/persons/{row.pk}/identifiers/new/", body)
    assert 'data-testid="error-country"' in page.text
    assert not row.person.identifiers.exists()
