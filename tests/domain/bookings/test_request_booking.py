"""request_booking: who books for which organisation, status, held span, notifications."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from resourcepool.accounts.identity import load_identity
from resourcepool.bookings.service import request_booking
from resourcepool.db import sql
from resourcepool.errors import Forbidden, NotFound, PolicyViolation, SlotUnavailable, ValidationFailed
from tests.fixtures.bookings import tomorrow_at
from tests.db_state import database_state

BERLIN = ZoneInfo("Europe/Berlin")


async def test_an_instant_asset__is_confirmed_at_once_with_buffers_in_the_held_span(booked_world):
    world = await booked_world(buffer_before_minutes=15, buffer_after_minutes=30)
    who = await load_identity(world["booker"].id)
    start = tomorrow_at(10)
    booking = await request_booking(who, world["asset"].id, start, start + timedelta(hours=2), "Probe")
    assert booking["status"] == "confirmed"
    assert booking["held_from"] == start - timedelta(minutes=15)
    assert booking["held_until"] == start + timedelta(hours=2, minutes=30)
    assert booking["organisation_id"] == world["booker_org"].id
    assert booking["start"].utcoffset() is not None and str(booking["start"].tzinfo) == "Europe/Berlin"
    events = await sql.fetch("SELECT from_status, to_status, actor_user_id FROM booking_event")
    assert events == [{"from_status": None, "to_status": "confirmed", "actor_user_id": world["booker"].id}]


async def test_an_asset_needing_approval__gets_a_request_and_the_managers_an_email(booked_world):
    world = await booked_world(approval_required=True)
    who = await load_identity(world["booker"].id)
    start = tomorrow_at(10)
    booking = await request_booking(who, world["asset"].id, start, start + timedelta(hours=1), "Probe")
    assert booking["status"] == "requested"
    assert booking["usage_instructions"] is None
    mails = await sql.fetch("SELECT to_address, subject FROM outbox_message ORDER BY id")
    # the managers are asked; the person who booked gets a receipt
    assert [m["to_address"] for m in mails] == [world["manager"].email, world["booker"].email]


async def test_the_buffer_keeps_back_to_back_bookings_apart(booked_world):
    world = await booked_world(buffer_after_minutes=30)
    who = await load_identity(world["booker"].id)
    start = tomorrow_at(10)
    await request_booking(who, world["asset"].id, start, start + timedelta(hours=1), "Erste")
    before = await database_state()
    with pytest.raises(SlotUnavailable) as info:
        await request_booking(who, world["asset"].id, start + timedelta(hours=1),
                              start + timedelta(hours=2), "Zweite")
    assert await database_state() == before
    assert info.value.params["conflicts"] == [
        {"start": start.astimezone(BERLIN).isoformat(),
         "end": (start + timedelta(hours=1)).astimezone(BERLIN).isoformat()}]
    # Without a buffer, touching bookings coexist: [10,11) and [11,12).
    other = await booked_world()
    who2 = await load_identity(other["booker"].id)
    await request_booking(who2, other["asset"].id, start, start + timedelta(hours=1), "Erste")
    await request_booking(who2, other["asset"].id, start + timedelta(hours=1), start + timedelta(hours=2), "Zweite")


async def test_conflicts_name_only_the_times(booked_world, make_booking):
    world = await booked_world()
    start = tomorrow_at(10)
    await make_booking(asset=world["asset"], organisation=world["third_org"], start=start,
                       end=start + timedelta(hours=1), purpose="Geheimes Treffen")
    who = await load_identity(world["booker"].id)
    before = await database_state()
    with pytest.raises(SlotUnavailable) as info:
        await request_booking(who, world["asset"].id, start, start + timedelta(hours=2), "Probe")
    assert await database_state() == before
    assert info.value.params["conflicts"] == [
        {"start": start.astimezone(BERLIN).isoformat(),
         "end": (start + timedelta(hours=1)).astimezone(BERLIN).isoformat()}]


async def test_a_user_in_several_organisations__must_choose_and_only_their_own(
        booked_world, make_user, make_organisation):
    world = await booked_world()
    second = await make_organisation(network=world["network"])
    await sql.execute("INSERT INTO membership (user_id, organisation_id, role) VALUES ($1, $2, 'member')",
                      world["booker"].id, second.id)
    who = await load_identity(world["booker"].id)
    start = tomorrow_at(10)
    with pytest.raises(ValidationFailed) as info:
        await request_booking(who, world["asset"].id, start, start + timedelta(hours=1), "Probe")
    assert info.value.field == "organisation_id"
    with pytest.raises(Forbidden):
        await request_booking(who, world["asset"].id, start, start + timedelta(hours=1), "Probe",
                              organisation_id=world["third_org"].id)
    booking = await request_booking(who, world["asset"].id, start, start + timedelta(hours=1), "Probe",
                                    organisation_id=second.id)
    assert booking["organisation_id"] == second.id


async def test_an_organisation_pending_verification__cannot_book(booked_world, make_organisation,
                                                                   make_user):
    world = await booked_world()
    pending = await make_organisation(network=world["network"], status="pending")
    user = await make_user(organisation=pending)
    # Its members alone do not see the network's assets at all: not found, as in the catalogue.
    with pytest.raises(NotFound):
        await request_booking(await load_identity(user.id), world["asset"].id, tomorrow_at(10),
                              tomorrow_at(11), "Probe")
    # Someone who also belongs to a verified organisation sees it, and is told why not.
    await sql.execute("INSERT INTO membership (user_id, organisation_id, role) VALUES ($1, $2, 'member')",
                      user.id, world["third_org"].id)
    before = await database_state()
    with pytest.raises(PolicyViolation) as info:
        await request_booking(await load_identity(user.id), world["asset"].id, tomorrow_at(10),
                              tomorrow_at(11), "Probe", organisation_id=pending.id)
    assert await database_state() == before
    assert info.value.params["rule"] == "organisation_not_verified"


async def test_opening_hours_and_closures_are_enforced(booked_world, make_asset, make_closure):
    world = await booked_world()
    asset = await make_asset(organisation=world["owner"], networks=[world["network"]],
                             opening_hours=[(d, "08:00", "12:00") for d in range(7)])
    who = await load_identity(world["booker"].id)
    before = await database_state()
    start = tomorrow_at(10).astimezone(BERLIN).replace(hour=13)
    with pytest.raises(PolicyViolation) as info:
        await request_booking(who, asset.id, start, start + timedelta(hours=1), "Probe")
    assert info.value.params["rule"] == "opening_hours"
    assert await database_state() == before
    start = start.replace(hour=9)
    await make_closure(asset, starts_at=start, ends_at=start + timedelta(hours=1))
    with pytest.raises(PolicyViolation) as info:
        await request_booking(who, asset.id, start, start + timedelta(hours=1), "Probe")
    assert info.value.params["rule"] == "closure"
    booking = await request_booking(who, asset.id, start + timedelta(hours=1), start + timedelta(hours=2), "Probe")
    assert booking["status"] == "confirmed"


async def test_exclusive_follows_the_quantity(booked_world, make_asset):
    world = await booked_world()
    tables = await make_asset(organisation=world["owner"], networks=[world["network"]],
                              kind="device", quantity=10)
    who = await load_identity(world["booker"].id)
    await request_booking(who, world["asset"].id, tomorrow_at(10), tomorrow_at(11), "Raum")
    await request_booking(who, tables.id, tomorrow_at(10), tomorrow_at(11), "Tische", quantity=4)
    rows = await sql.fetch("SELECT asset_id, exclusive FROM booking ORDER BY id")
    assert [r["exclusive"] for r in rows] == [True, False]


async def test_pooled_assets_count_the_peak_not_the_sum(booked_world, make_asset):
    world = await booked_world()
    pool = await make_asset(organisation=world["owner"], networks=[world["network"]],
                            kind="device", quantity=2)
    who = await load_identity(world["booker"].id)
    # 10–11 and 11–12 each take 2 units; 10:30–11:30 would need a third at every instant… refused,
    # while 9–10 fits even though the window 9–12 holds 4 units in sum.
    await request_booking(who, pool.id, tomorrow_at(10), tomorrow_at(11), "a", quantity=2)
    await request_booking(who, pool.id, tomorrow_at(11), tomorrow_at(12), "b", quantity=2)
    before = await database_state()
    with pytest.raises(SlotUnavailable):
        await request_booking(who, pool.id, tomorrow_at(10) + timedelta(minutes=30),
                              tomorrow_at(11) + timedelta(minutes=30), "c")
    assert await database_state() == before
    await request_booking(who, pool.id, tomorrow_at(8), tomorrow_at(10), "d", quantity=2)


@pytest.mark.parametrize("approval", [False, True])
async def test_the_answer__is_what_a_fresh_read_of_the_booking_shows(approval, booked_world, api_as):
    # The service builds its answer from what it knows instead of reading the row back.
    world = await booked_world(approval_required=approval, buffer_before_minutes=15)
    http = await api_as(world["booker"])
    created = await http.post("/api/v1/bookings", json={
        "asset_id": world["asset"].id, "start": tomorrow_at(10).isoformat(),
        "end": tomorrow_at(12).isoformat(), "purpose": "  Probe\nmit Chor ", "attendees": 12})
    assert created.status_code == 201, created.text
    answer = created.json()
    fresh = (await http.get(f"/api/v1/bookings/{answer['id']}")).json()
    assert fresh.pop("history") and answer.pop("history") is None
    assert answer == fresh
    assert answer["purpose"] == "Probe\nmit Chor" and answer["user_id"] == world["booker"].id


async def test_a_series_answer__matches_the_stored_bookings(booked_world, api_as):
    world = await booked_world()
    http = await api_as(world["booker"])
    created = (await http.post("/api/v1/bookings", json={
        "asset_id": world["asset"].id, "start": tomorrow_at(10).isoformat(),
        "end": tomorrow_at(11).isoformat(), "purpose": "Chor",
        "recurrence": "FREQ=WEEKLY;COUNT=3"})).json()
    for booking in created["bookings"]:
        fresh = (await http.get(f"/api/v1/bookings/{booking['id']}")).json()
        fresh.pop("history")
        booking.pop("history")
        assert booking == fresh


async def test_a_booking__belongs_to_the_first_network_that_offers_the_asset_and_verified_the_booker(
        booked_world, make_network, make_asset):
    """Credits and statistics are kept per network: each booking is made under exactly one."""
    world = await booked_world()
    first_only_for_owner = await make_network()
    # The asset is offered in two networks; the booker is verified only in the world's network.
    asset = await make_asset(organisation=world["owner"], networks=[first_only_for_owner, world["network"]])
    who = await load_identity(world["booker"].id)
    start = tomorrow_at(10)
    booking = await request_booking(who, asset.id, start, start + timedelta(hours=1), "Probe")
    stored = await sql.fetch_value("SELECT network_id FROM booking WHERE id = $1", booking["id"])
    assert stored == world["network"].id
