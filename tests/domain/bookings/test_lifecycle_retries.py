"""Lifecycle transitions run again as a whole after a deadlock or serialisation failure, and
the failed attempt leaves nothing behind."""

from __future__ import annotations

from datetime import timedelta

import asyncpg
import pytest

from resourcepool import clock
from resourcepool.accounts.identity import load_identity
from resourcepool.bookings import hooks, lifecycle
from resourcepool.bookings.sweeper import sweep_once
from resourcepool.db import sql
from tests.fixtures.bookings import tomorrow_at


def fail_once(monkeypatch, name, error):
    """Make hook `name` raise `error` the first time (after the transition wrote its rows)."""
    calls = []

    async def hook(*args):
        calls.append(args)
        if len(calls) == 1:
            raise error

    monkeypatch.setattr(hooks, name, hook)
    return calls


async def _run(action, world, booking):
    manager = await load_identity(world["manager"].id)
    booker = await load_identity(world["booker"].id)
    if action == "approve":
        await lifecycle.approve_booking(manager, booking.id)
    elif action == "decline":
        await lifecycle.decline_booking(manager, booking.id, "Belegt")
    elif action == "cancel":
        await lifecycle.cancel_booking(booker, booking.id)
    elif action == "no_show":
        with clock.frozen_at(booking.start + timedelta(minutes=5)):
            await lifecycle.mark_no_show(manager, booking.id)
    else:
        with clock.frozen_at(booking.end):
            await sweep_once()


CASES = {  # action: (initial state, hook, final state)
    "approve": ("requested", "on_confirmed", "confirmed"),
    "decline": ("requested", "on_released", "declined"),
    "cancel": ("confirmed", "on_released", "cancelled"),
    "no_show": ("confirmed", "on_no_show", "no_show"),
    "complete": ("confirmed", "on_completed", "completed"),
}


@pytest.mark.parametrize("error", [asyncpg.DeadlockDetectedError, asyncpg.SerializationError])
@pytest.mark.parametrize("action", list(CASES))
async def test_a_transition__is_retried_after_a_deadlock_and_happens_once(
        action, error, booked_world, make_booking, monkeypatch):
    world = await booked_world()
    state, hook, final = CASES[action]
    booking = await make_booking(asset=world["asset"], organisation=world["booker_org"],
                                 user=world["booker"], status=state, start=tomorrow_at(10))
    calls = fail_once(monkeypatch, hook, error("deadlock detected"))
    await _run(action, world, booking)
    assert len(calls) == 2
    assert await sql.fetch_value("SELECT status FROM booking") == final
    events = await sql.fetch("SELECT from_status, to_status FROM booking_event ORDER BY id")
    assert [(e["from_status"], e["to_status"]) for e in events] == [(None, state), (state, final)]
