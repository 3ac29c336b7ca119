"""The checks' part of the standing sweep (tests/test_sweep.py).

The other agency's case gets a check with a hit reference (shown only to those who may check
that case), its suspect is the person of a hit held on this node (resolved only by officers who
see that case), and the node has an alert (node admins only). They are made with the ORM: only
answers and queries from other nodes create them (the handlers of tipnet.checks.link).
"""

import uuid
from datetime import timedelta

from django.utils import timezone

from tipnet.cases.models import CasePerson
from tipnet.checks.models import Alert, Hit, IncomingCheck, OutgoingCheck

MARKERS = {"check reference": "SweepCheckRef"}
PARAMS = {
    "checks:reference": {"other": "check_hit", "missing": "no-such-reference"},
    # Alerts are the node's: every node admin handles them.
    "checks:alert_id": {"other": "check_alert", "open_to": ("node_admin",)},
}


def build(world, owner, case) -> None:
    suspect = CasePerson.objects.get(pk=world.ids["row_suspect"]).person
    later = timezone.now() + timedelta(days=30)
    OutgoingCheck.objects.create(
        case=case,
        person=suspect,
        legal_basis="untoc_27",
        node="AE-MOJ",
        epoch=1,
        result="hit",
        strength="strong",
        reference=MARKERS["check reference"],
        reference_expires_at=later,
        created_by=owner,
    )
    incoming = IncomingCheck.objects.create(
        uid=uuid.uuid4(), sender="AE-MOJ", purpose="ab" * 32, epoch=1, result="held"
    )
    hit = Hit.objects.create(
        reference="sweep-hit-reference",
        incoming=incoming,
        person=suspect,
        strength="strong",
        expires_at=later,
    )
    alert = Alert.objects.create(sender="AE-MOJ", kind="burst", count=70)
    world.ids.update(check_hit=hit.reference, check_alert=alert.pk)
