from typing import Any, NoReturn

from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete a stored audit event."""


class AuditEvent(models.Model):
    """One entry of the append-only, hash-chained event log.

    `hash` is the SHA-256 of the canonical JSON (RFC 8785) of the event's fields together with
    `prev_hash`, the hash of the event before it. Editing, removing or reordering any stored row
    breaks the chain, which `tipnet audit verify` reports.
    """

    seq = models.PositiveBigIntegerField(_("sequence"), unique=True)
    tag = models.CharField(_("tag"), max_length=100, db_index=True)
    occurred_at = models.DateTimeField(_("time"), db_index=True)
    actor = models.CharField(_("actor"), max_length=150, blank=True)
    agency = models.CharField(_("agency"), max_length=64, blank=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"#{self.seq} {self.tag}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit events cannot be deleted")

    def chained_fields(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "tag": self.tag,
            "occurred_at": self.occurred_at.isoformat(),
            "actor": self.actor,
            "agency": self.agency,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "detail": self.detail,
            "prev_hash": self.prev_hash,
        }


class AuditHead(models.Model):
    """A single row locked while an event is appended, so concurrent writers chain in order."""

    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    def __str__(self) -> str:
        return f"audit head #{self.last_seq}"
