"""Model fields stored encrypted with the field key (see fieldkey.py): code reads and writes
plain values, the database holds an authenticated ciphertext.

They cannot be searched or ordered in SQL. Where an exact lookup is needed, store a
`fieldkey.keyed_hash` beside the value in an indexed column.
"""

from django import forms
from django.core import validators
from django.db import models

from . import fieldkey


class EncryptedTextField(models.TextField):
    """Plain text in Python, an authenticated ciphertext in the database.

    `max_length`, when given, limits the plain text (forms and full_clean), not the column.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(validators.MaxLengthValidator(self.max_length))

    def from_db_value(self, value, expression, connection):
        return fieldkey.decrypt(value) if value else ""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return fieldkey.encrypt(value) if value else ""


class EncryptedCharField(EncryptedTextField):
    """An EncryptedTextField edited on one line, like a CharField."""

    def formfield(self, **kwargs):
        return super().formfield(**{"widget": forms.TextInput, **kwargs})


class EncryptedIntegerField(models.TextField):
    """A whole number (or None) in Python, an authenticated ciphertext in the database."""

    def from_db_value(self, value, expression, connection):
        return int(fieldkey.decrypt(value)) if value else None

    def to_python(self, value):
        if value in (None, ""):
            return None
        return int(value)

    def get_prep_value(self, value):
        value = self.to_python(value)
        return None if value is None else fieldkey.encrypt(str(value))

    def formfield(self, **kwargs):
        return forms.IntegerField(required=not self.blank, label=self.verbose_name, **kwargs)


def encrypt_columns(schema_editor, table: str, columns: list[str]) -> None:
    """Encrypt in place the values of `columns` still in clear (for data migrations).

    Works on raw rows, since a historical model's encrypted field would refuse clear text.
    Values already encrypted are left alone, so the step can run twice.
    """
    _rewrite(schema_editor, table, columns, _seal)


def decrypt_columns(schema_editor, table: str, columns: list[str]) -> None:
    """Decrypt in place the values of `columns` (the reverse of encrypt_columns)."""
    _rewrite(schema_editor, table, columns, _unseal)


def _seal(value):
    if value is None or value == "" or str(value).startswith(fieldkey.PREFIX):
        return value
    return fieldkey.encrypt(str(value))


def _unseal(value):
    if value and str(value).startswith(fieldkey.PREFIX):
        return fieldkey.decrypt(value)
    return value


def _rewrite(schema_editor, table: str, columns: list[str], change) -> None:
    quote = schema_editor.connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    assignments = ", ".join(f"{quote(c)} = %s" for c in columns)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {names} FROM {quote(table)}")  # noqa: S608 - quoted names
        rows = cursor.fetchall()
        for pk, *values in rows:
            new = [change(v) for v in values]
            if new != list(values):
                cursor.execute(
                    f"UPDATE {quote(table)} SET {assignments} WHERE id = %s",  # noqa: S608
                    [*new, pk],
                )
