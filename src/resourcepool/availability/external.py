"""Busy times imported from an asset's external calendar, stored as rows of `asset_busy`.

The calendar itself (its source, refresh state, parsing) is calendar_feeds' business; here
its busy times are written so that availability, the search and the booking service see them
like any other busy time (source "external").
"""

from __future__ import annotations

from typing import Sequence

from resourcepool.availability.rules import Interval
from resourcepool.db import sql
from resourcepool.db.engine import DB


async def replace_external_busy(asset_id: int, calendar_id: int, busy: Sequence[Interval]) -> None:
    """Put `busy` in place of the calendar's previous busy times — inside the caller's
    transaction, so readers see either the old set or the new one, never a mix or nothing."""
    assert DB.current_transaction.get() is not None, "replace_external_busy needs a transaction"
    await sql.execute("DELETE FROM asset_busy WHERE external_calendar_id = $1", calendar_id)
    if busy:
        await sql.execute(
            """INSERT INTO asset_busy (asset_id, starts_at, ends_at, external_calendar_id)
               SELECT $1, s, e, $4 FROM unnest($2::timestamptz[], $3::timestamptz[]) AS t(s, e)""",
            asset_id, [b.start for b in busy], [b.end for b in busy], calendar_id)
