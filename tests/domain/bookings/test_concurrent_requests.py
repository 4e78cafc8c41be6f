"""No double booking under concurrency, through the HTTP API (ASGI transport, one event loop,
several pool connections): PostgreSQL, not the application, decides who gets the slot."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from resourcepool.db import sql
from tests.fixtures.bookings import tomorrow_at


async def _clients(api_as, make_user, organisation, n):
    users = [await make_user(organisation=organisation) for _ in range(n)]
    return [await api_as(u) for u in users]


def _body(asset_id, start, end, quantity=1):
    return {"asset_id": asset_id, "start": start.isoformat(), "end": end.isoformat(),
            "purpose": "Probe", "quantity": quantity}


async def test_fifty_concurrent_requests_for_one_slot__exactly_one_wins(
        booked_world, api_as, make_user):
    world = await booked_world(buffer_after_minutes=15)
    clients = await _clients(api_as, make_user, world["booker_org"], 50)
    start = tomorrow_at(10)
    # Different but overlapping spans too: the buffer makes 12:00–13:00 clash with 10:00–12:00.
    bodies = [_body(world["asset"].id, start, start + timedelta(hours=2)) for _ in range(45)]
    bodies += [_body(world["asset"].id, start + timedelta(hours=2), start + timedelta(hours=3))
               for _ in range(5)]
    responses = await asyncio.gather(*(c.post("/api/v1/bookings", json=b)
                                       for c, b in zip(clients, bodies)))
    codes = sorted(r.status_code for r in responses)
    assert codes.count(201) == 1, codes
    assert codes.count(409) == 49, codes
    loser = next(r for r in responses if r.status_code == 409).json()
    assert loser["code"] == "slot_unavailable"
    assert loser["conflicts"] and set(loser["conflicts"][0]) == {"start", "end"}
    overlaps = await sql.fetch_value(
        """SELECT count(*) FROM booking a JOIN booking b ON a.asset_id = b.asset_id AND a.id < b.id
           WHERE a.status IN ('requested','confirmed') AND b.status IN ('requested','confirmed')
             AND tstzrange(a.held_from, a.held_until) && tstzrange(b.held_from, b.held_until)""")
    assert overlaps == 0
    assert await sql.fetch_value("SELECT count(*) FROM booking") == 1


async def test_twenty_concurrent_requests_for_a_pool_of_five__exactly_five_win(
        booked_world, api_as, make_user):
    world = await booked_world(quantity=5, kind="device")
    clients = await _clients(api_as, make_user, world["booker_org"], 20)
    start = tomorrow_at(10)
    # Staggered spans: the sum over the whole window would exceed 5 sooner than the peak does.
    bodies = [_body(world["asset"].id, start + timedelta(minutes=30 * (i % 4)),
                    start + timedelta(minutes=30 * (i % 4) + 60)) for i in range(20)]
    responses = await asyncio.gather(*(c.post("/api/v1/bookings", json=b)
                                       for c, b in zip(clients, bodies)))
    codes = [r.status_code for r in responses]
    assert all(c in (201, 409) for c in codes), codes
    # The peak may never exceed 5 units at any instant.
    peak = await sql.fetch_value(
        """SELECT coalesce(max(units), 0) FROM (
             SELECT sum(b.quantity) AS units FROM booking b
             JOIN (SELECT DISTINCT held_from AS t FROM booking WHERE asset_id = $1) edges
               ON b.held_from <= edges.t AND edges.t < b.held_until
             WHERE b.asset_id = $1 AND b.status IN ('requested','confirmed')
             GROUP BY edges.t) x""", world["asset"].id)
    assert peak <= 5
    # Everyone starting at 10:00 or 10:30 overlaps at 10:30–11:00: at most 5 of them.
    assert codes.count(201) >= 5


async def test_twenty_concurrent_single_unit_requests_for_the_same_hour__exactly_five_win(
        booked_world, api_as, make_user):
    world = await booked_world(quantity=5, kind="device")
    clients = await _clients(api_as, make_user, world["booker_org"], 20)
    start = tomorrow_at(10)
    responses = await asyncio.gather(*(
        c.post("/api/v1/bookings", json=_body(world["asset"].id, start, start + timedelta(hours=1)))
        for c in clients))
    codes = sorted(r.status_code for r in responses)
    assert codes.count(201) == 5 and codes.count(409) == 15, codes
    units = await sql.fetch_value(
        "SELECT sum(quantity) FROM booking WHERE asset_id = $1 AND status IN ('requested','confirmed')",
        world["asset"].id)
    assert units == 5
    assert await sql.fetch_value("SELECT bool_or(exclusive) FROM booking") is False


async def test_concurrent_requests_with_their_own_idempotency_keys__exactly_one_wins(
        booked_world, api_as, make_user):
    # With a key the booking runs inside the idempotency transaction (savepoint path).
    world = await booked_world()
    clients = await _clients(api_as, make_user, world["booker_org"], 12)
    start = tomorrow_at(10)
    responses = await asyncio.gather(*(
        c.post("/api/v1/bookings", json=_body(world["asset"].id, start, start + timedelta(hours=1)),
               headers={"Idempotency-Key": f"key-{i}"}) for i, c in enumerate(clients)))
    codes = sorted(r.status_code for r in responses)
    assert codes.count(201) == 1 and codes.count(409) == 11, codes
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {"slot_unavailable"}
    # The refusals were stored under their keys: a retry gets the same 409, nothing is booked.
    assert await sql.fetch_value("SELECT count(*) FROM idempotency_key") == 12
    assert await sql.fetch_value("SELECT count(*) FROM booking") == 1
