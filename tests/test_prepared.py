"""Reads whose SQL is built once (tipnet/lib/prepared.py) give the rows the queryset gives, for
every call's own values, and refuse what they cannot bind."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tipnet.cases.models import Case, CasePerson
from tipnet.cases.tests.factories import add_person, make_case
from tipnet.lib.prepared import Prepared, PreparedError

pytestmark = pytest.mark.django_db


def _persons(case_id):
    return (
        CasePerson.objects.filter(case_id=case_id)
        .select_related("person")
        .prefetch_related("person__identifiers")
    )


def _seen(rows):
    return [(r.pk, r.role, r.person.full_name, list(r.person.identifiers.all())) for r in rows]


def test_each_call_gives_the_rows_of_its_own_values_as_the_queryset_does(investigator):
    first, second = make_case(investigator), make_case(investigator)
    add_person(investigator, first, "Dilshod Karimov", role="suspect")
    add_person(investigator, first, "Nodira Rahimova", role="victim")
    add_person(investigator, second, "Рустам Алиев", role="suspect")
    prepared = Prepared(_persons)
    for case in (first, second, first):
        rows = prepared(case.pk)
        assert isinstance(rows, list)
        # select_related objects, decrypted fields and prefetched rows, all as the ORM gives them
        assert _seen(rows) == _seen(_persons(case.pk))
    assert prepared(second.pk + 1000) == []


def test_a_write_between_two_calls_is_seen_no_row_is_kept(investigator):
    case = make_case(investigator)
    prepared = Prepared(_persons)
    assert prepared(case.pk) == []
    add_person(investigator, case, "Zarina Aliyeva", role="victim")
    assert [r.person.full_name for r in prepared(case.pk)] == ["Zarina Aliyeva"]


def test_the_sql_is_built_once_and_each_call_runs_one_statement(investigator):
    case = make_case(investigator, title="Synthetic case")
    built = []

    def build(pk, title):
        built.append((pk, title))
        return Case.objects.filter(pk=pk, title=title).select_related("agency")

    prepared = Prepared(build)
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            rows = prepared(case.pk, "Synthetic case")
        assert [(r.pk, r.agency.code) for r in rows] == [(case.pk, case.agency.code)]
        assert len(queries) == 1
    assert len(built) == 1
    assert prepared(case.pk, "Another title") == []


def test_a_queryset_that_changes_its_argument_is_refused():
    prepared = Prepared(lambda title: Case.objects.filter(title__icontains=title))
    with pytest.raises(PreparedError, match="cannot be prepared"):
        prepared("trafficking")


@pytest.mark.parametrize("value", [None, True, 1.5, 2**63, -(2**63) - 1])
def test_a_value_it_cannot_bind_is_refused(investigator, value):
    case = make_case(investigator)
    prepared = Prepared(lambda pk: Case.objects.filter(pk=pk))
    assert [c.pk for c in prepared(case.pk)] == [case.pk]
    with pytest.raises(PreparedError):
        prepared(value)


def test_a_value_of_another_type_than_the_first_call_is_refused(investigator):
    case = make_case(investigator)
    prepared = Prepared(lambda reference: Case.objects.filter(reference=reference))
    assert [c.pk for c in prepared(case.reference)] == [case.pk]
    with pytest.raises(PreparedError, match="expected str"):
        prepared(7)
