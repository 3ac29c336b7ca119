import re

import pytest
from django.db.models import Count

from tipnet.accounts import demo as accounts_demo
from tipnet.cases import demo
from tipnet.cases.models import Case, CasePerson, CaseTask, Identifier, Person, RouteLeg

pytestmark = pytest.mark.django_db


def test_the_demo_makes_linked_cases_in_both_scripts_once(db):
    # One test on purpose: loading the demo takes seconds, so each fact is checked on one load.
    accounts_demo.load()
    assert demo.load() == f"{demo.CASES} cases created"
    assert Case.objects.count() == demo.CASES
    destinations = set(
        RouteLeg.objects.filter(kind="destination").values_list("country", flat=True)
    )
    assert destinations == {"RU", "TR", "AE", "TH"}
    names = list(Person.objects.values_list("full_name", flat=True))
    assert any(re.search("[А-Яа-я]", n) for n in names)
    assert any(re.fullmatch("[A-Za-z ]+", n) for n in names)
    shared_people = CasePerson.objects.values("person").annotate(n=Count("case")).filter(n__gt=1)
    # Values are encrypted with a random nonce each; equal values share their keyed hash.
    shared_phones = Identifier.objects.values("keyed").annotate(n=Count("person"))
    assert shared_people.exists()
    assert shared_phones.filter(n__gt=1).exists()
    # The demo investigator has tasks waiting on the workbench, on open cases only.
    tasks = CaseTask.objects.filter(assignee__username="investigator", status="open")
    assert tasks.exists() and not tasks.filter(case__stage="closed").exists()
    # Suspects follow their case: judged with the judgment, prosecuted at trial.
    suspects = CasePerson.objects.filter(role="suspect")
    closed = set(suspects.filter(case__stage="closed").values_list("status", flat=True))
    assert closed and closed <= {"convicted", "acquitted"}
    assert set(suspects.filter(case__stage="trial").values_list("status", flat=True)) == {
        "prosecuted"
    }
    before = (Case.objects.count(), Person.objects.count())
    assert demo.load() == "already loaded"
    assert (Case.objects.count(), Person.objects.count()) == before
