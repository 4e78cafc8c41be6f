"""The lifecycle beyond permissions: late cancellation, series cancellation, the sweeper,
no-show grace, reasons, emails, and one history row per change."""

from __future__ import annotations

from datetime import timedelta

import pytest

from resourcepool import clock
from resourcepool.accounts.identity import load_identity
from resourcepool.bookings import lifecycle
from resourcepool.bookings.service import request_booking
from resourcepool.bookings.sweeper import sweep_once
from resourcepool.db import sql
from resourcepool.errors import Conflict, ValidationFailed
from tests.fixtures.bookings import tomorrow_at
from tests.db_state import database_state


async def test_cancelling_after_the_deadline__is_recorded_as_late(booked_world, make_booking):
    world = await booked_world(cancellation_deadline_hours=48)
    early = await make_booking(asset=world["asset"], organisation=world["booker_org"],
                               user=world["booker"],
                               start=clock.now().replace(microsecond=0) + timedelta(days=5))
    late = await make_booking(asset=world["asset"], organisation=world["booker_org"],
                              user=world["booker"], start=tomorrow_at(10))
    who = await load_identity(world["booker"].id)
    [a] = await lifecycle.cancel_booking(who, early.id)
    [b] = await lifecycle.cancel_booking(who, late.id, "krank")
    assert (a["status"], a["cancelled_late"]) == ("cancelled", False)
    assert (b["status"], b["cancelled_late"], b["status_reason"]) == ("cancelled", True, "krank")


async def test_the_owner_cancels_only_with_a_reason_and_the_booker_is_told(booked_world, make_booking):
    world = await booked_world()
    booking = await make_booking(asset=world["asset"], organisation=world["booker_org"],
                                 user=world["booker"])
    manager = await load_identity(world["manager"].id)
    with pytest.raises(ValidationFailed):
        await lifecycle.cancel_booking(manager, booking.id, "  ")
    await lifecycle.cancel_booking(manager, booking.id, "Wasserschaden")
    mails = await sql.fetch("SELECT to_address, body_text FROM outbox_message ORDER BY id")
    assert mails[0]["to_address"] == world["booker"].email and "Wasserschaden" in mails[0]["body_text"]
    event = await sql.fetch_one("SELECT * FROM booking_event WHERE to_status = 'cancelled'")
    assert (event["from_status"], event["actor_user_id"], event["reason"]) == (
        "confirmed", world["manager"].id, "Wasserschaden")


async def test_decline_needs_a_reason_which_the_booker_sees(booked_world, make_booking, api_as):
    world = await booked_world()
    booking = await make_booking(asset=world["asset"], organisation=world["booker_org"],
                                 user=world["booker"], status="requested")
    manager = await api_as(world["manager"])
    before = await database_state()
    response = await manager.post(f"/api/v1/bookings/{booking.id}/decline", json={})
    assert response.status_code == 422 and response.json()["field"] == "reason"
    assert await database_state() == before
    response = await manager.post(f"/api/v1/bookings/{booking.id}/decline", json={"reason": "Belegt"})
    assert response.json()["status"] == "declined"
    booker = await api_as(world["booker"])
    seen = (await booker.get(f"/api/v1/bookings/{booking.id}")).json()
    assert seen["status_reason"] == "Belegt"
    assert [h["to_status"] for h in seen["history"]] == ["requested", "declined"]


async def test_approving_a_request__confirms_it_and_reveals_the_instructions(booked_world, api_as):
    world = await booked_world(approval_required=True)
    booker = await api_as(world["booker"])
    created = (await booker.post("/api/v1/bookings", json={
        "asset_id": world["asset"].id, "start": tomorrow_at(10).isoformat(),
        "end": tomorrow_at(11).isoformat(), "purpose": "Probe"})).json()
    assert created["usage_instructions"] is None
    manager = await api_as(world["manager"])
    approved = (await manager.post(f"/api/v1/bookings/{created['id']}/approve")).json()
    assert approved["status"] == "confirmed"
    seen = (await booker.get(f"/api/v1/bookings/{created['id']}")).json()
    assert seen["usage_instructions"] == "Schlüssel beim Hausmeister."
    subjects = await sql.fetch("SELECT to_address FROM outbox_message ORDER BY id")
    # the request to the manager and its receipt to the booker; then the approval to both
    assert [s["to_address"] for s in subjects] == [world["manager"].email, world["booker"].email,
                                                   world["booker"].email, world["manager"].email]


async def test_the_sweeper_expires_requests_and_completes_bookings__and_is_idempotent(
        booked_world, make_booking):
    world = await booked_world()
    start = tomorrow_at(10)
    request = await make_booking(asset=world["asset"], organisation=world["booker_org"],
                                 start=start, end=start + timedelta(hours=1), status="requested")
    confirmed = await make_booking(asset=world["asset"], organisation=world["booker_org"],
                                   start=start + timedelta(hours=2), end=start + timedelta(hours=3))
    with clock.frozen_at(start + timedelta(minutes=1)):
        assert (await sweep_once())["expired"] == 1
    with clock.frozen_at(start + timedelta(hours=3)):
        first = await sweep_once()
        second = await sweep_once()
    assert (first["completed"], second["completed"], second["expired"]) == (1, 0, 0)
    statuses = dict((r["id"], r["status"]) for r in await sql.fetch("SELECT id, status FROM booking"))
    assert statuses == {request.id: "expired", confirmed.id: "completed"}
    events = await sql.fetch("SELECT booking_id, actor_user_id FROM booking_event WHERE from_status IS NOT NULL")
    assert len(events) == 2 and all(e["actor_user_id"] is None for e in events)


async def test_the_sweeper__completes_a_running_booking_only_at_its_end(booked_world, make_booking):
    world = await booked_world()
    start = tomorrow_at(10)
    booking = await make_booking(asset=world["asset"], organisation=world["booker_org"],
                                 start=start, end=start + timedelta(hours=2))
    for moment in (start, start + timedelta(minutes=1), start + timedelta(hours=2) - timedelta(seconds=1)):
        with clock.frozen_at(moment):
            assert (await sweep_once())["completed"] == 0, moment
        assert await sql.fetch_value("SELECT status FROM booking WHERE id = $1", booking.id) == "confirmed"
    with clock.frozen_at(start + timedelta(hours=2)):
        assert (await sweep_once())["completed"] == 1
    assert await sql.fetch_value("SELECT status FROM booking WHERE id = $1", booking.id) == "completed"


async def test_no_show__only_within_the_grace_period(booked_world, make_booking):
    world = await booked_world()
    start = tomorrow_at(10)
    booking = await make_booking(asset=world["asset"], organisation=world["booker_org"], start=start)
    manager = await load_identity(world["manager"].id)
    before = await database_state()
    with pytest.raises(Conflict):
        await lifecycle.mark_no_show(manager, booking.id)  # not started yet
    with clock.frozen_at(start + timedelta(hours=49)):
        with pytest.raises(Conflict):
            await lifecycle.mark_no_show(manager, booking.id)
    assert await database_state() == before
    with clock.frozen_at(start + timedelta(hours=3)):
        await sweep_once()
        result = await lifecycle.mark_no_show(manager, booking.id, "niemand da")
    assert result["status"] == "no_show"


async def test_cancel_this_and_following__cancels_the_rest_of_the_series(booked_world, api_as):
    world = await booked_world()
    booker = await api_as(world["booker"])
    start = tomorrow_at(10)
    series = (await booker.post("/api/v1/bookings", json={
        "asset_id": world["asset"].id, "start": start.isoformat(),
        "end": (start + timedelta(hours=1)).isoformat(), "purpose": "Chor",
        "recurrence": "FREQ=WEEKLY;COUNT=5"})).json()
    ids = [b["id"] for b in series["bookings"]]
    one = await booker.post(f"/api/v1/bookings/{ids[1]}/cancel", json={"scope": "this"})
    assert [b["id"] for b in one.json()["cancelled"]] == [ids[1]]
    rest = await booker.post(f"/api/v1/bookings/{ids[2]}/cancel", json={"scope": "following", "reason": "Sommerpause"})
    assert [b["id"] for b in rest.json()["cancelled"]] == ids[2:]
    statuses = [r["status"] for r in await sql.fetch("SELECT status FROM booking ORDER BY starts_at")]
    assert statuses == ["confirmed", "cancelled", "cancelled", "cancelled", "cancelled"]
