"""Model fields stored encrypted with the field key (see fieldkey.py): code reads and writes
plain values, the database holds an authenticated ciphertext.

They cannot be searched or ordered in SQL. Where an exact lookup is needed, store a
`fieldkey.keyed_hash` beside the value in an indexed column.
"""

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.core import validators
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.models.expressions import Combinable, Expression

from . import fieldkey

if TYPE_CHECKING:
    # django-stubs types a field by the value it accepts and the value it gives back; Django's
    # own field classes cannot be subscripted at run time, so the types exist for mypy only.
    _TextField = models.TextField[str | Combinable, str]
    _IntegerTextField = models.TextField[int | str | Combinable | None, int | None]
    _BinaryField = models.BinaryField[bytes | memoryview | Combinable, bytes]
else:
    _TextField = _IntegerTextField = models.TextField
    _BinaryField = models.BinaryField

# Marks a sealed file in a binary column: clear bytes never start with it by chance in a file
# type the apps accept (PDF, images, office files), and a migration can tell both apart.
BINARY_PREFIX = b"nacl1:"


class EncryptedTextField(_TextField):
    """Plain text in Python, an authenticated ciphertext in the database.

    `max_length`, when given, limits the plain text (forms and full_clean), not the column.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(validators.MaxLengthValidator(self.max_length))

    def from_db_value(
        self, value: str | None, expression: Expression, connection: BaseDatabaseWrapper
    ) -> str:
        return fieldkey.decrypt(value) if value else ""

    def get_prep_value(self, value: Any) -> str:
        value = super().get_prep_value(value)
        return fieldkey.encrypt(value) if value else ""


class EncryptedCharField(EncryptedTextField):
    """An EncryptedTextField edited on one line, like a CharField."""

    def formfield(self, **kwargs: Any) -> forms.Field | None:
        return super().formfield(**{"widget": forms.TextInput, **kwargs})


class EncryptedIntegerField(_IntegerTextField):
    """A whole number (or None) in Python, an authenticated ciphertext in the database."""

    def from_db_value(
        self, value: str | None, expression: Expression, connection: BaseDatabaseWrapper
    ) -> int | None:
        return int(fieldkey.decrypt(value)) if value else None

    def to_python(self, value: Any) -> int | None:
        if value in (None, ""):
            return None
        return int(value)

    def get_prep_value(self, value: Any) -> str | None:
        number = self.to_python(value)
        return None if number is None else fieldkey.encrypt(str(number))

    def formfield(self, **kwargs: Any) -> forms.Field:
        return forms.IntegerField(required=not self.blank, label=self.verbose_name, **kwargs)


class EncryptedBinaryField(_BinaryField):
    """Bytes (a file) in Python, an authenticated ciphertext in the database."""

    def from_db_value(self, value: Any, expression: Expression, connection: Any) -> bytes:
        return open_bytes(value)

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if value is not None and not hasattr(value, "resolve_expression"):
            value = seal_bytes(bytes(value))
        return super().get_db_prep_value(value, connection, prepared)


def seal_bytes(data: bytes) -> bytes:
    """`data` sealed with the field key (the empty file stays empty)."""
    if not data:
        return b""
    return BINARY_PREFIX + bytes(fieldkey.box().encrypt(data))


def open_bytes(value: Any) -> bytes:
    """The clear bytes of a sealed binary column value; raises CryptoError if tampered."""
    data = bytes(value or b"")
    if not data:
        return b""
    if not data.startswith(BINARY_PREFIX):
        raise ValueError("not a sealed file")
    return fieldkey.box().decrypt(data[len(BINARY_PREFIX) :])


def encrypt_binary_columns(
    schema_editor: BaseDatabaseSchemaEditor, table: str, columns: list[str]
) -> None:
    """Seal in place the files in `columns` still in clear (for data migrations; can run twice)."""
    _rewrite(schema_editor, table, columns, _seal_binary)


def decrypt_binary_columns(
    schema_editor: BaseDatabaseSchemaEditor, table: str, columns: list[str]
) -> None:
    """Open in place the sealed files in `columns` (the reverse of encrypt_binary_columns)."""
    _rewrite(schema_editor, table, columns, _open_binary)


def _seal_binary(value: Any) -> Any:
    data = bytes(value or b"")
    if not data or data.startswith(BINARY_PREFIX):
        return value
    return seal_bytes(data)


def _open_binary(value: Any) -> Any:
    data = bytes(value or b"")
    return open_bytes(data) if data.startswith(BINARY_PREFIX) else value


def encrypt_columns(
    schema_editor: BaseDatabaseSchemaEditor, table: str, columns: list[str]
) -> None:
    """Encrypt in place the values of `columns` still in clear (for data migrations).

    Works on raw rows, since a historical model's encrypted field would refuse clear text.
    Values already encrypted are left alone, so the step can run twice.
    """
    _rewrite(schema_editor, table, columns, _seal)


def decrypt_columns(
    schema_editor: BaseDatabaseSchemaEditor, table: str, columns: list[str]
) -> None:
    """Decrypt in place the values of `columns` (the reverse of encrypt_columns)."""
    _rewrite(schema_editor, table, columns, _unseal)


def _seal(value: Any) -> Any:  # a raw column value: text, a number or None
    if value is None or value == "" or str(value).startswith(fieldkey.PREFIX):
        return value
    return fieldkey.encrypt(str(value))


def _unseal(value: Any) -> Any:
    if value and str(value).startswith(fieldkey.PREFIX):
        return fieldkey.decrypt(str(value))
    return value


def _rewrite(
    schema_editor: BaseDatabaseSchemaEditor,
    table: str,
    columns: Sequence[str],
    change: Callable[[Any], Any],
) -> None:
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
