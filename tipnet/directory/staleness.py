"""When a contact point's details are due to be checked again."""

from datetime import date

from django.conf import settings
from django.utils import timezone

from .models import ContactPoint


def stale_before(today: date | None = None) -> date:
    """The day before which a verification no longer counts (TIPNET_CONTACT_STALE_MONTHS)."""
    today = today or timezone.localdate()
    months = today.year * 12 + today.month - 1 - settings.TIPNET_CONTACT_STALE_MONTHS
    year, month = divmod(months, 12)
    # The same day of that month, or its last day when it has fewer days (31 March - 1 month).
    for day in (today.day, 30, 29, 28):
        try:
            return date(year, month + 1, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def is_stale(contact: ContactPoint, today: date | None = None) -> bool:
    """True when `contact` was never verified or not since the configured number of months."""
    return contact.verified_on is None or contact.verified_on < stale_before(today)
