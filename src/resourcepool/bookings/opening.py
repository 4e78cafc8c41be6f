"""Opening hours and closures as the booking policy sees them (via availability.rules)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from resourcepool.availability import rules
from resourcepool.bookings.policies import OpeningCheck


def opening_check(hours: list[dict[str, Any]], closures: list[dict[str, Any]],
                  tz: str) -> OpeningCheck | None:
    """A function telling why [start, end) cannot be booked ("closure", "opening_hours") or None."""
    weekly = [rules.WeeklyHours(h["weekday"], h["start_minute"], h["end_minute"]) for h in hours]
    closed = [rules.ClosureRule(c["starts_at"], c["ends_at"], c["rrule"]) for c in closures]
    if not weekly and not closed:
        return None

    def check(start: datetime, end: datetime) -> str | None:
        if rules.is_bookable_span(weekly, closed, tz, start, end):
            return None
        if closed and rules.closed_intervals(closed, tz, start, end):
            return "closure"
        return "opening_hours"

    return check
