"""The region's figures: what this node sent to the secretariat, and what a secretariat received.

Both hold controlled tables only (`control.Controlled.as_dict`): labels and shown counts, a hidden
cell as null. No identity and no uncontrolled cell is ever stored or sent.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SentReport(models.Model):
    message_id = models.UUIDField(unique=True)
    recipient_node = models.CharField(_("secretariat node"), max_length=64)
    period_spec = models.CharField(_("period"), max_length=200)
    period_key = models.CharField(max_length=400)
    threshold = models.PositiveSmallIntegerField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.period_spec} → {self.recipient_node}"


class RegionalReport(models.Model):
    """One node's controlled tables for one period, as received; a newer one replaces it."""

    message_id = models.UUIDField(unique=True)
    from_node = models.CharField(_("node"), max_length=64)
    country = models.CharField(_("country"), max_length=2)
    period_spec = models.CharField(_("period"), max_length=200)
    period_key = models.CharField(max_length=400)
    threshold = models.PositiveSmallIntegerField()
    tables = models.JSONField(default=list)
    sent_at = models.DateTimeField(_("sent"))
    received_at = models.DateTimeField(_("received"), default=timezone.now)

    class Meta:
        ordering = ["period_key", "from_node"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_node", "period_key"], name="stats_one_report_per_node_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.from_node} {self.period_spec}"
