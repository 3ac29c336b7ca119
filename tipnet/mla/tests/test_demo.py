"""The MLA demo: treaty data and a draft, a submitted, an executed and an incoming request."""

from io import StringIO

from django.core.management import call_command

from tipnet.mla.models import MlaRequest, StateProfile


def test_the_demo_loads_treaties_and_requests_in_several_states(db):
    call_command("demo", stdout=StringIO())
    assert StateProfile.objects.count() == 9
    states = dict(MlaRequest.objects.values_list("counterpart_ref", "state"))
    by_direction = sorted(MlaRequest.objects.values_list("direction", "requested_state", "state"))
    assert by_direction == [
        ("incoming", "UZ", "submitted"),
        ("outgoing", "AE", "draft"),
        ("outgoing", "KZ", "submitted"),
        ("outgoing", "TR", "executed"),
    ]
    assert states["TR-MLA-2026-0042"] == "executed"
