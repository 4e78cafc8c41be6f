"""The demo's year of bookings loads, keeps every invariant and shows every status."""

from __future__ import annotations

from resourcepool.db import sql
from resourcepool.demo import load_demo


async def test_the_demo_bookings__cover_every_status_without_overlaps(app):
    await load_demo()
    statuses = {r["status"]: r["n"] for r in await sql.fetch(
        "SELECT status, count(*) AS n FROM booking GROUP BY status")}
    assert set(statuses) == {"requested", "confirmed", "declined", "cancelled", "expired",
                             "completed", "no_show"}, statuses
    assert sum(statuses.values()) > 1000
    assert await sql.fetch_value("SELECT count(DISTINCT series_id) FROM booking") >= 3
    assert await sql.fetch_value("SELECT bool_or(cancelled_late) FROM booking")
    # Nothing overlaps that ever held the slot (buffers included), single-unit assets.
    overlaps = await sql.fetch_value(
        """SELECT count(*) FROM booking a JOIN booking b ON a.asset_id = b.asset_id AND a.id < b.id
           JOIN asset s ON s.id = a.asset_id AND s.quantity = 1
           WHERE a.status IN ('requested','confirmed','completed','no_show')
             AND b.status IN ('requested','confirmed','completed','no_show')
             AND tstzrange(a.held_from, a.held_until) && tstzrange(b.held_from, b.held_until)""")
    assert overlaps == 0
    # Every booking has a history that starts at its creation and ends in its status.
    bad = await sql.fetch_value(
        """SELECT count(*) FROM booking b WHERE b.status <> (
             SELECT e.to_status FROM booking_event e WHERE e.booking_id = b.id ORDER BY e.at DESC, e.id DESC LIMIT 1)""")
    assert bad == 0
