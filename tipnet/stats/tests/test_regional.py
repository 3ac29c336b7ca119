"""The secretariat's handler refuses a report that is not a set of controlled count tables."""

import uuid

import pytest

from tipnet.exchange.envelope import Message
from tipnet.stats.models import RegionalReport
from tipnet.stats.regional import ReportRefused, do_receive_report

TABLE = {
    "key": "victims_by_sex",
    "family": "victims",
    "title": "Victims",
    "row_title": "Sex",
    "row_dim": "sex",
    "col_dim": "status",
    "rows": [["female", "Female"], ["_total", "Total"]],
    "cols": [["identified", "Identified"], ["_total", "Total"]],
    "cells": [[7, 7], [7, 7]],
}


def message(tables, threshold=5):
    payload = {"period": "2025", "country": "KG", "threshold": threshold, "tables": tables}
    return Message("stats.report", "KG-GPO", "UZ-GPO", payload, message_id=str(uuid.uuid4()))


def test_a_controlled_report_is_stored(db):
    do_receive_report(message([TABLE]))
    assert RegionalReport.objects.get().tables[0]["cells"] == [[7, 7], [7, 7]]


@pytest.mark.parametrize(
    "change",
    [
        {"cells": [[3, 3], [3, 3]]},  # an uncontrolled small cell
        {"cells": [["Karimova", 7], [7, 7]]},  # a name where a count belongs
        {"cells": [[7], [7, 7]]},
        {"family": "identities"},
        {"rows": [["female", {"name": "x"}], ["_total", "Total"]]},
    ],
)
def test_anything_else_is_refused_and_nothing_is_stored(db, change):
    with pytest.raises(ReportRefused):
        do_receive_report(message([TABLE | change]))
    assert not RegionalReport.objects.exists()
    with pytest.raises(ReportRefused):
        do_receive_report(message([TABLE], threshold=1))
