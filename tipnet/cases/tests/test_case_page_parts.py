"""The case page's persons table and panels are rendered once per language and content: a
change shows at once, and what one reader's page showed never reaches another's."""

import pytest
from django.urls import reverse

from tipnet.cases import actions

from .factories import add_person, make_case

pytestmark = pytest.mark.django_db


def test_a_change_to_a_person_shows_on_the_next_view(client_as, investigator):
    case = make_case(investigator)
    row = add_person(investigator, case, "Dilshod Karimov", role="suspect")
    client = client_as(investigator)
    path = reverse("cases:detail", args=[case.pk])
    before = client.get(path).text
    assert "Dilshod Karimov" in before and "Charged" not in before
    actions.do_add_identifier(investigator, row.person, "phone", "+998 90 123 45 67")
    actions.do_add_identifier(investigator, row.person, "email", "D.Karimov@example.org")
    actions.do_update_case_person(investigator, row, "recruiter", "charged")
    after = client.get(path).text
    assert "E-mail: d.karimov@example.org<br>Phone: +998901234567" in after
    assert "Charged" in after


def test_a_reader_who_may_not_edit_gets_no_editors_links(client_as, investigator, analyst):
    case = make_case(investigator)
    add_person(investigator, case, "Dilshod Karimov", role="suspect")
    path = reverse("cases:detail", args=[case.pk])
    editor = client_as(investigator).get(path).text
    assert 'data-testid="suspect-edit"' in editor and 'data-testid="identifier-add"' in editor
    reader = client_as(analyst).get(path).text
    assert "Dilshod Karimov" in reader
    assert 'data-testid="suspect-edit"' not in reader
    assert 'data-testid="identifier-add"' not in reader


def test_the_persons_table_follows_the_readers_language(client_as, investigator):
    case = make_case(investigator)
    add_person(investigator, case, "Dilshod Karimov", role="suspect")
    client = client_as(investigator)
    path = reverse("cases:detail", args=[case.pk])
    english = client.get(path, HTTP_ACCEPT_LANGUAGE="en").text
    russian = client.get(path, HTTP_ACCEPT_LANGUAGE="ru").text
    row = 'data-testid="person-row"'
    assert "Suspect" in english.split(row)[1].split("</tr>")[0]
    assert "Suspect" not in russian.split(row)[1].split("</tr>")[0]
