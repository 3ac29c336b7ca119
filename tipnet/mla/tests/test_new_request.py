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
