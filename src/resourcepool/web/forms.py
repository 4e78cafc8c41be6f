"""Helpers for HTML forms: read a posted form, keep values and per-field errors for re-rendering."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from litestar import Request

from resourcepool.errors import N_, DomainError, ValidationFailed
from resourcepool import i18n

MAX_FIELD_LENGTH = 20000


@dataclass
class FormState:
    """What a form page needs to show: the submitted values and an error per field."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def add_error(self, exc: DomainError) -> None:
        self.errors[exc.field or "_form"] = i18n.translate(exc.message, exc.params)

    @property
    def ok(self) -> bool:
        return not self.errors


def _field_value(key: str, value: str) -> str:
    # No browser sends NUL from a text field, and PostgreSQL cannot store it: refuse it here
    # once for every form rather than in each use case.
    if "\x00" in value:
        raise ValidationFailed(N_("This text contains characters that are not allowed."),
                               field=key[:100])
    return value[:MAX_FIELD_LENGTH]


async def read_form(request: Request) -> dict[str, str]:
    """The posted fields as strings (last value wins), cut to a sane length, CSRF field dropped."""
    form = await request.form()
    data: dict[str, str] = {}
    for key, value in form.multi_items():
        if key == "_csrf_token" or not isinstance(value, str):
            continue
        data[key] = _field_value(key, value)
    return data


async def read_form_lists(request: Request) -> dict[str, list[str]]:
    """The posted fields with every value (checkbox groups, repeated rows)."""
    form = await request.form()
    data: dict[str, list[str]] = {}
    for key, value in form.multi_items():
        if key == "_csrf_token" or not isinstance(value, str):
            continue
        data.setdefault(key, []).append(_field_value(key, value))
    return data
