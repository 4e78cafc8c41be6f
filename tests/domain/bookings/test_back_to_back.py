"""Bookings are half-open, [start, end): one that only touches another does not clash with it.

Inside a series the in-application check (`_clashes`) decides from the holds read once plus the
occurrences already written — back to back they must all fit, on a single unit and in a pool.
And a refusal's `conflicts` names only the bookings that overlap, not the ones that touch.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from resourcepool import clock
from resourcepool.accounts.identity import load_identity
from resourcepool.bookings.service import request_booking
from resourcepool.db import sql
from resourcepool.errors import SlotUnavailable

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2027, 2, 1, 9, 0, tzinfo=timezone.utc)
FIRST = datetime(2027, 2, 8, 10, 0, tzinfo=BERLIN)  # a Monday, far from the DST switches


async def _holds(asset_id: int) -> list[tuple[datetime, datetime, int]]:
    rows = await sql.fetch("SELECT starts_at, ends_at, quantity FROM booking WHERE asset_id = $1 "
                           "AND status IN ('requested', 'confirmed') ORDER BY starts_at", asset_id)
    return [(r["starts_at"], r["ends_at"], r["quantity"]) for r in rows]


@pytest.mark.parametrize("quantity, units", [(1, 1), (3, 3)], ids=["single unit", "pool of three, all units"])
async def test_a_series_of_back_to_back_days__books_every_occurrence(booked_world, make_asset, quantity, units):
    world = await booked_world()
    asset = await make_asset(organisation=world["owner"], networks=[world["network"]], kind="device",
                             quantity=quantity, max_duration_minutes=1440)
    who = await load_identity(world["booker"].id)
    with clock.frozen_at(NOW):
        # 24 hours each, every day: each occurrence ends exactly when the next one starts.
        result = await request_booking(who, asset.id, FIRST, FIRST + timedelta(days=1), "Ausstellung",
                                       quantity=units, recurrence="FREQ=DAILY;COUNT=4", on_conflict="fail")
    assert result["skipped"] == [] and len(result["bookings"]) == 4
    assert await _holds(asset.id) == [(FIRST + timedelta(days=d), FIRST + timedelta(days=d + 1), units)
                                      for d in range(4)]


@pytest.mark.parametrize("quantity", [1, 2], ids=["single unit", "pool of two"])
async def test_a_series__fits_between_bookings_that_touch_its_occurrences(booked_world, make_asset, make_booking,
                                                                          quantity):
    world = await booked_world()
    asset = await make_asset(organisation=world["owner"], networks=[world["network"]], kind="device",
                             quantity=quantity)
    for week in range(3):
        day = FIRST + timedelta(weeks=week)
        await make_booking(asset, organisation=world["third_org"], quantity=quantity,
                           start=day - timedelta(hours=2), end=day)                       # ends at our start
        await make_booking(asset, organisation=world["third_org"], quantity=quantity,
                           start=day + timedelta(hours=2), end=day + timedelta(hours=4))  # starts at our end
    who = await load_identity(world["booker"].id)
    with clock.frozen_at(NOW):
        result = await request_booking(who, asset.id, FIRST, FIRST + timedelta(hours=2), "Chor",
                                       quantity=quantity, recurrence="FREQ=WEEKLY;COUNT=3", on_conflict="fail")
    assert result["skipped"] == [] and len(result["bookings"]) == 3


@pytest.mark.parametrize("quantity", [1, 2], ids=["single unit", "pool of two"])
async def test_the_conflicts_of_a_refusal__leave_out_bookings_that_only_touch(booked_world, make_asset, make_booking,
                                                                             api_as, quantity):
    world = await booked_world()
    asset = await make_asset(organisation=world["owner"], networks=[world["network"]], kind="device",
                             quantity=quantity)
    start = datetime(2027, 2, 8, 10, 0, tzinfo=BERLIN)
    touching = [(start - timedelta(hours=1), start), (start + timedelta(hours=2), start + timedelta(hours=3))]
    overlapping = (start + timedelta(minutes=30), start + timedelta(hours=1))
    for begin, end in [*touching, overlapping]:
        await make_booking(asset, organisation=world["third_org"], quantity=quantity, start=begin, end=end)
    before = await _holds(asset.id)
    who = await load_identity(world["booker"].id)

    with clock.frozen_at(NOW), pytest.raises(SlotUnavailable) as refused:
        await request_booking(who, asset.id, start, start + timedelta(hours=2), "Probe", quantity=quantity)
    assert refused.value.params["conflicts"] == [
        {"start": overlapping[0].isoformat(), "end": overlapping[1].isoformat()}]

    with clock.frozen_at(NOW):
        response = await (await api_as(world["booker"])).post("/api/v1/bookings", json={
            "asset_id": asset.id, "start": start.isoformat(), "end": (start + timedelta(hours=2)).isoformat(),
            "purpose": "Probe", "quantity": quantity})
    assert response.status_code == 409 and response.json()["code"] == "slot_unavailable"
    assert response.json()["conflicts"] == [{"start": overlapping[0].isoformat(), "end": overlapping[1].isoformat()}]
    assert await _holds(asset.id) == before
