import pytest
from django.http import Http404

from tipnet.audit.models import AuditEvent
from tipnet.cases import actions
from tipnet.cases.access import (
    access_case,
    access_case_for_edit,
    access_person,
    can_see_identity,
    visible_case_persons,
    visible_cases,
)

from .factories import add_person, make_case

pytestmark = pytest.mark.django_db


def test_the_owning_agency_sees_its_case(investigator):
    case = make_case(investigator)
    assert list(visible_cases(investigator)) == [case]
    assert access_case(investigator, case.pk) == case


def test_another_agency_gets_404_and_the_attempt_is_audited(investigator, outsider):
    case = make_case(investigator)
    with pytest.raises(Http404):
        access_case(outsider, case.pk)
    denied = AuditEvent.objects.filter(tag="cases:case:denied", actor=outsider.username)
    assert denied.get().detail == {"case_id": case.pk}


def test_a_missing_case_gives_the_same_404_without_an_audit_event(outsider):
    with pytest.raises(Http404):
        access_case(outsider, 999999)
    with pytest.raises(Http404):
        access_case(outsider, "1 OR 1=1")
    assert not AuditEvent.objects.filter(tag="cases:case:denied").exists()


def test_a_grant_to_an_agency_opens_the_case_to_its_members(investigator, prosecutor):
    case = make_case(investigator)
    assert case not in visible_cases(prosecutor)
    actions.do_grant_case(investigator, case, agency=prosecutor.agency, reason="Charging")
    assert access_case(prosecutor, case.pk) == case
    with pytest.raises(Http404):
        access_case_for_edit(prosecutor, case.pk)


def test_a_write_grant_lets_the_grantee_edit(investigator, prosecutor):
    case = make_case(investigator)
    actions.do_grant_case(investigator, case, user=prosecutor, level="write", reason="Joint")
    assert access_case_for_edit(prosecutor, case.pk) == case


def test_an_expired_grant_opens_nothing(investigator, prosecutor):
    from datetime import timedelta

    from django.utils import timezone

    from tipnet.cases.models import CaseGrant

    case = make_case(investigator)
    grant = actions.do_grant_case(
        investigator, case, user=prosecutor, reason="Past", expires_on=timezone.localdate()
    )
    # A grant cannot be given in the past: let this one run out.
    CaseGrant.objects.filter(pk=grant.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert case not in visible_cases(prosecutor)


def test_an_analyst_sees_the_case_but_no_victim(investigator, analyst):
    case = make_case(investigator)
    victim = add_person(investigator, case, "Дилноза Рахимова", role="victim")
    suspect = add_person(investigator, case, "Бахтиёр Носиров")
    assert access_case(analyst, case.pk) == case
    assert not can_see_identity(analyst, case)
    assert can_see_identity(investigator, case)
    assert list(visible_case_persons(analyst)) == [suspect]
    with pytest.raises(Http404):
        access_person(analyst, victim.person_id)


def test_the_node_admin_sees_no_case(investigator, node_admin):
    make_case(investigator)
    assert not visible_cases(node_admin).exists()


def test_a_grantee_never_sees_victims(investigator, prosecutor):
    case = make_case(investigator)
    add_person(investigator, case, "Malika Tursunova", role="victim")
    actions.do_grant_case(investigator, case, agency=prosecutor.agency, reason="Charging")
    assert not can_see_identity(prosecutor, case)
    assert not visible_case_persons(prosecutor).exists()
