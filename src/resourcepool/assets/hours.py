"""Use cases of editing when an asset is open: weekly opening hours; reading local times.

Computing free intervals from these is `availability/rules.py`'s job; here they are only
validated and stored. Closures (entered as local date-times in the asset's timezone, read with
`to_instant`/`parse_local` below) are added and removed by `availability/closures.py`, which
also stores their occurrences.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg

from resourcepool.accounts.identity import Identity
from resourcepool.assets import queries, rules
from resourcepool.assets.service import _database_error, _managed, write_opening_hours
from resourcepool.db import sql
from resourcepool.db.engine import DB
from resourcepool.errors import N_, ValidationFailed
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
