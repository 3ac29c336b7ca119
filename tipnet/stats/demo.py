"""The statistics demo: in the demo network, KG and AE report their controlled tables to UZ-GPO."""

from django.conf import settings

PERIODS = ("2025", "2025 and Q1 2026")


def network_round(number: int) -> str:
    """Round 1 on every node but the secretariat: send the controlled tables (once per period)."""
    from django.core.exceptions import ValidationError

    from tipnet.accounts.models import User

    from .models import SentReport
    from .periods import parse
    from .regional import do_send_report
    from .settings import secretariat

    if number != 1 or secretariat() == settings.TIPNET_NODE_ID:
        return ""
    # Partner nodes have no analyst in the demo; their central authority reports for them.
    user = (
        User.objects.filter(username__in=["analyst", "central"], is_active=True)
        .order_by("username")
        .first()
    )
    if user is None:
        return "skipped: no analyst or central user"
    done = []
    for spec in PERIODS:
        period = parse(spec)
        if SentReport.objects.filter(period_key=period.key).exists():
            continue
        try:
            do_send_report(user, period)
        except ValidationError as exc:
            return f"statistics not sent: {' '.join(exc.messages)}"
        done.append(spec)
    if not done:
        return "statistics already reported"
    return f"statistics for {', '.join(done)} sent to {secretariat()}"
