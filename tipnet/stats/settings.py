"""The app's settings, read from Django settings or the environment (see docs/configuration.md)."""

import os

from django.conf import settings


def _int(name: str, default: int) -> int:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name) or default
    return int(value)


def threshold() -> int:
    """Cells from 1 to threshold - 1 are suppressed (TIPNET_STATS_THRESHOLD, default 5)."""
    return max(2, _int("TIPNET_STATS_THRESHOLD", 5))


def round_to() -> int:
    """Shown cells are rounded to this base after suppression; 0 or 1 is off.

    TIPNET_STATS_ROUND_TO."""
    return max(0, _int("TIPNET_STATS_ROUND_TO", 0))


def secretariat() -> str:
    """The node that combines the region's figures (TIPNET_STATS_SECRETARIAT, default UZ-GPO)."""
    return getattr(settings, "TIPNET_STATS_SECRETARIAT", None) or os.environ.get(
        "TIPNET_STATS_SECRETARIAT", "UZ-GPO"
    )
