"""Use cases of editing when an asset is open: weekly opening hours and closures.

Computing free intervals from these is `availability/rules.py`'s job; here they are only
validated and stored. Closures are entered as local date-times in the asset's timezone and
stored as timestamptz; a recurring closure stores its first occurrence plus the RRULE, read
in the asset's timezone (wall-clock times kept across daylight-saving changes).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg

from resourcepool.accounts.identity import Identity
from resourcepool.assets import queries, rules
from resourcepool.assets.service import _database_error, _managed, write_opening_hours
from resourcepool.db import sql
from resourcepool.db.engine import DB
from resourcepool.errors import N_, NotFound, ValidationFailed
from resourcepool.textrules import check_year


async def set_opening_hours(identity: Identity | None, asset_id: int,
                            rows: list[tuple[Any, Any, Any]]) -> list[dict[str, Any]]:
    """Replace the weekly hours with (weekday 0=Monday, "HH:MM", "HH:MM") rows; [] = always open."""
    hours = rules.clean_opening_hours(rows)
    try:
        async with DB.transaction():
            await _managed(identity, asset_id)
            await write_opening_hours(asset_id, hours)
            await sql.execute("UPDATE asset SET updated_at = now() WHERE id = $1", asset_id)
    except asyncpg.PostgresError as exc:
        raise _database_error(exc) from exc
    return await queries.opening_hours(asset_id)


def to_instant(value: datetime, zone: ZoneInfo, *, field: str) -> datetime:
    """A local wall-clock time in the asset's zone (or an aware datetime) → aware UTC.

    A local time that does not exist (the hour skipped when clocks go forward) is refused.
    """
    if value.tzinfo is not None:
        return value.astimezone(timezone.utc)
    aware = value.replace(tzinfo=zone)
    round_trip = aware.astimezone(timezone.utc).astimezone(zone).replace(tzinfo=None)
    if round_trip != value:
        raise ValidationFailed(N_("This time does not exist on that day (the clocks change)."),
                               field=field)
    return aware.astimezone(timezone.utc)


def parse_local(text: Any, *, field: str) -> datetime:
    """'YYYY-MM-DDTHH:MM' (or with an offset, or a bare date = midnight) → datetime."""
    if isinstance(text, datetime):
        return text
    if not isinstance(text, str) or not 10 <= len(text.strip()) <= 40:
        raise ValidationFailed(N_("Enter a date and time, e.g. 2026-12-24T14:00."), field=field)
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValidationFailed(N_("Enter a date and time, e.g. 2026-12-24T14:00."), field=field) from None
    check_year(value, field)
    return value


async def add_closure(identity: Identity | None, asset_id: int, start: Any, end: Any,
                      rrule: str | None = None, reason: str | None = "") -> dict[str, Any]:
    """Close the asset for [start, end), once or repeating by an RRULE; return the closure."""
    start_value = parse_local(start, field="start")
    end_value = parse_local(end, field="end")
    reason_text = rules.check_reason(reason)
    try:
        return await _insert_closure(identity, asset_id, start_value, end_value, rrule, reason_text)
    except asyncpg.PostgresError as exc:
        # The checks above should leave nothing for the database to refuse; if it still does,
        # that is a 4xx with a message, not a 500.
        raise _database_error(exc) from exc


async def _insert_closure(identity: Identity | None, asset_id: int, start_value: datetime,
                          end_value: datetime, rrule: str | None, reason_text: str) -> dict[str, Any]:
    async with DB.transaction():
        asset = await _managed(identity, asset_id)
        zone = ZoneInfo(asset["timezone"])
        starts_at = to_instant(start_value, zone, field="start")
        ends_at = to_instant(end_value, zone, field="end")
        rules.check_closure_span(starts_at, ends_at)
        rule_text = None
        if rrule not in (None, ""):
            local_start = starts_at.astimezone(zone).replace(tzinfo=None)
            duration = ends_at.astimezone(zone).replace(tzinfo=None) - local_start
            rule_text, rule = rules.parse_rrule(rrule, local_start)
            # Store the first real occurrence: the rule may not include the start itself.
            first = rules.first_rrule_date(rule, local_start)
            starts_at = to_instant(first, zone, field="start")
            ends_at = to_instant(first + duration, zone, field="end")
            if duration > timedelta(days=31):
                raise ValidationFailed(N_("A repeating closure lasts at most a month each time."),
                                       field="end")
        row = await sql.fetch_one(
            """INSERT INTO closure (asset_id, starts_at, ends_at, rrule, reason)
               VALUES ($1, $2, $3, $4, $5) RETURNING id, starts_at, ends_at, rrule, reason""",
            asset_id, starts_at, ends_at, rule_text, reason_text)
    return row  # type: ignore[return-value]


async def remove_closure(identity: Identity | None, asset_id: int, closure_id: int) -> None:
    async with DB.transaction():
        await _managed(identity, asset_id)
        deleted = await sql.fetch_value(
            "DELETE FROM closure WHERE id = $1 AND asset_id = $2 RETURNING id", closure_id, asset_id)
        if deleted is None:
            raise NotFound(N_("There is no such closure."))
