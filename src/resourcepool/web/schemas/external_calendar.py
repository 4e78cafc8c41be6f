"""msgspec Structs of the external calendar API (`/api/v1/assets/{id}/external-calendar`)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import msgspec


class SubscribeIn(msgspec.Struct, forbid_unknown_fields=True):
    """Subscribe to the calendar at `url` (https://… or webcal://…)."""

    url: str


class ExternalCalendarOut(msgspec.Struct):
    asset_id: int
    source: Literal["file", "url"]
    url: str | None
    state: Literal["ok", "error"]
    busy_count: int  # busy times within the booking horizon
    event_count: int  # events in the calendar
    refreshed_at: datetime | None  # when the busy times were last read from the source
    attempted_at: datetime | None  # the last attempt to read it
    next_refresh_at: datetime | None
    error: str | None  # why the last attempt failed (the busy times of the last good read stay)
