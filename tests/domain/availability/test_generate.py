"""The benchmark data generator writes consistent data with COPY (small run)."""

from __future__ import annotations

from resourcepool.assets.generate import generate
from resourcepool.db import sql


async def test_generate__writes_assets_and_non_overlapping_bookings(app):
    report = await generate(60, 3000, networks=2, seed=7, say=lambda _: None)
    assert report.counts["bookings"] == 3000
    assert await sql.fetch_value("SELECT count(*) FROM asset") == 60
    assert await sql.fetch_value("SELECT count(*) FROM booking") == 3000
    statuses = {r["status"] for r in await sql.fetch("SELECT DISTINCT status FROM booking")}
    assert {"completed", "confirmed", "cancelled", "requested"} <= statuses
    # Never more units held than the asset has (for quantity 1 the constraint guarantees it too).
    overlaps = await sql.fetch_value(
        """SELECT count(*) FROM booking a JOIN booking b ON a.asset_id = b.asset_id AND a.id < b.id
           AND tstzrange(a.held_from, a.held_until, '[)') && tstzrange(b.held_from, b.held_until, '[)')""")
    assert overlaps == 0
    assert await sql.fetch_value("SELECT count(*) FROM opening_hours") > 0
    # Rooms carry their default 15 minutes after, and held spans include them.
    assert await sql.fetch_value(
        """SELECT bool_and(b.held_until = b.ends_at + interval '15 minutes') FROM booking b
           JOIN asset a ON a.id = b.asset_id WHERE a.kind = 'room'""")
    # The search's copy is filled in by the triggers, COPY included.
    assert await sql.fetch_value("SELECT count(*) FROM asset_catalogue WHERE network_ids <> '{}'") == 60
    assert await sql.fetch_value(
        """SELECT count(DISTINCT c.asset_id) FROM asset_catalogue c JOIN opening_hours h ON h.asset_id = c.asset_id
           WHERE c.open_week = int4multirange(int4range(0, 20160))""") == 0
