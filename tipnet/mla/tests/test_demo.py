"""The MLA demo: treaty data, a draft, a submitted, an executed and an incoming request, and
three years of past requests sent on paper."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from tipnet.exchange.models import OutboxMessage
from tipnet.mla import deadlines, stats
from tipnet.mla.models import MlaRequest, StateProfile


def test_the_demo_loads_treaties_and_requests_in_several_states(db):
    call_command("demo", stdout=StringIO())
    assert StateProfile.objects.count() == 9
    current = MlaRequest.objects.filter(is_off_network=False)
    states = dict(current.values_list("counterpart_ref", "state"))
    by_direction = sorted(current.values_list("direction", "requested_state", "state"))
    assert by_direction == [
        ("incoming", "UZ", "submitted"),
        ("outgoing", "AE", "draft"),
        ("outgoing", "KZ", "submitted"),
        ("outgoing", "TR", "executed"),
    ]
    assert states["TR-MLA-2026-0042"] == "executed"


def test_the_demo_history_gives_the_dashboard_medians_of_months_and_sends_nothing(db):
    call_command("demo", stdout=StringIO())
    past = MlaRequest.objects.filter(is_off_network=True)
    assert past.count() == 43
    assert past.filter(direction="incoming").count() == 5
    oldest = min(past.values_list("submitted_at", flat=True))
    assert oldest < timezone.now() - timedelta(days=2 * 365)
    assert {"closed", "under_execution", "received", "submitted"} <= set(
        past.values_list("state", flat=True)
    )
    assert set(past.exclude(refusal_ground="").values_list("refusal_ground", flat=True))
    medians = {r["country"]: r for r in stats.median_days(MlaRequest.objects.all())["countries"]}
    assert set(medians) == {"AE", "KG", "KZ", "RU", "TJ", "TR"}
    assert all(90 <= r["median"] <= 365 and r["n"] >= 4 for r in medians.values())
    assert medians["KG"]["median"] < medians["AE"]["median"]
    assert deadlines.overdue(MlaRequest.objects.all())
    assert not OutboxMessage.objects.exists()
