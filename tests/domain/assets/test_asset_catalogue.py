"""`asset_catalogue` (the search's narrow copy of each asset, migration m0018) follows every change.

Triggers keep it in step with asset, opening_hours and asset_network; these tests change assets
through the services (and by plain SQL, as COPY and factories do) and compare the copy with a
recomputation from its sources, and `open_week` with the pure rules' `week_minutes`.
"""

from __future__ import annotations

import pytest

from resourcepool.accounts.identity import load_identity
from resourcepool.assets import hours, service
from resourcepool.availability.rules import WeeklyHours, week_minutes
from resourcepool.db import sql

RECOMPUTED = """
    SELECT a.id AS asset_id, a.status, a.quantity, a.kind, a.timezone,
           coalesce((SELECT array_agg(an.network_id ORDER BY an.network_id) FROM asset_network an
                     WHERE an.asset_id = a.id), '{}') AS network_ids,
           a.organisation_id, a.capacity, a.buffer_before_minutes, a.buffer_after_minutes,
           lower(a.title) AS title_key, lower(a.district) AS district_key, a.accessibility
    FROM asset a ORDER BY a.id"""
COPIED = """
    SELECT asset_id, status, quantity, kind, timezone, network_ids, organisation_id, capacity,
           buffer_before_minutes, buffer_after_minutes, title_key, district_key, accessibility
    FROM asset_catalogue ORDER BY asset_id"""


async def _assert_in_step() -> None:
    assert await sql.fetch(COPIED) == await sql.fetch(RECOMPUTED)
    for row in await sql.fetch("SELECT asset_id, open_week::text AS week FROM asset_catalogue"):
        stored = await sql.fetch(
            "SELECT weekday, start_minute, end_minute FROM opening_hours WHERE asset_id = $1", row["asset_id"])
        expected = week_minutes([WeeklyHours(h["weekday"], h["start_minute"], h["end_minute"]) for h in stored])
        assert row["week"] == "{" + ",".join(f"[{lo},{hi})" for lo, hi in expected) + "}", row["asset_id"]


@pytest.fixture
async def owner(make_network, make_organisation, make_user):
    network = await make_network(slug="erstes")
    second = await make_network(slug="zweites")
    org = await make_organisation(network=network)
    await sql.execute("""INSERT INTO network_organisation (network_id, organisation_id, status, decided_at)
                         VALUES ($1, $2, 'verified', now())""", second.id, org.id)
    manager = await make_user(organisation=org, role="manager")
    return await load_identity(manager.id), org


async def test_asset_catalogue__follows_creating_and_changing_assets_through_the_services(owner):
    identity, org = owner
    room = await service.create_asset(identity, {
        "organisation_id": org.id, "kind": "room", "title": "Großer Saal", "capacity": 80, "district": "Mitte",
        "accessibility": ["step_free"],
        "opening_hours": [(0, "08:00", "12:00"), (0, "12:00", "22:00"), (6, "20:00", "24:00"), (0, "00:00", "02:00")]})
    await _assert_in_step()
    await service.update_asset(identity, room["id"], {
        "title": "Saal St. Antonius", "capacity": 120, "status": "paused", "buffer_before_minutes": 30,
        "networks": ["zweites", "erstes"], "opening_hours": [(2, "09:00", "17:00")]})
    await _assert_in_step()
    await hours.set_opening_hours(identity, room["id"], [])
    await _assert_in_step()
    await service.update_asset(identity, room["id"], {"networks": ["zweites"], "district": "Süd"})
    await _assert_in_step()
    tables = await service.create_asset(identity, {"organisation_id": org.id, "kind": "device", "title": "Tische",
                                                   "quantity": 10, "status": "draft"})
    await service.update_asset(identity, tables["id"], {"quantity": 4, "status": "active"})
    await service.retire_asset(identity, room["id"])
    await _assert_in_step()


async def test_asset_catalogue__follows_plain_sql_writes_and_deletes(owner, make_asset):
    _, org = owner
    asset = await make_asset(organisation=org, opening_hours=[(d, "07:00", "23:00") for d in range(7)])
    await _assert_in_step()
    await sql.execute("UPDATE opening_hours SET end_minute = 1440 WHERE asset_id = $1 AND weekday = 6", asset.id)
    await sql.execute("UPDATE asset SET timezone = 'America/New_York', kind = 'device', capacity = NULL WHERE id = $1",
                      asset.id)
    await sql.execute("DELETE FROM opening_hours WHERE asset_id = $1 AND weekday < 3", asset.id)
    await _assert_in_step()
    await sql.execute("DELETE FROM asset WHERE id = $1", asset.id)
    assert await sql.fetch_value("SELECT count(*) FROM asset_catalogue") == 0
