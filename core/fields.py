"""Model fields of the shared layer: text encrypted at rest (issue 10).

:class:`EncryptedTextField` stores ``enc1:`` + a Fernet token (AES-128-CBC with HMAC-SHA256, from
``cryptography``) under the key of :mod:`core.datakey`; the ORM reads and writes clear text. An
empty value is stored empty: it says only that the resident left that field blank, and it keeps
``exclude(email="")`` working. The token is random, so equal values encrypt differently: the only
lookups allowed are ``isnull`` and equality with the empty string; any other lookup is refused
(FieldError) instead of silently finding nothing. No code filters residents by their contact
details, so no keyed hash column is needed.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import Exact

from core import datakey


class EncryptedTextField(models.TextField):
    description = "Văn bản được mã hóa khi lưu"

    def from_db_value(self, value, expression, connection):
        if value is None or not datakey.is_encrypted(value):
            return value  # empty, or a row from before the migration that encrypts them
        return datakey.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "" or datakey.is_encrypted(value):
            return value
        return datakey.encrypt(str(value))

    def formfield(self, **kwargs):
        # A phone number or an e-mail is one line (the admin's user page), not a text area.
        if self.max_length and self.max_length <= 300:
            kwargs.setdefault("widget", forms.TextInput)
        return super().formfield(**kwargs)

    def get_lookup(self, lookup_name):
        if lookup_name not in ("exact", "isnull"):
            raise FieldError(
                f"Trường mã hóa '{self.name}' không tìm kiếm được theo '{lookup_name}'."
            )
        return super().get_lookup(lookup_name)


@EncryptedTextField.register_lookup
class EmptyOnlyExact(Exact):
    """``field=""`` (or None) only: an encrypted value cannot be compared."""

    lookup_name = "exact"

    def get_prep_lookup(self):
        if self.rhs not in ("", None):
            raise FieldError(
                f"Trường mã hóa '{self.lhs.target.name}' chỉ so sánh được với giá trị rỗng."
            )
        return super().get_prep_lookup()
