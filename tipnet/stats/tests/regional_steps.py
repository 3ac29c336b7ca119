"""Steps the regional test performs inside a real node process (`tipnet shell -c`), printing JSON.

On AE-MOJ an analyst sends the node's controlled tables for 2025 to the secretariat (UZ-GPO);
on UZ-GPO the received report is listed. All records are fictional.
"""

import json
from datetime import UTC, date, datetime

from tipnet.accounts.actions import do_create_agency, do_create_user
from tipnet.accounts.models import Agency, User
from tipnet.stats.periods import parse

PASSWORD = "Correct-horse-battery-9"
NAME = "Fictional Regionalova"


def _user(username: str, role: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        agency = Agency.objects.filter(code="AE-STATS").first()
        agency = agency or do_create_agency(None, "AE-STATS", "AE statistics (fictional)", "AE")
        user = do_create_user(None, username, PASSWORD, agency, [role], username.title())
    return user


def send() -> None:
    from tipnet.stats.regional import do_send_report
    from tipnet.victims.models import StatusDecision, Victim

    worker = _user("ae_caseworker", "caseworker")
    assert worker.agency is not None
    # Seven identified women from UZ and two men from KG (a small cell the tables must hide),
    # all adults.
    for i, (sex, cit) in enumerate([("female", "UZ")] * 7 + [("male", "KG")] * 2):
        victim = Victim.objects.create(
            agency=worker.agency,
            caseworker=worker,
            given_name=NAME,
            sex=sex,
            nationality=cit,
            birth_year=1995,
            registered_at=datetime(2025, 3, 1 + i, tzinfo=UTC),
        )
        StatusDecision.objects.create(
            victim=victim, status="identified", decided_on=date(2025, 4, 1), recorded_by=worker
        )
    sent = do_send_report(_user("ae_analyst", "analyst"), parse("2025"))
    codes = list(Victim.objects.values_list("code", flat=True))
    print(
        json.dumps({"message_id": str(sent.message_id), "to": sent.recipient_node, "codes": codes})
    )


def received() -> None:
    from tipnet.exchange.models import InboxMessage
    from tipnet.stats.models import RegionalReport
    from tipnet.stats.regional import combined

    reports = [
        {"from": r.from_node, "country": r.country, "period": r.period_spec, "tables": r.tables}
        for r in RegionalReport.objects.all()
    ]
    inbox = [json.dumps(m.payload, ensure_ascii=False) for m in InboxMessage.objects.all()]
    tables = [t.as_dict() for t in combined("2025")]
    print(json.dumps({"reports": reports, "inbox": inbox, "combined": tables}, ensure_ascii=False))
