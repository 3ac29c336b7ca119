"""Each role keeps a copy of its person's document key (the smallest keyed passport or national
ID), which the statistics count persons by: it must follow the identifiers and the roles."""

import pytest

from tipnet.cases import actions
from tipnet.cases.models import CasePerson, document_key

from .factories import add_person, make_case

pytestmark = pytest.mark.django_db


def keys_of(person) -> set[str]:
    return set(CasePerson.objects.filter(person=person).values_list("person_document", flat=True))


def test_a_role_without_documents_keeps_no_key(investigator):
    row = add_person(investigator, make_case(investigator), "Rustam Karimov")
    actions.do_add_identifier(investigator, row.person, "phone", "+998901234567")
    assert keys_of(row.person) == {""}


def test_a_passport_added_after_the_roles_reaches_every_role(investigator):
    row = add_person(investigator, make_case(investigator), "Rustam Karimov")
    second = make_case(investigator)
    actions.do_add_person_to_case(investigator, second, row.person, "witness")
    passport = actions.do_add_identifier(investigator, row.person, "passport", "AB1234567", "UZ")
    assert keys_of(row.person) == {passport.keyed}
    assert passport.keyed != ""


def test_the_smallest_document_is_the_key(investigator):
    row = add_person(investigator, make_case(investigator), "Rustam Karimov")
    one = actions.do_add_identifier(investigator, row.person, "passport", "AB1234567", "UZ")
    two = actions.do_add_identifier(investigator, row.person, "national_id", "31234567890123")
    assert keys_of(row.person) == {min(one.keyed, two.keyed)}


def test_a_new_role_takes_the_persons_key(investigator):
    row = add_person(investigator, make_case(investigator), "Rustam Karimov")
    passport = actions.do_add_identifier(investigator, row.person, "passport", "AB1234567", "UZ")
    later = actions.do_add_person_to_case(
        investigator, make_case(investigator), row.person, "suspect", chain_role="recruiter"
    )
    later.refresh_from_db()
    assert later.person_document == passport.keyed


def test_changing_a_suspects_status_keeps_the_key(investigator):
    row = add_person(investigator, make_case(investigator), "Rustam Karimov")
    passport = actions.do_add_identifier(investigator, row.person, "passport", "AB1234567", "UZ")
    row.refresh_from_db()
    actions.do_update_case_person(investigator, row, "recruiter", "charged")
    row.refresh_from_db()
    assert row.person_document == passport.keyed


def test_removing_the_document_clears_the_key(investigator):
    row = add_person(investigator, make_case(investigator), "Rustam Karimov")
    passport = actions.do_add_identifier(investigator, row.person, "passport", "AB1234567", "UZ")
    passport.delete()
    assert keys_of(row.person) == {""}
    assert document_key(row.person.pk) == ""


def test_two_person_rows_with_one_passport_share_the_key(investigator):
    case = make_case(investigator)
    one = add_person(investigator, case, "Rustam Karimov")
    two = add_person(investigator, case, "Рустам Каримов")
    actions.do_add_identifier(investigator, one.person, "passport", "AB1234567", "UZ")
    actions.do_add_identifier(investigator, two.person, "passport", "ab 1234567", "UZ")
    assert keys_of(one.person) == keys_of(two.person) != {""}
