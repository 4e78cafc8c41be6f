"""The one place that reads "now", so tests can freeze or move it."""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta, timezone
from typing import Iterator

_frozen: ContextVar[datetime | None] = ContextVar("frozen_now", default=None)
_offset: timedelta = timedelta(0)


def now() -> datetime:
    """The current instant, timezone-aware (UTC)."""
    frozen = _frozen.get()
    if frozen is not None:
        return frozen
    return datetime.now(timezone.utc) + _offset


@contextmanager
def frozen_at(instant: datetime) -> Iterator[None]:
    """Freeze now() at an aware instant inside the block (this task and its children)."""
    if instant.tzinfo is None:
        raise ValueError("frozen_at needs an aware datetime")
    token = _frozen.set(instant.astimezone(timezone.utc))
    try:
        yield
    finally:
        _frozen.reset(token)


def travel(delta: timedelta) -> None:
    """Move the process clock (tests that go through the HTTP app, which runs other tasks)."""
    global _offset
    _offset += delta


def reset_travel() -> None:
    global _offset
    _offset = timedelta(0)
