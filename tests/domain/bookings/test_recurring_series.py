"""Recurring bookings: wall-clock time across DST, all-or-nothing vs skip with exact reasons."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from resourcepool import clock
from resourcepool.accounts.identity import load_identity
from resourcepool.bookings.service import request_booking
from resourcepool.db import sql
from resourcepool.errors import PolicyViolation, SlotUnavailable, ValidationFailed

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2027, 2, 1, 9, 0, tzinfo=timezone.utc)
FIRST = datetime(2027, 3, 2, 18, 0, tzinfo=BERLIN)  # a Tuesday
RULE = "FREQ=WEEKLY;BYDAY=TU;UNTIL=20271130"


async def _series(who, asset_id, on_conflict="fail", rule=RULE):
    with clock.frozen_at(NOW):
        return await request_booking(who, asset_id, FIRST, FIRST + timedelta(hours=2), "Chorprobe",
                                     recurrence=rule, on_conflict=on_conflict)


async def test_a_weekly_series_march_to_november__keeps_18_00_berlin(booked_world):
    world = await booked_world()
    result = await _series(await load_identity(world["booker"].id), world["asset"].id)
    rows = await sql.fetch("SELECT starts_at, ends_at, series_id FROM booking ORDER BY starts_at")
    assert len(rows) == 40 == len(result["bookings"]) and result["skipped"] == []
    assert {r["series_id"] for r in rows} == {result["series"]["id"]}
    for r in rows:
        start, end = r["starts_at"].astimezone(BERLIN), r["ends_at"].astimezone(BERLIN)
        assert (start.weekday(), start.hour, start.minute, end.hour) == (1, 18, 0, 20)
    utc_hours = {r["starts_at"].astimezone(timezone.utc).hour for r in rows}
    assert utc_hours == {16, 17}  # CEST and CET


async def test_skip__books_the_rest_and_lists_exactly_the_clashing_dates(
        booked_world, make_booking, make_closure):
    world = await booked_world()
    clash = FIRST + timedelta(weeks=10)        # 11 May: someone else has the room
    closed = FIRST + timedelta(weeks=30)       # 28 Sep: the house is closed
    await make_booking(asset=world["asset"], organisation=world["third_org"],
                       start=clash + timedelta(hours=1), end=clash + timedelta(hours=3))
    await make_closure(world["asset"], starts_at=closed - timedelta(hours=6),
                       ends_at=closed + timedelta(hours=6), reason="Renovierung")
    who = await load_identity(world["booker"].id)

    with pytest.raises(SlotUnavailable) as info:
        await _series(who, world["asset"].id, "fail")
    assert [(c["start"][:10], c["reason"]) for c in info.value.params["conflicts"]] == [
        ("2027-05-11", "booking"), ("2027-09-28", "closure")]
    assert await sql.fetch_value("SELECT count(*) FROM booking") == 1
    assert await sql.fetch_value("SELECT count(*) FROM booking_series") == 0

    result = await _series(who, world["asset"].id, "skip")
    assert [(s["start"][:10], s["reason"]) for s in result["skipped"]] == [
        ("2027-05-11", "booking"), ("2027-09-28", "closure")]
    assert len(result["bookings"]) == 38
    assert await sql.fetch_value("SELECT count(*) FROM booking WHERE series_id IS NOT NULL") == 38


async def test_outside_opening_hours_dates_are_skipped_with_that_reason(booked_world, make_asset):
    world = await booked_world()
    # Open Tuesdays only until 19:00 from June on is not expressible; use weekdays instead:
    asset = await make_asset(organisation=world["owner"], networks=[world["network"]],
                             opening_hours=[(1, "08:00", "22:00"), (3, "08:00", "12:00")])
    who = await load_identity(world["booker"].id)
    result = await _series(who, asset.id, "skip", rule="FREQ=WEEKLY;BYDAY=TU,TH;COUNT=4")
    assert [s["reason"] for s in result["skipped"]] == ["opening_hours", "opening_hours"]
    assert len(result["bookings"]) == 2


async def test_a_huge_rule__is_refused_and_nothing_is_written(booked_world):
    world = await booked_world()
    who = await load_identity(world["booker"].id)
    with pytest.raises(PolicyViolation) as info:
        await _series(who, world["asset"].id, rule="FREQ=DAILY;COUNT=10000")
    assert info.value.params["rule"] == "recurrence_limit"
    with pytest.raises(ValidationFailed):
        await _series(who, world["asset"].id, rule="FREQ=WEEKLY")
    assert await sql.fetch_value("SELECT count(*) FROM booking") == 0


async def test_a_series_starting_in_the_past_or_too_long__is_refused_as_such(booked_world):
    world = await booked_world(max_duration_minutes=60)
    who = await load_identity(world["booker"].id)
    with pytest.raises(PolicyViolation) as info:
        await _series(who, world["asset"].id)  # 2 hours each, 60 minutes allowed
    assert info.value.params["rule"] == "max_duration"
    with clock.frozen_at(FIRST + timedelta(days=1)):
        with pytest.raises(PolicyViolation) as info:
            await request_booking(who, world["asset"].id, FIRST, FIRST + timedelta(hours=1), "x",
                                  recurrence="FREQ=WEEKLY;COUNT=3")
    assert info.value.params["rule"] == "start_in_past"
    assert await sql.fetch_value("SELECT count(*) FROM booking_series") == 0


async def test_a_pooled_series__counts_units_per_date(booked_world, make_asset, make_booking):
    world = await booked_world()
    tables = await make_asset(organisation=world["owner"], networks=[world["network"]],
                              kind="device", quantity=3)
    await make_booking(asset=tables, organisation=world["third_org"], quantity=2,
                       start=FIRST + timedelta(weeks=1, hours=1), end=FIRST + timedelta(weeks=1, hours=3))
    who = await load_identity(world["booker"].id)
    with clock.frozen_at(NOW):
        two = await request_booking(who, tables.id, FIRST, FIRST + timedelta(hours=2), "Tische",
                                    quantity=2, recurrence="FREQ=WEEKLY;COUNT=3", on_conflict="skip")
        one = await request_booking(who, tables.id, FIRST, FIRST + timedelta(hours=2), "Tische",
                                    quantity=1, recurrence="FREQ=WEEKLY;COUNT=3", on_conflict="skip")
    assert [s["start"][:10] for s in two["skipped"]] == ["2027-03-09"]
    assert len(two["bookings"]) == 2
    # The first series' own units count for the second: weeks 1 and 3 hold 2 + 1 = 3 units;
    # week 2 holds 2 (the other organisation) + 1 = 3.
    assert one["skipped"] == [] and len(one["bookings"]) == 3
    with clock.frozen_at(NOW), pytest.raises(SlotUnavailable):
        await request_booking(who, tables.id, FIRST, FIRST + timedelta(hours=2), "Tische",
                              recurrence="FREQ=WEEKLY;COUNT=3", on_conflict="fail")
