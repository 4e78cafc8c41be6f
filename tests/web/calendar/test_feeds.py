"""Feeds: what a subscribed calendar shows, read by two independent parsers; DST; changes
raise SEQUENCE; cancelled bookings stay as CANCELLED for 30 days; conditional requests."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from resourcepool import clock
from resourcepool.accounts.identity import load_identity
from resourcepool.bookings import lifecycle
from resourcepool.bookings.service import request_booking
from resourcepool.db import sql
from tests.calendar_support import parse_both

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 10, 1, 9, 0, tzinfo=BERLIN)


async def _weekly_series(world) -> dict:
    """Tuesdays 18:00–20:00 Berlin from 20 October 2026 to 6 April 2027: across the October
    (25 Oct) and March (28 Mar) switches."""
    who = await load_identity(world["booker"].id)
    start = datetime(2026, 10, 20, 18, 0, tzinfo=BERLIN)
    return await request_booking(who, world["asset"].id, start, start + timedelta(hours=2),
                                 "Chorprobe", recurrence="FREQ=WEEKLY;UNTIL=20270406T220000Z")


async def test_a_weekly_series_across_both_switches__is_at_18_00_local_on_every_date(
        booked_world, subscribe, read_feed):
    world = await booked_world()
    with clock.frozen_at(NOW):
        series = await _weekly_series(world)
        path = await subscribe(world["booker"], "asset", world["asset"].id)
        response = await read_feed(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    method, events = parse_both(response.content)
    assert method is None  # a feed publishes; it invites nobody
    assert len(events) == len(series["bookings"]) == 25
    dates = [e.start.date() for e in events]
    assert date(2026, 10, 20) in dates and date(2026, 10, 27) in dates  # either side of October
    assert date(2027, 3, 23) in dates and date(2027, 3, 30) in dates  # either side of March
    for event in events:
        local = event.start.astimezone(BERLIN)
        assert (local.hour, local.minute) == (18, 0), event
        assert event.end - event.start == timedelta(hours=2)
        assert event.tzid == "Europe/Berlin" and event.status == "CONFIRMED"
    # Each occurrence is its own event with its own stable UID.
    assert len({e.uid for e in events}) == 25
    assert all(e.uid.startswith("booking-") and e.uid.endswith("@testserver") for e in events)
    text = response.text
    assert "BEGIN:VTIMEZONE" in text and "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3" in text
    assert "DTSTART;TZID=Europe/Berlin:20261027T180000" in text


async def test_cancelling_one_occurrence__keeps_it_cancelled_with_a_higher_sequence(
        booked_world, subscribe, read_feed):
    world = await booked_world()
    with clock.frozen_at(NOW):
        series = await _weekly_series(world)
        path = await subscribe(world["booker"], "asset", world["asset"].id)
        _, before = parse_both((await read_feed(path)).content)
        second = series["bookings"][1]
        await lifecycle.cancel_booking(await load_identity(world["booker"].id), second["id"], "Ferien")
        _, after = parse_both((await read_feed(path)).content)
    old = {e.uid: e for e in before}
    new = {e.uid: e for e in after}
    assert old.keys() == new.keys()  # still there, so subscribed clients remove it
    changed = [uid for uid in new if new[uid] != old[uid]]
    assert len(changed) == 1
    cancelled = new[changed[0]]
    assert cancelled.uid == f"booking-{second['id']}@testserver"
    assert cancelled.status == "CANCELLED"
    assert cancelled.sequence > old[changed[0]].sequence
    assert [e.status for e in after].count("CONFIRMED") == 24


async def test_a_cancelled_booking__leaves_the_feed_30_days_after_the_change(
        booked_world, make_booking, subscribe, read_feed):
    world = await booked_world()
    start = clock.now() + timedelta(days=60)
    booking = await make_booking(asset=world["asset"], organisation=world["booker_org"],
                                 user=world["booker"], start=start, status="confirmed")
    await lifecycle.cancel_booking(await load_identity(world["booker"].id), booking.id)
    path = await subscribe(world["booker"], "user")
    _, events = parse_both((await read_feed(path)).content)
    assert [e.status for e in events] == ["CANCELLED"]
    with clock.frozen_at(clock.now() + timedelta(days=31)):
        _, events = parse_both((await read_feed(path)).content)
    assert events == []


async def test_conditional_requests__get_304_until_a_booking_changes(
        booked_world, make_booking, subscribe, read_feed):
    world = await booked_world()
    booking = await make_booking(asset=world["asset"], organisation=world["booker_org"],
                                 user=world["booker"])
    path = await subscribe(world["manager"], "organisation", world["owner"].id)
    first = await read_feed(path)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert first.headers["cache-control"] == "private, no-cache"
    again = await read_feed(path, **{"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert (await read_feed(path, **{"If-Modified-Since": modified})).status_code == 304
    # Another request body is identical: the same ETag, the same bytes.
    assert (await read_feed(path)).content == first.content

    await lifecycle.cancel_booking(await load_identity(world["manager"].id), booking.id, "Wasserschaden")
    changed = await read_feed(path, **{"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    _, events = parse_both(changed.content)
    assert [e.status for e in events] == ["CANCELLED"]


async def test_the_organisation_feed__has_its_bookings_as_booker_and_as_owner(
        booked_world, make_asset, make_booking, subscribe, read_feed):
    world = await booked_world()
    theirs = await make_asset(organisation=world["third_org"], networks=[world["network"]], title="Gartenhaus")
    as_owner = await make_booking(asset=world["asset"], organisation=world["third_org"],
                                  user=world["third"], purpose="Sommerfest")
    as_booker = await make_booking(asset=theirs, organisation=world["owner"], user=world["manager"],
                                   start=clock.now() + timedelta(days=3), purpose="Ausflug")
    await make_booking(asset=theirs, organisation=world["booker_org"], user=world["booker"],
                       start=clock.now() + timedelta(days=5), purpose="Nicht unseres")
    path = await subscribe(world["owner_member"], "organisation", world["owner"].id)
    _, events = parse_both((await read_feed(path)).content)
    assert sorted(e.uid for e in events) == sorted(
        f"booking-{b.id}@testserver" for b in (as_owner, as_booker))
    assert {e.summary for e in events} == {f"{world['asset'].title}: Sommerfest", "Gartenhaus: Ausflug"}


async def test_a_request__is_tentative_and_marked_as_such(booked_world, make_booking, subscribe, read_feed):
    world = await booked_world()
    await make_booking(asset=world["asset"], organisation=world["booker_org"], user=world["booker"],
                       status="requested", purpose="Probe")
    path = await subscribe(world["booker"], "user")
    _, events = parse_both((await read_feed(path)).content)
    assert [(e.status, e.summary) for e in events] == [("TENTATIVE", f"{world['asset'].title}: Probe (Anfrage)")]
    assert "Gebucht von: Jugendtreff" in events[0].description  # the reader's language (default German)


async def test_the_feed_speaks_its_users_language(booked_world, make_booking, subscribe, read_feed):
    world = await booked_world()
    await sql.execute("UPDATE app_user SET locale = 'en' WHERE id = $1", world["booker"].id)
    await make_booking(asset=world["asset"], organisation=world["booker_org"], user=world["booker"])
    path = await subscribe(world["booker"], "user")
    _, events = parse_both((await read_feed(path)).content)
    assert "Booked by: Jugendtreff" in events[0].description
    assert "X-WR-CALNAME:resourcepool: My bookings" in (await read_feed(path)).text
