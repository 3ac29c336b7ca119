"""Hits of cross-border checks as external nodes of a case's network picture.

A hit says only that a partner node knows the person, under a reference: the node shows that
much ("known to AE-MOJ, reference ..."), hanging from the person, and only to those who may see
the checks of the case (`case_checks`).
"""

from django.utils.translation import gettext as _

from tipnet.cases.models import CasePerson

from .access import can_check
from .models import OutgoingCheck, Result


def hit_nodes(user, rows: list[CasePerson]) -> list[dict]:
    """External nodes for the hits on the persons of `rows` in their cases, for `user`."""
    if not can_check(user):
        return []
    pairs = {(row.case_id, row.person_id) for row in rows if row.role}
    hits = OutgoingCheck.objects.filter(
        result=Result.HIT,
        case_id__in={case for case, _person in pairs},
        person_id__in={person for _case, person in pairs},
    ).order_by("id")
    return [_node(hit) for hit in hits if (hit.case_id, hit.person_id) in pairs]


def _node(hit: OutgoingCheck) -> dict:
    valid_until = hit.reference_expires_at
    return {
        "id": f"x{hit.pk}",
        "kind": "external",
        "person": f"p{hit.person_id}",
        "label": _("Known to %(node)s, reference %(reference)s")
        % {"node": hit.node, "reference": hit.reference},
        "edge_label": _("hit (%(strength)s)") % {"strength": hit.get_strength_display()},
        "node": hit.node,
        "reference": hit.reference,
        "strength": hit.strength,
        "valid_until": valid_until.date().isoformat() if valid_until else "",
        "is_valid": hit.reference_is_valid,
    }
