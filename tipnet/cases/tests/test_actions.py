import hashlib
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tipnet.audit.models import AuditEvent
from tipnet.cases import actions
from tipnet.cases.models import Case, CaseEvent, Document, Identifier, Person, PersonNameKey

from .factories import add_person, make_case

pytestmark = pytest.mark.django_db


def test_references_count_per_agency_and_year(investigator, outsider):
    first = make_case(investigator, opened_on=date(2025, 3, 1))
    second = make_case(investigator, opened_on=date(2025, 4, 1))
    other = make_case(outsider, opened_on=date(2025, 4, 1))
    assert (first.reference, second.reference) == ("UZ-MVD-2025-000001", "UZ-MVD-2025-000002")
    assert other.reference == "KG-MVD-2025-000001"


def test_creating_a_case_records_its_audit_event_and_first_stage(investigator):
    case = make_case(investigator)
    assert AuditEvent.objects.filter(tag="cases:case:create", object_id=str(case.pk)).exists()
    assert case.events.get().stage_to == "detection"
    assert [(leg.country, leg.kind) for leg in case.route.all()] == [
        ("UZ", "origin"),
        ("AE", "destination"),
    ]


def test_an_unknown_country_on_the_route_stores_nothing(investigator):
    with pytest.raises(ValidationError) as exc:
        make_case(investigator, route=[("UZ", "origin"), ("XX", "destination")])
    assert "route" in exc.value.message_dict
    assert not Case.objects.exists()


def test_alpha3_codes_are_accepted_on_the_route(investigator):
    case = make_case(investigator, route=[("UZB", "origin"), ("KAZ", "transit")])
    assert [leg.country for leg in case.route.all()] == ["UZ", "KZ"]


def test_stages_move_forward_only(investigator):
    case = make_case(investigator)
    with pytest.raises(ValidationError):
        actions.do_change_stage(investigator, case, "trial")
    actions.do_change_stage(investigator, case, "investigation")
    case.refresh_from_db()
    assert case.stage == "investigation"
    with pytest.raises(ValidationError):
        actions.do_change_stage(investigator, case, "detection")
    assert case.events.filter(stage_from="detection", stage_to="investigation").exists()


def test_only_a_trial_can_end_in_a_conviction(investigator):
    case = make_case(investigator)
    with pytest.raises(ValidationError):
        actions.do_change_stage(investigator, case, "closed", outcome="convicted")
    with pytest.raises(ValidationError):
        actions.do_change_stage(investigator, case, "closed")
    actions.do_change_stage(investigator, case, "closed", outcome="dismissed")
    case.refresh_from_db()
    assert (case.stage, case.outcome) == ("closed", "dismissed")


def test_a_stage_change_cannot_be_dated_in_the_future_or_before_the_last(investigator):
    case = make_case(investigator, opened_on=date(2025, 5, 1))
    with pytest.raises(ValidationError):
        actions.do_change_stage(
            investigator, case, "investigation", timezone.localdate() + timedelta(days=1)
        )
    with pytest.raises(ValidationError):
        actions.do_change_stage(investigator, case, "investigation", date(2025, 4, 1))
    assert CaseEvent.objects.filter(case=case).count() == 1


def test_a_person_gets_a_latin_form_and_search_keys(investigator):
    case = make_case(investigator)
    row = add_person(investigator, case, "Шухрат Юсупов", birth="~1985")
    person = Person.objects.get(pk=row.person_id)
    assert person.latin_name == "Shukhrat Yusupov"
    assert (person.birth_year, person.birth_precision) == (1985, "estimated")
    assert PersonNameKey.objects.filter(person=person).count() == 2


def test_only_suspects_have_a_chain_role(investigator):
    case = make_case(investigator)
    person = actions.do_create_person(investigator, full_name="Aziza Karimova")
    with pytest.raises(ValidationError):
        actions.do_add_person_to_case(investigator, case, person, "victim", chain_role="recruiter")
    row = actions.do_add_person_to_case(investigator, case, person, "suspect", "recruiter")
    assert row.status == "suspected"


def test_phones_are_stored_in_e164(investigator):
    person = actions.do_create_person(investigator, full_name="Test Person")
    ident = actions.do_add_identifier(investigator, person, "phone", "050 123 4567 (AE)")
    assert ident.normalised == "+971501234567"
    with pytest.raises(ValidationError):
        actions.do_add_identifier(investigator, person, "phone", "12345")
    assert Identifier.objects.count() == 1


def test_a_renamed_executable_is_refused(investigator):
    case = make_case(investigator)
    with pytest.raises(ValidationError):
        actions.do_upload_document(investigator, case, "Scan", "scan.pdf", b"MZ\x90\x00\x03")
    assert not Document.objects.exists()


def test_a_pdf_is_stored_with_its_hash(investigator):
    case = make_case(investigator)
    data = b"%PDF-1.4\n%synthetic\n"
    doc = actions.do_upload_document(investigator, case, "Statement", "statement.bin", data)
    assert doc.content_type == "application/pdf"
    assert doc.sha256 == hashlib.sha256(data).hexdigest()


def test_an_oversized_file_is_refused(investigator, settings):
    settings.TIPNET_CASE_DOCUMENT_MAX_MB = 1
    case = make_case(investigator)
    with pytest.raises(ValidationError):
        actions.do_upload_document(investigator, case, "Big", "big.txt", b"a" * (1024 * 1024 + 1))
    assert not Document.objects.exists()
