"""Reminders before the start: once per booking and user, even with two loops at once; at the
lead each user chose (24 h by default, 2 h, or none)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from resourcepool import clock
from resourcepool.bookings.reminders import run_reminders_forever, send_due_reminders
from resourcepool.db import sql
from resourcepool.notifications.preferences import Preferences, save_preferences
from tests.calendar_support import parse_both


async def _booking(make_booking, world, user, hours_ahead: float, status: str = "confirmed", n: int = 0):
    start = (clock.now() + timedelta(hours=hours_ahead)).replace(second=0, microsecond=0) + timedelta(minutes=3 * n)
    booking = await make_booking(asset=world["asset"], organisation=world["booker_org"], user=user,
                                 start=start, end=start + timedelta(minutes=2), status=status)
    # Booked well before the reminder lead (a booking made within it gets none).
    await sql.execute("UPDATE booking SET created_at = $2 WHERE id = $1", booking.id,
                      clock.now() - timedelta(days=3))
    return booking


async def test_two_loops_at_once__send_each_reminder_once(booked_world, make_booking):
    world = await booked_world()
    bookings = [await _booking(make_booking, world, world["booker"], 20, n=n) for n in range(12)]
    sent = await asyncio.gather(*(send_due_reminders(limit=5) for _ in range(4)))
    while await send_due_reminders(limit=5):
        pass
    rows = await sql.fetch("SELECT to_address, subject, ics_method, ics FROM outbox_message")
    assert len(rows) == len(bookings) == 12
    assert sum(sent) <= 12
    assert await sql.fetch_value("SELECT count(*) FROM booking_reminder") == 12
    assert all(r["to_address"] == world["booker"].email and r["ics_method"] == "REQUEST" for r in rows)
    assert rows[0]["subject"].startswith("Erinnerung: ")
    method, [event] = parse_both(rows[0]["ics"])
    assert method == "REQUEST" and event.status == "CONFIRMED"
    # And once more, later: nothing new.
    assert await send_due_reminders() == 0


async def test_two_running_reminder_loops__remind_once(booked_world, make_booking):
    world = await booked_world()
    await _booking(make_booking, world, world["booker"], 10)
    loops = [asyncio.create_task(run_reminders_forever(interval=0.01)) for _ in range(2)]
    await asyncio.sleep(0.5)
    for loop in loops:
        loop.cancel()
    await asyncio.gather(*loops, return_exceptions=True)
    assert await sql.fetch_value("SELECT count(*) FROM outbox_message") == 1


async def test_each_user_gets_the_reminder_at_their_chosen_lead(booked_world, make_booking):
    world = await booked_world()
    await save_preferences(world["booker_colleague"].id, Preferences(reminder_minutes=120))
    await save_preferences(world["booker_manager"].id, Preferences(reminder_minutes=0))
    await _booking(make_booking, world, world["booker"], 23)
    early = await _booking(make_booking, world, world["booker_colleague"], 23, n=1)
    await _booking(make_booking, world, world["booker_manager"], 23, n=2)
    await _booking(make_booking, world, world["booker"], 23, status="cancelled", n=3)
    assert await send_due_reminders() == 1  # the 24-hour one only
    with clock.frozen_at(early.start - timedelta(hours=2, minutes=-1)):
        assert await send_due_reminders() == 1  # the 2-hour one, now
    with clock.frozen_at(early.start - timedelta(minutes=30)):
        assert await send_due_reminders() == 0  # "none" stays none, and nothing twice
    addresses = await sql.fetch("SELECT to_address FROM outbox_message ORDER BY id")
    assert [a["to_address"] for a in addresses] == [world["booker"].email, world["booker_colleague"].email]


async def test_a_booking_made_within_the_lead__gets_no_reminder(booked_world, make_booking):
    world = await booked_world()
    start = clock.now() + timedelta(hours=5)
    await make_booking(asset=world["asset"], organisation=world["booker_org"], user=world["booker"],
                       start=start, end=start + timedelta(hours=1))
    assert await send_due_reminders() == 0
