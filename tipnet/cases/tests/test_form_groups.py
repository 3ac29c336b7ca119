"""A group of checkboxes is a fieldset named by its legend, in every shared form rendering."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _group(page: str, name: str) -> str:
    found = re.search(
        rf'<fieldset[^>]*data-testid="group-{name}"[^>]*>(.*?)</fieldset>', page, re.S
    )
    assert found, f"no fieldset for {name}"
    return found.group(1)


def test_the_forms_of_exploitation_are_a_fieldset_with_a_legend(client_as, investigator):
    page = client_as(investigator).get(reverse("cases:create")).text
    group = _group(page, "exploitation_forms")
    assert group.lstrip().startswith("<legend>Forms of exploitation</legend>")
    # No label outside the group points at its first box as if it named the whole group.
    assert '<label for="id_exploitation_forms_0">Forms of exploitation' not in page
    assert group.count('type="checkbox"') >= 8


def test_the_agency_networks_are_a_fieldset_in_the_directory_form(client_as, node_admin):
    page = client_as(node_admin).get(reverse("directory:agency_create")).text
    assert "<legend>Networks</legend>" in _group(page, "networks")


def test_a_single_checkbox_stays_inside_its_label(client_as, investigator):
    page = client_as(investigator).get(reverse("cases:import")).text
    assert re.search(r'<label><input type="checkbox" name="dry_run"[^>]*> Check only', page)
    assert "<fieldset" not in page
