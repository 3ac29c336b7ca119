"""Starting a request: the case picker and the requested state proposed from the case."""

import re

from django.urls import reverse

from tipnet.cases.actions import do_create_case
from tipnet.victims.actions import do_register_victim
from tipnet.victims.models import Victim


def _selected_state(html: str) -> str | None:
    chooser = re.search(r'<select name="requested_state".*?</select>', html, re.S)
    assert chooser, "no requested-state chooser on the page"
    select = chooser[0]
    found = re.search(r'<option value="([A-Z]{2})" selected>', select)
    return found[1] if found else None


def test_the_destination_on_the_route_is_proposed(treaties, prosecutor, uz_case, client_as):
    page = client_as(prosecutor).get(reverse("mla:new") + f"?case={uz_case.pk}")
    html = page.content.decode()
    assert _selected_state(html) == "AE"
    assert 'data-testid="proposed-state"' in html and "destination" in html


def test_the_proposal_is_not_forced(treaties, prosecutor, uz_case, client_as):
    from tipnet.mla.models import MlaRequest

    data = {"case": uz_case.pk, "requested_state": "KZ"}
    client_as(prosecutor).post(reverse("mla:new"), data)
    assert MlaRequest.objects.get().requested_state == "KZ"


def test_a_victims_country_of_exploitation_comes_before_transit(
    treaties, prosecutor, caseworker, client_as
):
    case = do_create_case(
        prosecutor, title="Begging ring", route=[("UZ", "origin"), ("KZ", "transit")]
    )
    victim = do_register_victim(caseworker, {"sex": "female", "exploitation_country": "RU"})
    Victim.objects.filter(pk=victim.pk).update(case=case)
    html = client_as(prosecutor).get(reverse("mla:new") + f"?case={case.pk}").content.decode()
    assert _selected_state(html) == "RU"


def test_a_case_without_a_foreign_country_proposes_nothing(treaties, prosecutor, client_as):
    case = do_create_case(prosecutor, title="Domestic case", route=[("UZ", "origin")])
    html = client_as(prosecutor).get(reverse("mla:new") + f"?case={case.pk}").content.decode()
    assert _selected_state(html) is None and 'data-testid="proposed-state"' not in html


def test_the_picker_finds_a_case_by_title_or_reference(treaties, prosecutor, uz_case, client_as):
    other = do_create_case(prosecutor, title="Organ removal in a clinic")
    client = client_as(prosecutor)
    html = client.get(reverse("mla:new"), {"q": "dubai"}).content.decode()
    assert f"pick-case-{uz_case.reference}" in html and f"pick-case-{other.reference}" not in html
    html = client.get(reverse("mla:new"), {"q": other.reference}).content.decode()
    assert f"pick-case-{other.reference}" in html and f"pick-case-{uz_case.reference}" not in html


def test_the_picker_lists_no_case_the_drafter_may_not_see(
    treaties, prosecutor, outsider, client_as
):
    hidden = do_create_case(outsider, title="Recruitment in Osh for Dubai")
    html = client_as(prosecutor).get(reverse("mla:new"), {"q": "Dubai"}).content.decode()
    assert hidden.reference not in html and 'data-testid="no-case"' in html


def test_the_picker_works_without_scripts(treaties, prosecutor, uz_case, client_as):
    html = client_as(prosecutor).get(reverse("mla:new")).content.decode()
    form = re.search(r'<form method="get"[^>]*data-testid="case-search">.*?</form>', html, re.S)
    assert form and 'name="q"' in form[0] and 'type="submit"' in form[0]
    assert f'href="{reverse("mla:new")}?case={uz_case.pk}"' in html


def test_the_picker_is_closed_to_an_investigator(treaties, investigator, client_as):
    assert client_as(investigator).get(reverse("mla:new")).status_code == 404


def test_a_draft_from_a_checks_hit_goes_to_the_answering_node_and_quotes_its_reference(
    network, treaties, prosecutor, uz_case, client_as
):
    from tipnet.audit.models import AuditEvent
    from tipnet.mla.models import MlaRequest

    client = client_as(prosecutor)
    url = reverse("mla:new") + f"?case={uz_case.pk}&node=KG-GPO&reference=CHK-7F3A-2026"
    html = client.get(url).content.decode()
    # The case's route proposes the UAE; the hit came from Kyrgyzstan's node.
    assert _selected_state(html) == "KG"
    assert 'name="check_reference" value="CHK-7F3A-2026"' in html
    data = {"case": uz_case.pk, "requested_state": "KG", "check_reference": "CHK-7F3A-2026"}
    client.post(reverse("mla:new"), data)
    req = MlaRequest.objects.get()
    assert req.facts.endswith("the reference of its answer is CHK-7F3A-2026.")
    assert req.facts.startswith(uz_case.summary)
    event = AuditEvent.objects.filter(tag="mla:request:create").get()
    assert event.detail["check_reference"] == "CHK-7F3A-2026"


def test_a_forged_check_reference_or_node_is_refused_and_stores_nothing(
    network, treaties, prosecutor, uz_case, client_as
):
    from tipnet.mla.models import MlaRequest

    client = client_as(prosecutor)
    html = client.get(
        reverse("mla:new") + f"?case={uz_case.pk}&node=XX-NONE&reference=x"
    ).content.decode()
    assert _selected_state(html) == "AE"  # an unknown node proposes nothing of its own
    data = {"case": uz_case.pk, "requested_state": "KG", "check_reference": "'; DROP TABLE x;--"}
    page = client.post(reverse("mla:new"), data)
    assert page.status_code == 200 and "Not a check&#x27;s reference." in page.content.decode()
    assert not MlaRequest.objects.exists()
