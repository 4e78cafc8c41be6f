"""API shapes of calendar feeds and notification settings."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec

BigId = Annotated[int, msgspec.Meta(ge=1, le=2**63 - 1)]


class FeedCreate(msgspec.Struct, forbid_unknown_fields=True):
    """`asset` and `organisation` need the `id` of the asset or organisation; `user` is your
    own bookings."""

    scope: Literal["asset", "organisation", "user"]
    id: BigId | None = None


class FeedOut(msgspec.Struct):
    """A calendar feed. `url` (with the secret token) is given only in the answer to POST."""

    id: int
    scope: str
    target_id: int | None
    name: str
    created_at: datetime
    last_used_at: datetime | None
    url: str | None = None


class NotificationSettings(msgspec.Struct, forbid_unknown_fields=True):
    """Which emails you get, when the reminder before a booking comes (0: none), and the
    language of your emails (and pages; null: not chosen, German)."""

    booking_emails: bool
    owner_emails: bool
    reminder_minutes: Literal[0, 120, 1440]
    language: Literal["de", "en"] | None = None
