"""Structs shared by every API module."""

from __future__ import annotations

from typing import Generic, TypeVar

import msgspec

T = TypeVar("T")


class Page(msgspec.Struct, Generic[T]):
    """A page of a list: `?limit=&offset=` → {"items": [...], "total": n}."""

    items: list[T]
    total: int


class Problem(msgspec.Struct, omit_defaults=True):
    """RFC 9457 problem details with our stable `code`."""

    type: str
    title: str
    status: int
    code: str
    detail: str
    instance: str | None = None
    field: str | None = None
