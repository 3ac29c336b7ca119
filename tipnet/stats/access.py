"""Who may see the statistics: analysts, prosecutors and central authorities see controlled tables
only (there is no page here with an identity or an uncontrolled cell). Everyone else gets 404."""

from django.http import Http404

VIEWER_ROLES = ("analyst", "prosecutor", "central_authority")


def can_view(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and user.has_role(*VIEWER_ROLES)
    )


def can_send(user) -> bool:
    """Analysts send the node's controlled tables to the secretariat."""
    return can_view(user) and user.has_role("analyst")


def access_stats(user) -> None:
    if not can_view(user):
        raise Http404


def access_send(user) -> None:
    if not can_send(user):
        raise Http404
