"""Helpers for HTML forms: read a posted form, keep values and per-field errors for re-rendering."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from litestar import Request

from resourcepool.errors import DomainError
from resourcepool.web import i18n

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


async def read_form(request: Request) -> dict[str, str]:
    """The posted fields as strings (last value wins), cut to a sane length, CSRF field dropped."""
    form = await request.form()
    data: dict[str, str] = {}
    for key, value in form.multi_items():
        if key == "_csrf_token" or not isinstance(value, str):
            continue
        data[key] = value[:MAX_FIELD_LENGTH]
    return data


async def read_form_lists(request: Request) -> dict[str, list[str]]:
    """The posted fields with every value (checkbox groups, repeated rows)."""
    form = await request.form()
    data: dict[str, list[str]] = {}
    for key, value in form.multi_items():
        if key == "_csrf_token" or not isinstance(value, str):
            continue
        data.setdefault(key, []).append(value[:MAX_FIELD_LENGTH])
    return data
