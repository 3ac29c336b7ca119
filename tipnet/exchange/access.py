"""Who may see the exchange records of this node.

Node administrators and central-authority officers see the message log and the outbox (headers,
states and evidence only, never payloads); everyone else gets 404, as for a missing page.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from .models import LogEntry, OutboxMessage

LOG_ROLES = ("node_admin", "central_authority")


# `user` is request.user: the accounts app's User (whose has_role is asked) or AnonymousUser, or
# None. This layer sits below accounts and cannot import its User, hence Any.
def can_see_log(user: Any) -> bool:
    return bool(
        user is not None and user.is_authenticated and user.is_active and user.has_role(*LOG_ROLES)
    )


def access_message_log(user: Any) -> QuerySet[LogEntry]:
    """The message log records `user` may read, newest first; 404 for anyone else."""
    if not can_see_log(user):
        raise Http404
    return LogEntry.objects.order_by("-seq")


def access_outbox(user: Any) -> QuerySet[OutboxMessage]:
    """The outbox messages `user` may read (not the sealed bytes); 404 for anyone else."""
    if not can_see_log(user):
        raise Http404
    return OutboxMessage.objects.order_by("-created_at")
