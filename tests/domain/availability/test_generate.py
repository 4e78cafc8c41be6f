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
