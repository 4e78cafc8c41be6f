"""Opening hours and busy times as the booking policy sees them (via availability.rules).

The busy times are stored rows (closure occurrences, external calendar events) read for the
requested span(s) by `queries.booking_context` / `queries.busy_for_spans`; nothing is
expanded here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from resourcepool.availability import rules
from resourcepool.bookings.policies import OpeningCheck


def _meeting(busy: list[dict[str, Any]], source: str, start: datetime,
             end: datetime) -> list[dict[str, Any]]:
    return [b for b in busy if b["source"] == source and b["starts_at"] < end and start < b["ends_at"]]


def opening_check(hours: list[dict[str, Any]], busy: list[dict[str, Any]],
                  tz: str) -> OpeningCheck | None:
    """A function telling why [start, end) cannot be booked ("closure", "opening_hours") or None.

    External busy times are not the asset's policy but someone else's use of it: see
    `external_clash`."""
    weekly = [rules.WeeklyHours(h["weekday"], h["start_minute"], h["end_minute"]) for h in hours]
    closures = [b for b in busy if b["source"] == "closure"]
    if not weekly and not closures:
        return None

    def check(start: datetime, end: datetime) -> str | None:
        if _meeting(closures, "closure", start, end):
            return "closure"
        if not rules.is_bookable_span(weekly, [], tz, start, end):
            return "opening_hours"
        return None

    return check


def external_clash(busy: list[dict[str, Any]], start: datetime, end: datetime) -> dict[str, Any] | None:
    """The first busy time of the asset's external calendar that meets [start, end), if any."""
    found = _meeting(busy, "external", start, end)
    return found[0] if found else None
