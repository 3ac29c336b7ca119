"""Hand-built records for the counting rules: cases with dated stage moves, suspects, victims."""

from datetime import UTC, date, datetime

import pytest

from tipnet.cases.models import Case, CaseEvent, CasePerson, Identifier, Person
from tipnet.victims.models import StatusDecision, Victim


@pytest.fixture(autouse=True)
def stats_keys(tmp_path, settings):
    """Field keys in tmp_path, and a cache of its own per test."""
    from tipnet.victims import crypto

    settings.TIPNET_FIELD_KEY_FILE = str(tmp_path / "keys" / "field.key")
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    crypto._box.cache_clear()
    yield
    crypto._box.cache_clear()


class Builder:
    def __init__(self, agency, user):
        self.agency, self.user, self.serial = agency, user, 0

    def case(self, opened: date, moves=(), outcome: str = "") -> Case:
        self.serial += 1
        stage = moves[-1][1] if moves else "detection"
        case = Case.objects.create(
            reference=f"T-{self.serial}",
            agency=self.agency,
            year=opened.year,
            serial=self.serial,
            title="Synthetic",
            opened_on=opened,
            stage=stage,
            outcome=outcome,
        )
        before = "detection"
        CaseEvent.objects.create(case=case, kind="stage", occurred_on=opened, stage_to="detection")
        for day, to in moves:
            CaseEvent.objects.create(
                case=case, kind="stage", occurred_on=day, stage_from=before, stage_to=to
            )
            before = to
        return case

    def person(self, name: str, sex: str = "male", citizenship: str = "UZ", passport: str = ""):
        person = Person.objects.create(full_name=name, sex=sex, citizenships=[citizenship])
        if passport:
            Identifier.objects.create(
                person=person, kind="passport", value=passport, normalised=passport
            )
        return person

    def suspect(self, case: Case, person: Person, status: str = "suspected"):
        return CasePerson.objects.create(case=case, person=person, role="suspect", status=status)

    def victim(self, registered: date, sex="female", birth_year=None, nationality="UZ", **more):
        when = datetime(registered.year, registered.month, registered.day, 12, tzinfo=UTC)
        return Victim.objects.create(
            agency=self.agency,
            caseworker=self.user,
            sex=sex,
            birth_year=birth_year,
            nationality=nationality,
            registered_at=when,
            **more,
        )

    def decide(self, victim: Victim, status: str, day: date):
        StatusDecision.objects.create(
            victim=victim, status=status, decided_on=day, recorded_by=self.user, authority="MVD"
        )
        victim.status = status
        victim.save(update_fields=["status"])


@pytest.fixture
def build(investigator):
    return Builder(investigator.agency, investigator)
