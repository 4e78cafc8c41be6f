"""Structs shared by every API module."""

from __future__ import annotations

from typing import Generic, TypeVar

import msgspec

T = TypeVar("T")


class Page(msgspec.Struct, Generic[T]):
    """A page of a list: `?limit=&offset=` → {"items": [...], "total": n}."""

    items: list[T]
    total: int


class ProblemItem(msgspec.Struct):
    """One rejected input of a malformed request."""

    field: str
    message: str


class Problem(msgspec.Struct, omit_defaults=True):
    """RFC 9457 problem details with our stable `code` (web/errors.py writes them)."""

    type: str
    title: str
    status: int
    code: str
    detail: str
    instance: str | None = None
    # The input field the problem is about, where there is one.
    field: str | None = None
    # 400: every rejected input of a malformed request.
    errors: list[ProblemItem] | None = None
    # 422 policy_violation: the rule broken (e.g. "lead_time", "sector_not_allowed").
    rule: str | None = None
    # 409 slot_unavailable: the clashing times ({start, end}; for a series also `reason`).
    conflicts: list[dict[str, str]] | None = None
    # 429: seconds to wait (also in the Retry-After header).
    retry_after: int | None = None
