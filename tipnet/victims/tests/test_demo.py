"""The demo loader writes through the actions, is idempotent and leaves names encrypted."""

from io import StringIO

from django.core.management import call_command

from tipnet.audit.models import AuditEvent
from tipnet.victims import demo
from tipnet.victims.children import BEST_INTEREST_STEPS
from tipnet.victims.models import HotlineCall, Referral, ServiceOffer, SopStep, Victim


def _counts():
    models = [Victim, Referral, ServiceOffer, SopStep, HotlineCall, AuditEvent]
    return [m.objects.count() for m in models]


def test_the_demo_loads_once_and_a_second_run_changes_nothing(db):
    call_command("demo", stdout=StringIO())
    first = _counts()
    opened = HotlineCall.objects.filter(victim__isnull=False).count()  # calls open records
    assert first[0] == 12 + opened and first[1] > 0 and first[4] == 20
    assert first[3] == len(demo.SOP) + len(BEST_INTEREST_STEPS)  # the latter from a migration
    assert Referral.objects.filter(status="accepted").exists()
    assert demo.load() == "already loaded"
    assert _counts() == first
    assert AuditEvent.objects.filter(tag="victims:victim:create").count() == 12 + opened


def test_the_demo_names_match_each_person_s_sex(db):
    from tipnet.victims.demo import GIVEN

    call_command("demo", stdout=StringIO())
    victims = list(Victim.objects.all())
    assert {v.sex for v in victims} >= {"female", "male"}
    for victim in victims:
        if victim.given_name in GIVEN["female"]:
            assert victim.sex == "female", victim.given_name
            assert victim.family_name.endswith(("a", "а")), victim.family_name
        elif victim.given_name in GIVEN["male"]:
            assert victim.sex == "male", victim.given_name
            assert not victim.family_name.endswith(("a", "а")), victim.family_name
