"""Request parsers of the API that refuse text holding NUL characters.

PostgreSQL cannot store a NUL character in a text or a JSON column (``text fields cannot
contain NUL (0x00) bytes``): a request carrying one in a field that reaches the database
without a serializer ``CharField`` in between (a JSON object such as a plan operation's
``data``) used to end in a server error on PostgreSQL, and stored on SQLite what
PostgreSQL refuses.  Nothing the API takes holds one, so a body with one is a 400.
Query strings and paths are checked by :class:`tinhgon.core.middleware.NulCharacterMiddleware`.
"""

from __future__ import annotations

from django.core.validators import ProhibitNullCharactersValidator
from rest_framework import parsers
from rest_framework.exceptions import ParseError


def holds_nul(value) -> bool:
    """Whether ``value`` (text, or lists and dicts of them, keys included) holds a NUL character."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(holds_nul(k) or holds_nul(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(holds_nul(v) for v in value)
    return False


def prohibit_nul(value) -> None:
    """A validator for JSON fields: text decoded from ``\\u0000`` escapes (a form field's JSON)
    holds NUL characters the parsers cannot see in the raw body."""
    from django.core.exceptions import ValidationError

    if holds_nul(value):
        raise ValidationError(ProhibitNullCharactersValidator.message, code="null_characters_not_allowed")


def _refuse_nul(data):
    values = data.lists() if hasattr(data, "lists") else None
    if holds_nul(dict(values) if values is not None else data):
        raise ParseError(ProhibitNullCharactersValidator.message)
    return data


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return _refuse_nul(super().parse(stream, media_type, parser_context))


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return _refuse_nul(super().parse(stream, media_type, parser_context))


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        result = super().parse(stream, media_type, parser_context)
        _refuse_nul(result.data)
        return result
