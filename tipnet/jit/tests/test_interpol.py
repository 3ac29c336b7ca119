"""Interpol notices and diffusions: references kept as identifiers of a person, checked on entry."""

import pytest
from django.core.exceptions import ValidationError

from tipnet.cases import actions as cases
from tipnet.cases.tests.factories import add_person


@pytest.mark.parametrize(
    ("kind", "raw", "kept"),
    [
        ("interpol_notice", "red notice a-1234/5-2026", "RED A-1234/5-2026"),
        ("interpol_notice", "Yellow: A-77/12-2025", "YELLOW A-77/12-2025"),
        ("interpol_notice", "purple A-3/1-2024", "PURPLE A-3/1-2024"),
        ("interpol_diffusion", "2026/ 123456", "2026/123456"),
    ],
)
def test_a_reference_is_kept_in_one_form(uz_case, prosecutor, kind, raw, kept):
    row = add_person(prosecutor, uz_case, "Bahodir Yusupov")
    assert cases.do_add_identifier(prosecutor, row.person, kind, raw).normalised == kept


@pytest.mark.parametrize(
    ("kind", "raw"),
    [
        ("interpol_notice", "pink A-1/1-2026"),
        ("interpol_notice", "Red 1234"),
        ("interpol_diffusion", "urgent!"),
        ("interpol_diffusion", "ABCDEF"),
    ],
)
def test_a_malformed_reference_is_refused(uz_case, prosecutor, kind, raw):
    row = add_person(prosecutor, uz_case, "Bahodir Yusupov")
    with pytest.raises(ValidationError):
        cases.do_add_identifier(prosecutor, row.person, kind, raw)
    assert not row.person.identifiers.exists()
