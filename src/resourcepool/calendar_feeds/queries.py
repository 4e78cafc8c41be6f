"""Named reads of the bookings a feed shows (parameterised SQL, bounded by a window and a cap).

A feed shows the bookings that start from WINDOW_PAST ago to WINDOW_FUTURE ahead; bookings
that were declined, cancelled or expired stay (as STATUS:CANCELLED) for CANCELLED_KEPT after
the change, so subscribed clients see them go and remove them. At most MAX_EVENTS bookings,
the earliest first: whatever users booked, one feed is bounded work.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Mapping

from resourcepool.bookings.queries import BOOKING_FROM
from resourcepool.db import sql
from resourcepool.db.engine import DB

WINDOW_PAST = timedelta(days=90)
WINDOW_FUTURE = timedelta(days=730)
CANCELLED_KEPT = timedelta(days=30)
MAX_EVENTS = 10_000
FETCH_ROWS = 500

FEED_COLUMNS = """
    b.id, b.starts_at, b.ends_at, b.status, b.updated_at, b.created_at, b.purpose,
    b.organisation_id, b.user_id, a.timezone, a.title AS asset_title, a.address AS asset_address,
    a.organisation_id AS owner_organisation_id, o.name AS organisation_name,
    oo.name AS owner_name, u.name AS user_name,
    (SELECT count(*) FROM booking_event e WHERE e.booking_id = b.id) AS event_count
"""
_FROM = BOOKING_FROM  # booking b, its asset a, organisations o (booker) and oo (owner), user u
# $1: the scope's id, $2: window start, $3: window end, $4: cancelled ones changed since.
_WINDOW = """
    b.starts_at >= $2 AND b.starts_at < $3
    AND (b.status NOT IN ('declined', 'cancelled', 'expired') OR b.updated_at >= $4)
"""
_WHERE = {
    "asset": "b.asset_id = $1",
    "user": "b.user_id = $1",
    # Its bookings as booker and as owner; each side can use its own index.
    "organisation": """b.id IN (SELECT id FROM booking
                               WHERE organisation_id = $1 AND starts_at >= $2 AND starts_at < $3
                               UNION ALL
                               SELECT bb.id FROM booking bb JOIN asset aa ON aa.id = bb.asset_id
                               WHERE aa.organisation_id = $1 AND bb.organisation_id <> $1
                                 AND bb.starts_at >= $2 AND bb.starts_at < $3)""",
}


# Everything of a row that the feed shows, for the digest below.
_DIGEST_ROW = """concat_ws('|', b.id, b.updated_at, b.status, b.starts_at, b.ends_at, b.purpose,
                            b.organisation_id, a.organisation_id, a.timezone, a.title, a.address,
                            o.name, oo.name, u.name,
                            (SELECT count(*) FROM booking_event e WHERE e.booking_id = b.id))"""


def window(now: datetime) -> tuple[datetime, datetime, datetime]:
    return now - WINDOW_PAST, now + WINDOW_FUTURE, now - CANCELLED_KEPT


async def feed_bookings(scope: str, target_id: int, now: datetime) -> list[Mapping[str, Any]]:
    """The bookings of an asset, an organisation (as booker and owner) or a user in the window,
    as asyncpg records: turning thousands of them into dicts is left to the caller's worker
    thread, off the event loop. Read through a cursor FETCH_ROWS at a time, because asyncpg
    decodes what arrives on the event loop: 5,000 rows in one piece would hold it for tens of
    milliseconds."""
    start, end, changed_since = window(now)
    rows: list[Mapping[str, Any]] = []
    async with DB.pool.acquire() as conn:  # type: ignore[union-attr]
        async with conn.transaction(readonly=True):
            async for record in conn.cursor(
                    f"""SELECT {FEED_COLUMNS} {_FROM}
                        WHERE {_WHERE[scope]} AND {_WINDOW}
                        ORDER BY b.starts_at, b.id LIMIT {MAX_EVENTS}""",
                    target_id, start, end, changed_since, prefetch=FETCH_ROWS):
                rows.append(record)
    return rows


async def feed_digest(scope: str, target_id: int, now: datetime) -> dict[str, Any]:
    """A digest of exactly the rows `feed_bookings` would return (PostgreSQL hashes them, so a
    feed that did not change costs one small answer), their latest change and their number."""
    start, end, changed_since = window(now)
    row = await sql.fetch_one(
        f"""SELECT md5(coalesce(string_agg(t.line, E'\\n' ORDER BY t.starts_at, t.id), '')) AS digest,
                   max(t.updated_at) AS last_modified, count(*) AS events
            FROM (SELECT b.id, b.starts_at, b.updated_at, {_DIGEST_ROW} AS line {_FROM}
                  WHERE {_WHERE[scope]} AND {_WINDOW}
                  ORDER BY b.starts_at, b.id LIMIT {MAX_EVENTS}) t""",
        target_id, start, end, changed_since)
    assert row is not None
    return row


async def booking_for_export(booking_id: int) -> dict[str, Any] | None:
    """One booking with what its .ics shows (the caller checks who may see it)."""
    return await sql.fetch_one(f"SELECT {FEED_COLUMNS} {_FROM} WHERE b.id = $1", booking_id)
