"""Who may see and work which joint or parallel investigation.

* Only the agreement's members on this node see it and its workspace: the users named when it
  was proposed here, or, for one proposed by another node, the investigators, prosecutors and
  central-authority officers of the agency it names as this node's party; members may add
  other users of the node. Everyone else, including other agencies of the same node, gets 404
  (a missing agreement and a forbidden one alike; the forbidden attempt is audited).
* Proposing needs one of the member roles and a case the user may see.
* Signing, amending, extending and ending need a member who is a prosecutor or a
  central-authority officer (an authorised officer).
"""

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404

from tipnet.audit.actions import first_visible_or_404

from . import retention
from .models import Agreement, Item

MEMBER_ROLES = ("investigator", "prosecutor", "central_authority")
SIGNER_ROLES = ("prosecutor", "central_authority")


def _is_user(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def can_propose(user) -> bool:
    """True when `user` may propose a joint or parallel investigation."""
    return _is_user(user) and bool(user.agency_id) and user.has_role(*MEMBER_ROLES)


def can_sign(user) -> bool:
    """True when `user` is an authorised officer (a prosecutor or central-authority officer)."""
    return _is_user(user) and user.has_role(*SIGNER_ROLES)


def visible_agreements(user) -> QuerySet[Agreement]:
    """The agreements `user` is a member of (and still holds a member role for)."""
    if not _is_user(user) or not user.has_role(*MEMBER_ROLES):
        return Agreement.objects.none()
    return Agreement.objects.filter(members__user=user).select_related("agency", "case")


def access_agreement(user, pk) -> Agreement:
    """The agreement `pk` if `user` is a member; Http404 otherwise (the refusal is audited)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    return first_visible_or_404(
        visible_agreements(user), Agreement, pk, "jit:agreement:denied", user, agreement_id=pk
    )


def access_agreement_to_sign(user, pk) -> Agreement:
    """The agreement `pk` if `user` is a member who may sign for this node; Http404 otherwise."""
    agreement = access_agreement(user, pk)
    if not can_sign(user):
        raise Http404
    return agreement


def live_items(agreement: Agreement) -> QuerySet[Item]:
    """The items of the workspace that may be read now: not withdrawn, not expired, and, once
    the period to return or delete them after the end has passed, this node's own only."""
    items = agreement.items.filter(is_withdrawn=False, expired_at__isnull=True)
    if retention.is_past_retention(agreement):
        items = items.filter(owner_node=settings.TIPNET_NODE_ID)
    return items


def gone_items(agreement: Agreement) -> QuerySet[Item]:
    """The other parties' items no longer readable after the end (tombstones, or due to be)."""
    if not retention.is_past_retention(agreement):
        return agreement.items.none()
    others = agreement.items.filter(is_withdrawn=False).exclude(owner_node=settings.TIPNET_NODE_ID)
    return others


def access_item(user, agreement: Agreement, item_id) -> Item:
    """A live item of the workspace of `agreement` (already accessed); Http404 otherwise."""
    try:
        item_id = int(item_id)
    except (TypeError, ValueError):
        raise Http404 from None
    item = live_items(agreement).filter(pk=item_id).first()
    if item is None:
        raise Http404
    return item
