"""Changing an asset's quantity keeps the booking invariant (never more units held than exist)."""

from datetime import datetime, timedelta, timezone

import asyncpg
import pytest

from resourcepool.accounts.identity import load_identity
from resourcepool.assets import service
from resourcepool.db import sql
from resourcepool.errors import Conflict

T0 = datetime(2027, 3, 1, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
async def setup(make_organisation, make_user, make_asset):
    org = await make_organisation()
    manager = await make_user(organisation=org, role="manager")
    asset = await make_asset(organisation=org, kind="device", quantity=5, category="Möbel", capacity=None)
    return await load_identity(manager.id), manager, asset


async def book(asset_id, user_id, org_id, start_h, end_h, quantity=1, status="confirmed", exclusive=False):
    return await sql.fetch_value(
        """INSERT INTO booking (asset_id, organisation_id, user_id, starts_at, ends_at, held_from, held_until,
                                quantity, exclusive, purpose, status)
           VALUES ($1, $2, $3, $4, $5, $4, $5, $6, $7, 'Fest', $8) RETURNING id""",
        asset_id, org_id, user_id, T0 + timedelta(hours=start_h), T0 + timedelta(hours=end_h),
        quantity, exclusive, status)


async def test_lowering_quantity_below_units_held_at_one_instant__is_a_conflict(setup):
    identity, manager, asset = setup
    org = manager.organisation.id
    await book(asset.id, manager.id, org, 0, 4, quantity=2)
    await book(asset.id, manager.id, org, 2, 6, quantity=2)  # 4 units held from 2h to 4h
    await book(asset.id, manager.id, org, 3, 5, quantity=3, status="cancelled")  # holds nothing
    with pytest.raises(Conflict) as caught:
        await service.update_asset(identity, asset.id, {"quantity": 3})
    assert caught.value.params["held"] == 4
    assert await sql.fetch_value("SELECT quantity FROM asset WHERE id = $1", asset.id) == 5
    updated = await service.update_asset(identity, asset.id, {"quantity": 4})
    assert updated["quantity"] == 4


async def test_back_to_back_bookings__do_not_count_as_overlapping(setup):
    identity, manager, asset = setup
    org = manager.organisation.id
    await book(asset.id, manager.id, org, 0, 2)
    await book(asset.id, manager.id, org, 2, 4)
    updated = await service.update_asset(identity, asset.id, {"quantity": 1})
    assert updated["quantity"] == 1
    assert await sql.fetch_value("SELECT bool_and(exclusive) FROM booking WHERE asset_id = $1", asset.id)


async def test_quantity_1__makes_holding_bookings_exclusive_and_the_constraint_guards_them(setup):
    identity, manager, asset = setup
    org = manager.organisation.id
    held = await book(asset.id, manager.id, org, 0, 2)
    declined = await book(asset.id, manager.id, org, 1, 3, status="declined")
    await service.update_asset(identity, asset.id, {"quantity": 1})
    rows = {r["id"]: r["exclusive"] for r in await sql.fetch("SELECT id, exclusive FROM booking")}
    assert rows == {held: True, declined: False}
    with pytest.raises(asyncpg.ExclusionViolationError):
        await book(asset.id, manager.id, org, 1, 3, exclusive=True)
    # And back: several units again means not exclusive.
    await service.update_asset(identity, asset.id, {"quantity": 3})
    assert not await sql.fetch_value("SELECT exclusive FROM booking WHERE id = $1", held)


async def test_api__quantity_conflict_is_a_409_problem(setup, api_as):
    identity, manager, asset = setup
    await book(asset.id, manager.id, manager.organisation.id, 0, 2, quantity=5)
    api = await api_as(manager)
    response = await api.patch(f"/api/v1/assets/{asset.id}", json={"quantity": 2})
    assert response.status_code == 409
    assert response.json()["code"] == "conflict" and "5" in response.json()["detail"]
    negative = await api.patch(f"/api/v1/assets/{asset.id}", json={"quantity": -1})
    assert negative.status_code == 422
    assert await sql.fetch_value("SELECT quantity FROM asset WHERE id = $1", asset.id) == 5


async def test_retiring__is_refused_while_bookings_are_still_to_come(setup):
    identity, manager, asset = setup
    await book(asset.id, manager.id, manager.organisation.id, 0, 2)
    with pytest.raises(Conflict):
        await service.retire_asset(identity, asset.id)
    assert await sql.fetch_value("SELECT status FROM asset WHERE id = $1", asset.id) == "active"


async def test_quantity_change__waits_for_a_booking_in_flight_and_then_sees_it(setup):
    """A booking being made holds the asset row; the quantity change waits and then counts it."""
    import asyncio

    from resourcepool.db.engine import DB

    identity, manager, asset = setup
    async with DB.pool.acquire() as conn:
        transaction = conn.transaction()
        await transaction.start()
        # What the booking service does: lock the asset, then insert the booking.
        await conn.execute("SELECT 1 FROM asset WHERE id = $1 FOR SHARE", asset.id)
        await conn.execute(
            """INSERT INTO booking (asset_id, organisation_id, user_id, starts_at, ends_at, held_from,
                                    held_until, quantity, exclusive, purpose, status)
               VALUES ($1, $2, $3, $4, $5, $4, $5, 3, false, 'Fest', 'confirmed')""",
            asset.id, manager.organisation.id, manager.id, T0, T0 + timedelta(hours=2))
        change = asyncio.create_task(service.update_asset(identity, asset.id, {"quantity": 1}))
        await asyncio.sleep(0.3)
        assert not change.done(), "the quantity change must wait for the booking's transaction"
        await transaction.commit()
    with pytest.raises(Conflict):
        await change
    assert await sql.fetch_value("SELECT quantity FROM asset WHERE id = $1", asset.id) == 5
