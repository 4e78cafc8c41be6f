"""msgspec Structs of the booking API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec

Reason = Annotated[str, msgspec.Meta(max_length=2000)]


class BookingCreate(msgspec.Struct, forbid_unknown_fields=True):
    """`POST /api/v1/bookings`. Times in RFC 3339 with an offset; `recurrence` is an RRULE."""

    asset_id: Annotated[int, msgspec.Meta(ge=1, le=2**62)]
    start: datetime
    end: datetime
    purpose: Annotated[str, msgspec.Meta(max_length=500)]
    quantity: Annotated[int, msgspec.Meta(ge=1, le=10000)] = 1
    attendees: Annotated[int, msgspec.Meta(ge=1, le=100000)] | None = None
    organisation_id: Annotated[int, msgspec.Meta(ge=1, le=2**62)] | None = None
    recurrence: Annotated[str, msgspec.Meta(max_length=500)] | None = None
    on_conflict: Literal["fail", "skip"] = "fail"


class Transition(msgspec.Struct, forbid_unknown_fields=True):
    """Body of approve / decline / no-show: `reason` (required to decline)."""

    reason: Reason | None = None


class CancelRequest(msgspec.Struct, forbid_unknown_fields=True):
    reason: Reason | None = None
    scope: Literal["this", "following"] = "this"


class HistoryEntry(msgspec.Struct):
    at: datetime
    from_status: str | None
    to_status: str
    reason: str
    actor_name: str | None


class BookingOut(msgspec.Struct):
    id: int
    asset_id: int
    asset_title: str
    owner_organisation_id: int
    owner_name: str
    organisation_id: int
    organisation_name: str
    user_id: int
    series_id: int | None
    start: datetime
    end: datetime
    held_from: datetime
    held_until: datetime
    timezone: str
    quantity: int
    purpose: str
    attendees: int | None
    status: str
    status_reason: str
    cancelled_late: bool
    created_at: datetime
    usage_instructions: str | None = None
    history: list[HistoryEntry] | None = None


class Skipped(msgspec.Struct):
    start: datetime
    end: datetime
    reason: str


class SeriesInfo(msgspec.Struct):
    id: int
    rrule: str
    timezone: str
    first_start: datetime


class SeriesOut(msgspec.Struct):
    series: SeriesInfo
    bookings: list[BookingOut]
    skipped: list[Skipped]


class BookingPage(msgspec.Struct):
    items: list[BookingOut]
    total: int


class CancelOut(msgspec.Struct):
    cancelled: list[BookingOut]
