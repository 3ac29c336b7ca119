"""Who may see the exchange records of this node.

Node administrators and central-authority officers see the message log and the outbox (headers,
states and evidence only, never payloads); everyone else gets 404, as for a missing page.
"""

from django.http import Http404

from .models import LogEntry, OutboxMessage

LOG_ROLES = ("node_admin", "central_authority")


def can_see_log(user) -> bool:
    return bool(
        user is not None and user.is_authenticated and user.is_active and user.has_role(*LOG_ROLES)
    )


def access_message_log(user):
    """The message log records `user` may read, newest first; 404 for anyone else."""
    if not can_see_log(user):
        raise Http404
    return LogEntry.objects.order_by("-seq")


def access_outbox(user):
    """The outbox messages `user` may read (not the sealed bytes); 404 for anyone else."""
    if not can_see_log(user):
        raise Http404
    return OutboxMessage.objects.order_by("-created_at")
