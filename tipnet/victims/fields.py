"""A text field stored encrypted (see crypto.py): code reads and writes plain strings."""

from django.db import models

from . import crypto


class EncryptedTextField(models.TextField):
    """Plain text in Python, an authenticated ciphertext in the database.

    It cannot be searched or ordered in SQL; look victims up by their pseudonymous code.
    """

    def from_db_value(self, value, expression, connection):
        return crypto.decrypt(value) if value else ""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return crypto.encrypt(value) if value else ""
