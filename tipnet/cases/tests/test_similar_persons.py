import pytest
from django.urls import reverse

from tipnet.audit.models import AuditEvent
from tipnet.cases import actions
from tipnet.cases.models import CasePerson, Person

from .factories import add_person, make_case

pytestmark = pytest.mark.django_db

NEW = {"role": "suspect", "chain_role": "recruiter", "status": "", "sex": "unknown"}


def _add(client, case, **data):
    return client.post(reverse("cases:person_add", args=[case.pk]), {**NEW, **data})


def test_a_similar_name_in_another_script_is_offered_with_its_score(client_as, investigator):
    earlier = make_case(investigator, title="Earlier")
    add_person(investigator, earlier, "Гулнора Каримова", "suspect")
    case = make_case(investigator)
    response = _add(client_as(investigator), case, full_name="Gulnara Karimova")
    assert response.status_code == 200
    assert 'data-testid="similar-person"' in response.text
    assert "Гулнора Каримова" in response.text and earlier.reference in response.text
    assert "%" in response.text.split('data-testid="similar-score"')[1][:20]
    assert Person.objects.count() == 1  # nothing added before a decision


def test_the_same_phone_is_offered_even_under_another_name(client_as, investigator):
    earlier = make_case(investigator, title="Earlier")
    row = add_person(investigator, earlier, "Bahrom Tursunov", "suspect")
    actions.do_add_identifier(investigator, row.person, "phone", "+998 90 123 45 67")
    case = make_case(investigator)
    response = _add(
        client_as(investigator),
        case,
        full_name="Rustam Aliyev",
        phone="901234567",
        citizenships="UZ",
    )
    assert "Bahrom Tursunov" in response.text
    assert "same identifier" in response.text


def test_linking_instead_gives_the_recorded_person_the_role(client_as, investigator):
    earlier = make_case(investigator, title="Earlier")
    row = add_person(investigator, earlier, "Гулнора Каримова", "suspect")
    case = make_case(investigator)
    response = client_as(investigator).post(
        reverse("cases:person_link", args=[case.pk]),
        {"person_id": row.person_id, "role": "witness", "chain_role": ""},
    )
    assert response.status_code == 302
    assert case.case_persons.get().person_id == row.person_id
    assert Person.objects.count() == 1


def test_adding_anyway_is_possible_and_audited_with_the_persons_warned_of(client_as, investigator):
    earlier = make_case(investigator, title="Earlier")
    row = add_person(investigator, earlier, "Гулнора Каримова", "suspect")
    case = make_case(investigator)
    response = _add(client_as(investigator), case, full_name="Gulnara Karimova", confirm_new="on")
    assert response.status_code == 302
    new = case.case_persons.get().person
    assert new.pk != row.person_id
    event = AuditEvent.objects.filter(tag="cases:person:create", object_id=str(new.pk)).get()
    assert event.detail["similar_to"] == [row.person_id]


def test_no_warning_names_or_counts_a_person_of_a_case_the_user_cannot_see(
    client_as, investigator, outsider
):
    theirs = make_case(outsider, title="Bishkek case")
    row = add_person(outsider, theirs, "Гулнора Каримова", "suspect")
    actions.do_add_identifier(outsider, row.person, "passport", "AB1234567", "UZ")
    case = make_case(investigator)
    response = _add(
        client_as(investigator),
        case,
        full_name="Gulnora Karimova",
        passport="AB1234567",
        citizenships="UZ",
    )
    assert response.status_code == 302  # no warning at all: added at once
    assert theirs.reference not in response.text
    assert CasePerson.objects.filter(case=case).count() == 1


def test_a_victim_of_a_shared_case_is_not_offered_to_the_grantee(
    client_as, investigator, prosecutor
):
    shared = make_case(investigator, title="Shared")
    add_person(investigator, shared, "Гулнора Каримова", "victim")
    actions.do_grant_case(
        investigator, shared, agency=prosecutor.agency, reason="Charge", level="write"
    )
    case = make_case(investigator, title="Second")
    actions.do_grant_case(
        investigator, case, agency=prosecutor.agency, reason="Charge", level="write"
    )
    response = _add(client_as(prosecutor), case, full_name="Gulnora Karimova")
    assert response.status_code == 302
    assert "Каримова" not in response.text


def test_the_api_answers_409_with_the_candidates_then_adds_on_confirmation(
    api_as, investigator, outsider
):
    earlier = make_case(investigator, title="Earlier")
    row = add_person(investigator, earlier, "Гулнора Каримова", "suspect")
    hidden = add_person(outsider, make_case(outsider), "Gulnora Karimova", "suspect")
    case = make_case(investigator)
    url = f"/api/cases/{case.pk}/persons"
    body = {"full_name": "Gulnara Karimova", "role": "witness"}
    response = api_as(investigator).post(url, body, content_type="application/json")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "possible_duplicate"
    assert [d["person_id"] for d in error["details"]] == [row.person_id]
    assert hidden.person_id not in [d["person_id"] for d in error["details"]]
    assert 0.85 <= error["details"][0]["score"] <= 1
    assert not case.case_persons.exists()
    body["confirm_new"] = True
    assert api_as(investigator).post(url, body, content_type="application/json").status_code == 201


def test_the_api_checks_and_stores_the_identifiers_given(api_as, investigator):
    case = make_case(investigator)
    url = f"/api/cases/{case.pk}/persons"
    body = {
        "full_name": "Rustam Aliyev",
        "role": "suspect",
        "identifiers": [{"kind": "phone", "value": "not a phone"}],
    }
    response = api_as(investigator).post(url, body, content_type="application/json")
    assert response.status_code == 422
    assert not case.case_persons.exists()
    body["identifiers"] = [{"kind": "passport", "value": "AA7654321", "country": "UZ"}]
    response = api_as(investigator).post(url, body, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["identifiers"][0]["normalised"] == "AA7654321"
