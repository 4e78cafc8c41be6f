"""An asset holding the most it may (200 closures, 50 of them repeating with 20,000 dates, an
external calendar with 10,000 busy times) is answered like a plain one: availability, the week
calendar, the search and the booking service read stored rows — no RRULE is expanded per
request — in as many statements as for a plain asset."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from resourcepool import clock, rrules
from resourcepool.accounts.identity import load_identity
from resourcepool.availability import materialise, rules
from resourcepool.availability.external import replace_external_busy
from resourcepool.availability.rules import Interval
from resourcepool.availability.search import SearchParams, search_assets
from resourcepool.availability.service import get_availability, week_calendar
from resourcepool.bookings.service import request_booking
from resourcepool.db import sql
from resourcepool.db.engine import DB
from resourcepool.errors import SlotUnavailable

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2027, 1, 1, 9, tzinfo=BERLIN)
MONDAY = datetime(2027, 3, 8, tzinfo=BERLIN)
DAILY_8_22 = [(d, "08:00", "22:00") for d in range(7)]


@pytest.fixture
async def world(make_network, make_organisation, make_user, make_asset):
    clock.travel(NOW - clock.now())
    network = await make_network()
    owner = await make_organisation(network=network)
    booker = await make_organisation(network=network)
    guest = await make_user(organisation=booker)
    common = {"organisation": owner, "opening_hours": DAILY_8_22, "lead_time_minutes": 0, "horizon_days": 365}
    plain = await make_asset(title="Saal schlicht", **common)
    capped = await make_asset(title="Saal voll", **common)
    # 150 one-off closures at night, 50 daily ones of 400 dates each (06:00, before opening).
    await sql.execute(
        """INSERT INTO closure (asset_id, starts_at, ends_at, reason)
           SELECT $1, $2::timestamptz + i * interval '1 day', $2::timestamptz + i * interval '1 day' + interval '1 hour', ''
           FROM generate_series(0, 149) i""", capped.id, datetime(2027, 1, 2, 22, 30, tzinfo=BERLIN))
    # Their 20,000 dates are written here in SQL, as the materialiser would (local wall clock).
    await sql.execute(
        """WITH c AS (
               INSERT INTO closure (asset_id, starts_at, ends_at, rrule, reason, materialised_until)
               SELECT $1, ('2026-09-01 06:00'::timestamp + i * interval '1 minute') AT TIME ZONE 'Europe/Berlin',
                      ('2026-09-01 06:20'::timestamp + i * interval '1 minute') AT TIME ZONE 'Europe/Berlin',
                      'FREQ=DAILY;COUNT=400', '', 'infinity'
               FROM generate_series(0, 49) i RETURNING id, starts_at)
           INSERT INTO asset_busy (asset_id, starts_at, ends_at, closure_id)
           SELECT $1, ((c.starts_at AT TIME ZONE 'Europe/Berlin') + d * interval '1 day') AT TIME ZONE 'Europe/Berlin',
                  ((c.starts_at AT TIME ZONE 'Europe/Berlin') + d * interval '1 day' + interval '20 minutes')
                      AT TIME ZONE 'Europe/Berlin', c.id
           FROM c CROSS JOIN generate_series(0, 399) d""", capped.id)
    async with DB.transaction():
        calendar_id = await sql.fetch_value(
            "INSERT INTO external_calendar (asset_id, source) VALUES ($1, 'file') RETURNING id", capped.id)
        # 10,000 busy times: five minutes before every full hour, day and night.
        base = NOW.astimezone(timezone.utc)
        busy = [Interval(base + timedelta(hours=h, minutes=55), base + timedelta(hours=h + 1)) for h in range(10_000)]
        await replace_external_busy(capped.id, calendar_id, busy)
    counts = await sql.fetch_one(
        """SELECT count(*) FILTER (WHERE source = 'closure') AS closure, count(*) FILTER (WHERE source = 'external') AS external
           FROM asset_busy WHERE asset_id = $1""", capped.id)
    assert (counts["closure"], counts["external"]) == (150 + 50 * 400, 10_000)
    return {"guest": await load_identity(guest.id), "plain": plain, "capped": capped, "network": network}


@pytest.fixture
def no_rrule_expansion(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("an RRULE was expanded while answering a request")

    monkeypatch.setattr(rules, "closure_occurrences", refuse)
    monkeypatch.setattr(rrules, "rrule_dates", refuse)
    monkeypatch.setattr(materialise, "closure_occurrences", refuse)


@pytest.fixture
def statements(monkeypatch):
    counted = {"n": 0}
    for name in ("fetch", "execute"):
        original = getattr(sql, name)

        async def counting(query, *args, _original=original, **kwargs):
            counted["n"] += 1
            return await _original(query, *args, **kwargs)

        monkeypatch.setattr(sql, name, counting)
    return counted


async def _count(statements, work) -> tuple[int, object]:
    statements["n"] = 0
    result = await work()
    return statements["n"], result


async def test_availability_the_week_and_the_search__read_rows_in_as_many_statements_as_for_a_plain_asset(
        world, no_rrule_expansion, statements):
    week_end = MONDAY + timedelta(days=7)
    plain_n, _ = await _count(statements, lambda: get_availability(world["guest"], world["plain"].id, MONDAY, week_end))
    capped_n, result = await _count(statements, lambda: get_availability(world["guest"], world["capped"].id, MONDAY, week_end))
    assert capped_n == plain_n == 2
    sources = {b.source for b in result.busy}
    assert sources == {"closed", "external"}  # the closures lie outside the opening hours
    assert len([b for b in result.busy if b.source == "external"]) == 7 * 14  # 08:55–09:00 … 21:55–22:00
    calendar = await week_calendar(world["guest"], world["capped"].id, MONDAY.date(), "Europe/Berlin")
    assert {c.state for row in calendar.rows for c in row.cells} == {"free", "external"}

    tuesday = MONDAY + timedelta(days=1)
    params = SearchParams(network=world["network"].slug, free_from=tuesday.replace(hour=10),
                          free_to=tuesday.replace(hour=10, minute=50))
    n, found = await _count(statements, lambda: search_assets(world["guest"], params))
    assert {i.id for i in found.items} == {world["plain"].id, world["capped"].id}
    assert n == 2  # the zones, the statement: nothing flagged, nothing decided in Python
    busy = SearchParams(network=world["network"].slug, free_from=tuesday.replace(hour=10),
                        free_to=tuesday.replace(hour=11))
    assert [i.id for i in (await search_assets(world["guest"], busy)).items] == [world["plain"].id]


async def test_booking__is_decided_from_rows_and_names_the_clash(world, no_rrule_expansion, statements):
    start = MONDAY.replace(hour=10)
    plain_n, _ = await _count(statements, lambda: request_booking(
        world["guest"], world["plain"].id, start, start + timedelta(minutes=30), "Probe"))
    capped_n, _ = await _count(statements, lambda: request_booking(
        world["guest"], world["capped"].id, start, start + timedelta(minutes=30), "Probe"))
    assert capped_n == plain_n
    with pytest.raises(SlotUnavailable) as refused:
        await request_booking(world["guest"], world["capped"].id, start.replace(hour=11),
                              start.replace(hour=12), "Probe")
    assert refused.value.params["conflicts"][0]["source"] == "external"
    series = await request_booking(world["guest"], world["capped"].id, start.replace(hour=14),
                                   start.replace(hour=14, minute=30), "Probe", recurrence="FREQ=WEEKLY;COUNT=20")
    assert len(series["bookings"]) == 20
