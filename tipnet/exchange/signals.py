"""Signals other apps may listen to (sent after the change is committed)."""

from django.dispatch import Signal

# kwargs: outbox (OutboxMessage), receipt (dict). A signed receipt came back.
message_delivered = Signal()

# kwargs: outbox (OutboxMessage), reason (str). Delivery was given up: the sender is alerted.
message_not_delivered = Signal()
