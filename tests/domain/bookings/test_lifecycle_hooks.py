"""The credit ledger's attachment points (bookings/hooks.py): each transition calls exactly one
hook, exactly once per booking, inside its transaction, after the new state is written, and
tells the hook the state the booking came from."""

from __future__ import annotations

from datetime import timedelta

import pytest

from resourcepool import clock
from resourcepool.accounts.identity import load_identity
from resourcepool.bookings import hooks, lifecycle
from resourcepool.bookings.service import request_booking
from resourcepool.bookings.sweeper import sweep_once
from resourcepool.db import sql
from resourcepool.db.engine import DB
from resourcepool.errors import InsufficientCredits
from tests.fixtures.bookings import tomorrow_at


@pytest.fixture
def calls(monkeypatch):
    """Every hook call as (hook, booking id, from_status, extra, status stored, in a transaction)."""
    made: list[tuple] = []

    def recorder(name):
        async def hook(booking, from_status, *extra):
            # Read through the transition's own connection: the new state must already be there.
            stored = await sql.fetch_value("SELECT status FROM booking WHERE id = $1", booking["id"])
            made.append((name, booking["id"], from_status, extra, stored,
                         DB.current_transaction.get() is not None))
        return hook

    for name in ("on_confirmed", "on_released", "on_completed", "on_no_show"):
        monkeypatch.setattr(hooks, name, recorder(name))
    return made


def one(calls, name, booking_id, from_status, *extra, status):
    assert calls == [(name, booking_id, from_status, tuple(extra), status, True)]
    calls.clear()


async def test_requests__an_instant_booking_is_confirmed_and_a_request_holds_nothing(
        booked_world, calls):
    world = await booked_world()
    who = await load_identity(world["booker"].id)
    booking = await request_booking(who, world["asset"].id, tomorrow_at(10), tomorrow_at(11), "Probe")
    one(calls, "on_confirmed", booking["id"], None, status="confirmed")
    approval = await booked_world(approval_required=True)
    who = await load_identity(approval["booker"].id)
    await request_booking(who, approval["asset"].id, tomorrow_at(10), tomorrow_at(11), "Probe")
    assert calls == []


async def test_approve_and_decline(booked_world, make_booking, calls):
    world = await booked_world()
    manager = await load_identity(world["manager"].id)
    a = await make_booking(asset=world["asset"], organisation=world["booker_org"], status="requested")
    b = await make_booking(asset=world["asset"], organisation=world["booker_org"], status="requested",
                           start=tomorrow_at(14))
    await lifecycle.approve_booking(manager, a.id)
    one(calls, "on_confirmed", a.id, "requested", status="confirmed")
    await lifecycle.decline_booking(manager, b.id, "Belegt")
    one(calls, "on_released", b.id, "requested", "declined", status="declined")


@pytest.mark.parametrize("state", ["requested", "confirmed"])
async def test_cancel__releases_and_says_what_was_held(state, booked_world, make_booking, calls):
    world = await booked_world(cancellation_deadline_hours=0)
    booker = await load_identity(world["booker"].id)
    manager = await load_identity(world["manager"].id)
    mine = await make_booking(asset=world["asset"], organisation=world["booker_org"],
                              user=world["booker"], status=state)
    theirs = await make_booking(asset=world["asset"], organisation=world["booker_org"],
                                user=world["booker"], status=state, start=tomorrow_at(14))
    await lifecycle.cancel_booking(booker, mine.id)
    one(calls, "on_released", mine.id, state, "cancelled", status="cancelled")
    await lifecycle.cancel_booking(manager, theirs.id, "Wasserschaden")
    one(calls, "on_released", theirs.id, state, "cancelled", status="cancelled")


async def test_a_late_cancellation__is_released_as_late(booked_world, make_booking, calls):
    world = await booked_world(cancellation_deadline_hours=48)
    booking = await make_booking(asset=world["asset"], organisation=world["booker_org"],
                                 user=world["booker"])
    await lifecycle.cancel_booking(await load_identity(world["booker"].id), booking.id)
    one(calls, "on_released", booking.id, "confirmed", "cancelled_late", status="cancelled")


async def test_the_sweeper__expires_and_completes_once(booked_world, make_booking, calls):
    world = await booked_world()
    start = tomorrow_at(10)
    request = await make_booking(asset=world["asset"], organisation=world["booker_org"],
                                 start=start, end=start + timedelta(hours=1), status="requested")
    confirmed = await make_booking(asset=world["asset"], organisation=world["booker_org"],
                                   start=start + timedelta(hours=1), end=start + timedelta(hours=2))
    with clock.frozen_at(start):
        await sweep_once()
        await sweep_once()
    one(calls, "on_released", request.id, "requested", "expired", status="expired")
    with clock.frozen_at(start + timedelta(hours=2)):
        await sweep_once()
        await sweep_once()
    one(calls, "on_completed", confirmed.id, "confirmed", status="completed")


async def test_no_show__from_confirmed_or_from_completed_and_the_hook_knows_which(
        booked_world, make_booking, calls):
    world = await booked_world()
    manager = await load_identity(world["manager"].id)
    start = tomorrow_at(10)
    running = await make_booking(asset=world["asset"], organisation=world["booker_org"],
                                 start=start, end=start + timedelta(hours=2))
    settled = await make_booking(asset=world["asset"], organisation=world["booker_org"],
                                 start=start - timedelta(hours=3), end=start - timedelta(hours=2))
    with clock.frozen_at(start + timedelta(hours=1)):
        await sweep_once()
        one(calls, "on_completed", settled.id, "confirmed", status="completed")
        await lifecycle.mark_no_show(manager, running.id)
        one(calls, "on_no_show", running.id, "confirmed", status="no_show")
        # After the sweeper settled it: the ledger is told so that it reverses the settlement.
        await lifecycle.mark_no_show(manager, settled.id)
        one(calls, "on_no_show", settled.id, "completed", status="no_show")


async def test_a_series_and_cancelling_the_rest__one_call_per_booking(booked_world, calls):
    world = await booked_world()
    who = await load_identity(world["booker"].id)
    result = await request_booking(who, world["asset"].id, tomorrow_at(10), tomorrow_at(11), "Chor",
                                   recurrence="FREQ=WEEKLY;COUNT=3")
    ids = [b["id"] for b in result["bookings"]]
    assert sorted(c[:3] for c in calls) == sorted(("on_confirmed", i, None) for i in ids)
    assert all(c[4:] == ("confirmed", True) for c in calls)
    calls.clear()
    await lifecycle.cancel_booking(who, ids[1], scope="following")
    assert calls == [("on_released", i, "confirmed", ("cancelled",), "cancelled", True) for i in ids[1:]]


async def test_a_hook_that_refuses__undoes_the_transition(booked_world, make_booking, monkeypatch):
    world = await booked_world()
    booking = await make_booking(asset=world["asset"], organisation=world["booker_org"],
                                 status="requested")

    async def refuse(booking, from_status):
        raise InsufficientCredits("Not enough credits.")

    monkeypatch.setattr(hooks, "on_confirmed", refuse)
    with pytest.raises(InsufficientCredits):
        await lifecycle.approve_booking(await load_identity(world["manager"].id), booking.id)
    assert await sql.fetch_value("SELECT status FROM booking") == "requested"
    assert await sql.fetch_value("SELECT count(*) FROM booking_event") == 1
    assert await sql.fetch_value("SELECT count(*) FROM outbox_message") == 0
