"""From a hit to the next step: the follow-ups carry the answering node and the reference."""

from datetime import timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit

from django.test import Client
from django.utils import timezone

from conftest import make_user
from tipnet.checks.models import OutgoingCheck


def test_the_mla_follow_up_of_a_hit_names_the_answering_node_and_the_reference(
    uz_mvd, uz_case, suspect
):
    officer = make_user("olim_officer", uz_mvd, "investigator", "prosecutor")
    OutgoingCheck.objects.create(
        case=uz_case,
        person=suspect.person,
        legal_basis="untoc_27",
        node="KG-GPO",
        epoch=1,
        result="hit",
        strength="strong",
        reference="CHK-KG-0042",
        reference_expires_at=timezone.now() + timedelta(days=30),
        created_by=officer,
    )
    client = Client()
    client.force_login(officer)
    html = client.get(f"/checks/case/{uz_case.pk}/").content.decode()
    link = html.split('data-testid="follow-up-mla"', 1)[0].rsplit('<a href="', 1)[1]
    query = parse_qs(urlsplit(unescape(link.split('"', 1)[0])).query)
    assert query == {"case": [str(uz_case.pk)], "node": ["KG-GPO"], "reference": ["CHK-KG-0042"]}
