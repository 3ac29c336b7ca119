"""Control characters and bidi overrides are refused with a clear message, and nothing is stored.

One validator (tipnet.lib.text) serves every form, API schema and import; names keep every script
and the marks Arabic text needs.
"""

import contextlib
import importlib

import pytest
from django import forms
from django.apps import apps
from django.urls import reverse

from tipnet.cases.importer import import_file
from tipnet.cases.models import Case, Person
from tipnet.cases.tests.factories import make_case
from tipnet.lib import text

pytestmark = pytest.mark.django_db

REFUSED = {
    "NUL": "\x00",
    "BEL": "\x07",
    "ESC": "\x1b",
    "DEL": "\x7f",
    "NEL (C1)": "\x85",
    "CSI (C1)": "\x9b",
    "LRE": "\u202a",
    "RLE": "\u202b",
    "PDF": "\u202c",
    "LRO": "\u202d",
    "RLO": "\u202e",
    "LRI": "\u2066",
    "RLI": "\u2067",
    "FSI": "\u2068",
    "PDI": "\u2069",
}
CHARACTERS = pytest.mark.parametrize("char", REFUSED.values(), ids=REFUSED.keys())
CLEAR = "Remove the control characters"


@CHARACTERS
def test_the_case_form_refuses_it_in_a_title_and_stores_nothing(client_as, investigator, char):
    response = client_as(investigator).post(
        reverse("cases:create"),
        {"title": f"Hotel{char}staff", "confidentiality": "confidential", "route": "UZ"},
    )
    assert response.status_code == 200
    assert 'data-testid="error-title"' in response.text
    if char != "\x00":  # Django's own validator names NUL first; ours follows it
        assert CLEAR in response.text
    assert not Case.objects.exists()


@CHARACTERS
def test_the_api_refuses_it_in_a_title_and_stores_nothing(api_as, investigator, char):
    response = api_as(investigator).post(
        "/api/cases/", {"title": f"Hotel{char}staff"}, content_type="application/json"
    )
    assert response.status_code == 422
    detail = response.json()["error"]["details"][0]
    assert detail["field"] == "title"
    assert detail["message"].startswith(CLEAR)
    assert f"U+{ord(char):04X}" in detail["message"]
    assert not Case.objects.exists()


@CHARACTERS
def test_the_api_refuses_it_in_a_persons_name_and_stores_nothing(api_as, investigator, char):
    case = make_case(investigator)
    response = api_as(investigator).post(
        f"/api/cases/{case.pk}/persons",
        {"full_name": f"Gulnora{char} Karimova", "role": "witness"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "full_name"
    assert not Person.objects.exists()


@CHARACTERS
def test_the_import_refuses_it_by_row_and_column_and_writes_nothing(investigator, char):
    data = f"case_ref;title;opened_on\n1/25;Dubai{char}clubs;2025-01-02\n"
    report = import_file(investigator, "cases.csv", data.encode(), dry_run=False)
    assert [(row, column) for row, column, _ in report.problems] == [(2, "title")]
    assert report.problems[0][2].startswith(CLEAR)
    assert not report.written and not Case.objects.exists()


def test_a_line_break_is_refused_in_a_title_but_kept_in_a_summary(api_as, investigator):
    client = api_as(investigator)
    bad = client.post("/api/cases/", {"title": "A\nB"}, content_type="application/json")
    assert bad.status_code == 422
    good = client.post(
        "/api/cases/",
        {"title": "Dubai clubs", "summary": "First line.\n\tSecond line."},
        content_type="application/json",
    )
    assert good.status_code == 201
    assert Case.objects.get().summary == "First line.\n\tSecond line."


@pytest.mark.parametrize(
    "name",
    [
        "Гулнора Каримова",
        "Gulnora Qodirova",
        "محمد\u200cعلی",  # Persian: ZWNJ between the two words of one name
        "\u200fعلي (2)\u200f",  # RLM places the digit and brackets in Arabic text
        "क्\u200dष",  # ZWJ in Devanagari
    ],
)
def test_names_keep_every_script_and_the_marks_of_arabic_text(api_as, investigator, name):
    case = make_case(investigator)
    response = api_as(investigator).post(
        f"/api/cases/{case.pk}/persons",
        {"full_name": name, "role": "witness"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert Person.objects.get().full_name == name


def test_the_api_refuses_it_in_any_string_of_any_body(api_as, caseworker):
    response = api_as(caseworker).post(
        "/api/victims/", {"given_name": "Ali\u202e"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "given_name"


def _project_forms() -> set[type]:
    for app in apps.get_app_configs():
        if app.name.startswith("tipnet."):
            for module in ("forms", "views"):
                with contextlib.suppress(ModuleNotFoundError):
                    importlib.import_module(f"{app.name}.{module}")
    found, todo = set(), [forms.BaseForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("tipnet."):
                found.add(sub)
    return found


def test_every_form_of_the_project_refuses_control_characters():
    missing = sorted(
        f"{f.__module__}.{f.__qualname__}"
        for f in _project_forms()
        if not issubclass(f, text.CleanTextForm)
    )
    assert not missing, f"forms without tipnet.lib.text.CleanTextForm: {missing}"
