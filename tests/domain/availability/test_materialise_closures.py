"""Stored closure occurrences move on with time (the worker job, safe side by side), and a
reader that finds them short — the horizon grew, rows written outside the services — stores
them first, so no answer rests on missing rows."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from resourcepool import clock
from resourcepool.accounts.identity import load_identity
from resourcepool.availability import closures, materialise
from resourcepool.availability.service import get_availability
from resourcepool.bookings.service import request_booking
from resourcepool.db import sql
from resourcepool.errors import PolicyViolation

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2027, 1, 1, 9, tzinfo=BERLIN)


@pytest.fixture
async def world(make_network, make_organisation, make_user, make_asset):
    clock.travel(NOW - clock.now())
    network = await make_network()
    owner = await make_organisation(network=network)
    booker = await make_organisation(network=network)
    manager = await make_user(organisation=owner, role="manager")
    guest = await make_user(organisation=booker)
    room = await make_asset(organisation=owner, horizon_days=30, lead_time_minutes=0)
    return {"owner": await load_identity(manager.id), "guest": await load_identity(guest.id), "room": room}


async def starts(asset_id: int) -> list[datetime]:
    return [r["starts_at"] for r in await sql.fetch(
        "SELECT starts_at FROM asset_busy WHERE asset_id = $1 ORDER BY starts_at", asset_id)]


async def test_as_time_passes__two_workers_extend_the_rows_once(world):
    await closures.add_closure(world["owner"], world["room"].id, "2027-01-04T18:00", "2027-01-04T20:00", "FREQ=WEEKLY")
    assert len(await starts(world["room"].id)) == 13  # Mondays up to 30 + 62 days ahead
    assert await materialise.materialise_due() == 0  # nothing due yet
    clock.travel(timedelta(days=100))
    done = await asyncio.gather(materialise.materialise_due(), materialise.materialise_due())
    assert sorted(done) in ([0, 1], [1, 1])  # the second found it done, or skipped the locked asset
    stored = await starts(world["room"].id)
    target = materialise.target(clock.now(), 30)
    assert len(stored) == len(set(stored)) == 27  # Mondays from 4 January up to the target
    assert target - timedelta(days=7) <= stored[-1] < target


async def test_a_grown_horizon__is_covered_before_a_booking_is_decided(world):
    await closures.add_closure(world["owner"], world["room"].id, "2027-01-04T18:00", "2027-01-04T20:00", "FREQ=WEEKLY")
    await sql.execute("UPDATE asset SET horizon_days = 365 WHERE id = $1", world["room"].id)
    far = datetime(2027, 11, 1, 18, 30, tzinfo=BERLIN)  # a Monday, beyond the rows stored so far
    with pytest.raises(PolicyViolation) as refused:
        await request_booking(world["guest"], world["room"].id, far, far + timedelta(hours=1), "Probe")
    assert refused.value.params["rule"] == "closure"
    # The refusal rolled its transaction back, rows included; availability stores them for good.
    week = await get_availability(world["guest"], world["room"].id, far - timedelta(days=1), far + timedelta(days=6))
    assert [(b.start, b.source) for b in week.busy] == [(far - timedelta(minutes=30), "closure")]
    assert far - timedelta(minutes=30) in await starts(world["room"].id)


async def test_rows_written_outside_the_services__are_stored_when_first_read(world):
    # As the demo and `admin generate` write them: the closure row alone.
    await sql.execute(
        """INSERT INTO closure (asset_id, starts_at, ends_at, rrule, reason)
           VALUES ($1, $2, $3, 'FREQ=WEEKLY;BYDAY=TU', 'Grundreinigung')""",
        world["room"].id, datetime(2027, 1, 5, 16, tzinfo=BERLIN), datetime(2027, 1, 5, 18, tzinfo=BERLIN))
    monday = datetime(2027, 1, 11, tzinfo=BERLIN)
    result = await get_availability(world["guest"], world["room"].id, monday, monday + timedelta(days=7))
    assert [(b.start.astimezone(BERLIN).strftime("%a %H:%M"), b.source) for b in result.busy] == [("Tue 16:00", "closure")]
    tuesday = datetime(2027, 1, 19, 16, 30, tzinfo=BERLIN)
    with pytest.raises(PolicyViolation):
        await request_booking(world["guest"], world["room"].id, tuesday, tuesday + timedelta(hours=1), "Probe")


async def test_a_stored_rule_that_cannot_be_read__gives_no_rows_and_stops_being_due(world, caplog):
    await sql.execute(
        """INSERT INTO closure (asset_id, starts_at, ends_at, rrule, reason)
           VALUES ($1, $2, $3, 'FREQ=SOMETIMES', '')""",
        world["room"].id, datetime(2027, 1, 5, 16, tzinfo=BERLIN), datetime(2027, 1, 5, 18, tzinfo=BERLIN))
    assert await materialise.materialise_due() == 1
    assert await starts(world["room"].id) == []
    assert await materialise.materialise_due() == 0
    assert "cannot be read" in caplog.text
