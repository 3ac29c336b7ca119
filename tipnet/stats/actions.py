"""The stats app's writes: each records its audit event."""

from tipnet.audit.actions import record

from .periods import Period


def record_download(actor, period: Period, fmt: str, table: str) -> None:
    """Who downloaded which controlled tables (the 9.2 rule: audit of who viewed them)."""
    record("stats:tables:download", actor=actor, period=period.spec, format=fmt, table=table)
