"""Control characters in typed text: found here, refused by every form, schema and import.

Names keep every script. What is refused is what no one types on purpose and what changes how
stored text is shown or processed: C0 and C1 control characters (NUL, bell, escape, ...; tab and
line breaks are allowed in multi-line text only) and the Unicode bidirectional embeddings,
overrides (U+202A-U+202E) and isolates (U+2066-U+2069), which make a name or reference display
differently from what is stored ("Trojan Source") and can spill over into the text around it.

Allowed on purpose: ZERO WIDTH NON-JOINER U+200C and ZERO WIDTH JOINER U+200D, which correct
spelling in Persian, Arabic-script Uzbek, Urdu and Indic scripts needs; and the marks
LEFT-TO-RIGHT U+200E, RIGHT-TO-LEFT U+200F and ARABIC LETTER U+061C, which writers of Arabic
text use to place digits and punctuation: a mark has no extent, so it cannot reorder anything
beyond its own neighbours, unlike an embedding or override.
"""

import unicodedata
from collections.abc import Callable, Iterator
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

LINE_BREAKS_AND_TAB = frozenset("\t\n\r")
BIDI_CONTROLS = frozenset(chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def control_characters(text: str, *, multiline: bool = False) -> list[str]:
    """The refused characters in `text`, each once, in code point order.

    Examples:
        >>> control_characters("Ali\\x1b[31m")
        ['\\x1b']
        >>> control_characters("line one\\nline two", multiline=True)
        []
    """
    allowed = LINE_BREAKS_AND_TAB if multiline else frozenset()
    found = {
        ch
        for ch in text or ""
        if ch in BIDI_CONTROLS or (unicodedata.category(ch) == "Cc" and ch not in allowed)
    }
    return sorted(found)


def message(found: list[str]) -> str:
    """The translated refusal, naming each character by its code point (they do not print)."""
    codes = ", ".join(f"U+{ord(ch):04X}" for ch in found[:5])
    return _(
        "Remove the control characters (%(codes)s): they do not print and are often pasted by "
        "accident."
    ) % {"codes": codes}


def visible(text: str) -> str:
    """`text` with each refused character written as its code point, safe to echo back."""
    return "".join(f"U+{ord(ch):04X}" if control_characters(ch) else ch for ch in text)


def check(text: str, *, multiline: bool = False) -> str:
    """`text` unchanged, or ValueError with the translated message."""
    found = control_characters(text, multiline=multiline)
    if found:
        raise ValueError(message(found))
    return text


# Django: validators for form and model fields.


def validate_line(value: object) -> None:
    """A one-line value (name, title, reference): no control character, no line break."""
    if isinstance(value, str) and (found := control_characters(value)):
        raise ValidationError(message(found), code="control_characters")


def validate_text(value: object) -> None:
    """A multi-line value (summary, note): tab and line breaks allowed, no other control."""
    if isinstance(value, str) and (found := control_characters(value, multiline=True)):
        raise ValidationError(message(found), code="control_characters")


class CleanTextForm:
    """A form mixin: every text field refuses control characters; a Textarea may hold lines.

    Put it first among a form's bases; tests/test_control_characters.py checks every form.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django import forms

        # a mixin: `fields` is the form's, which mypy cannot see from here
        for field in self.fields.values():  # type: ignore[attr-defined]
            if isinstance(field, forms.CharField):
                multiline = isinstance(field.widget, forms.Textarea)
                field.validators.append(validate_text if multiline else validate_line)


# pydantic: types for ninja schemas; the API also checks every string of a body centrally.


def _pydantic(multiline: bool) -> Callable[[str], str]:
    def validate(value: str) -> str:
        found = control_characters(value, multiline=multiline)
        if found:
            raise PydanticCustomError("control_characters", message(found))
        return value

    return validate


Line = Annotated[str, AfterValidator(_pydantic(multiline=False))]
Text = Annotated[str, AfterValidator(_pydantic(multiline=True))]


def strings(
    data: object, path: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every string in a decoded JSON document with its path, keys included."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield (*path, key), key
            yield from strings(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from strings(value, (*path, index))
