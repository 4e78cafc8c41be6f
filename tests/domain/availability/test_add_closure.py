"""add_closure stores a closure's occurrences as rows at once, within the caps per asset; the
caps hold under concurrent adds; removing a closure removes its rows."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from resourcepool import clock
from resourcepool.accounts.identity import load_identity
from resourcepool.availability import closures, materialise
from resourcepool.db import sql
from resourcepool.errors import PolicyViolation, ValidationFailed

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2027, 1, 1, 9, tzinfo=BERLIN)


@pytest.fixture
async def owner(make_organisation, make_user, make_asset):
    clock.travel(NOW - clock.now())
    org = await make_organisation()
    manager = await make_user(organisation=org, role="manager")
    room = await make_asset(organisation=org, horizon_days=365)
    return {"identity": await load_identity(manager.id), "room": room}


async def rows(asset_id: int) -> list[tuple[datetime, datetime]]:
    return [(r["starts_at"], r["ends_at"]) for r in await sql.fetch(
        "SELECT starts_at, ends_at FROM asset_busy WHERE asset_id = $1 ORDER BY starts_at", asset_id)]


async def test_a_weekly_closure__is_stored_up_to_the_horizon_keeping_its_wall_clock_time(owner):
    made = await closures.add_closure(owner["identity"], owner["room"].id, "2027-01-04T18:00", "2027-01-04T20:00",
                                      "FREQ=WEEKLY;BYDAY=MO", "Jugendgruppe")
    stored = await rows(owner["room"].id)
    target = materialise.target(clock.now(), 365)
    assert len(stored) == 61 and stored[-1][0] < target <= stored[-1][0] + timedelta(days=7)
    assert {(s.astimezone(BERLIN).strftime("%a %H:%M"), e.astimezone(BERLIN).strftime("%H:%M")) for s, e in stored} == {
        ("Mon 18:00", "20:00")}  # across the March and October switches
    until = await sql.fetch_value("SELECT materialised_until FROM closure WHERE id = $1", made["id"])
    assert abs(until - target) < timedelta(seconds=5)


async def test_a_closure_that_ends__is_stored_completely_and_marked_so(owner):
    await closures.add_closure(owner["identity"], owner["room"].id, "2027-01-04T18:00", "2027-01-04T20:00",
                               "FREQ=WEEKLY;UNTIL=20270201")
    assert len(await rows(owner["room"].id)) == 5
    assert await sql.fetch_value("SELECT materialised_until = 'infinity' FROM closure") is True
    assert await materialise.materialise_due() == 0


async def test_a_one_off_closure__is_one_row_and_removing_a_closure_removes_its_rows(owner):
    once = await closures.add_closure(owner["identity"], owner["room"].id, "2027-12-24T00:00", "2027-12-27T00:00")
    weekly = await closures.add_closure(owner["identity"], owner["room"].id, "2027-01-04T18:00",
                                        "2027-01-04T20:00", "FREQ=WEEKLY")
    assert len(await rows(owner["room"].id)) == 62
    await closures.remove_closure(owner["identity"], owner["room"].id, weekly["id"])
    assert await rows(owner["room"].id) == [(once["starts_at"], once["ends_at"])]


async def test_caps__the_201st_closure_and_the_51st_repeating_one_are_refused_and_change_nothing(owner):
    room = owner["room"]
    # 150 one-off and 50 repeating closures, written as the service writes them (faster).
    start = datetime(2027, 2, 1, 22, tzinfo=BERLIN)
    await sql.execute(
        """INSERT INTO closure (asset_id, starts_at, ends_at, reason)
           SELECT $1, $2::timestamptz + i * interval '1 day', $2::timestamptz + i * interval '1 day' + interval '1 hour', ''
           FROM generate_series(0, 149) i""", room.id, start)
    await sql.execute(
        """INSERT INTO closure (asset_id, starts_at, ends_at, rrule, reason, materialised_until)
           SELECT $1, $2::timestamptz + i * interval '1 minute', $2::timestamptz + i * interval '1 minute' + interval '30 minutes',
                  'FREQ=WEEKLY', '', 'infinity'
           FROM generate_series(0, 49) i""", room.id, datetime(2027, 1, 4, 6, tzinfo=BERLIN))
    before = len(await rows(room.id))
    with pytest.raises(PolicyViolation) as refused:
        await closures.add_closure(owner["identity"], room.id, "2027-12-24T00:00", "2027-12-25T00:00")
    assert (refused.value.params["rule"], refused.value.field) == ("closure_limit", "start")
    await sql.execute("DELETE FROM closure WHERE id = (SELECT min(id) FROM closure WHERE rrule IS NULL)")
    with pytest.raises(PolicyViolation) as refused:
        await closures.add_closure(owner["identity"], room.id, "2027-01-04T18:00", "2027-01-04T19:00", "FREQ=WEEKLY")
    assert str(refused.value) == "An asset may have at most 50 repeating closures."
    assert len(await rows(room.id)) == before - 1
    assert await sql.fetch_value("SELECT count(*) FROM closure") == 199


async def test_caps__a_rule_with_more_than_2000_dates_up_to_the_horizon_is_refused(owner):
    with pytest.raises(PolicyViolation) as refused:
        await closures.add_closure(owner["identity"], owner["room"].id, "2020-01-01T06:00", "2020-01-01T07:00",
                                   "FREQ=DAILY")
    assert refused.value.field == "rrule"
    assert str(refused.value).startswith("A repeating closure may have at most 2000 dates until ")
    assert await sql.fetch_value("SELECT count(*) FROM closure") == 0
    assert await rows(owner["room"].id) == []


async def test_caps__hold_when_two_managers_add_the_last_closure_at_once(owner):
    room = owner["room"]
    await sql.execute(
        """INSERT INTO closure (asset_id, starts_at, ends_at, reason)
           SELECT $1, $2::timestamptz + i * interval '1 day', $2::timestamptz + i * interval '1 day' + interval '1 hour', ''
           FROM generate_series(0, 198) i""", room.id, datetime(2027, 2, 1, 22, tzinfo=BERLIN))

    async def add(day: int):
        try:
            return await closures.add_closure(owner["identity"], room.id, f"2027-12-{day:02d}T00:00",
                                              f"2027-12-{day:02d}T02:00")
        except PolicyViolation as exc:
            return exc

    results = await asyncio.gather(add(1), add(2), add(3))
    assert sum(isinstance(r, PolicyViolation) for r in results) == 2
    assert await sql.fetch_value("SELECT count(*) FROM closure") == 200


async def test_a_rule_the_closure_dialect_does_not_take__is_refused_on_the_rrule_field(owner):
    for rule in ("FREQ=HOURLY", "FREQ=DAILY;BYHOUR=3", "FREQ=WEEKLY;BYDAY=MO;COUNT=0"):
        with pytest.raises(ValidationFailed) as refused:
            await closures.add_closure(owner["identity"], owner["room"].id, "2027-01-04T18:00",
                                       "2027-01-04T20:00", rule)
        assert refused.value.field == "rrule"
    assert await sql.fetch_value("SELECT count(*) FROM closure") == 0
