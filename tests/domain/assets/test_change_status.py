"""Pausing, activating and retiring an asset: retiring is final and waits for the bookings to come."""

from datetime import datetime, timedelta, timezone

import pytest

from resourcepool import clock
from resourcepool.accounts.identity import load_identity
from resourcepool.assets import service
from resourcepool.db import sql
from resourcepool.errors import Conflict, ValidationFailed

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
async def setup(make_organisation, make_user, make_asset):
    org = await make_organisation()
    manager = await make_user(organisation=org, role="manager")
    asset = await make_asset(organisation=org, title="Saal")
    return await load_identity(manager.id), asset


async def _status(asset_id: int) -> str:
    return await sql.fetch_value("SELECT status FROM asset WHERE id = $1", asset_id)


@pytest.mark.parametrize("status", ["confirmed", "requested"])
async def test_retire_asset__is_refused_while_bookings_are_still_to_come(setup, make_booking, status):
    identity, asset = setup
    await make_booking(asset, start=NOW + timedelta(days=3), end=NOW + timedelta(days=3, hours=2), status=status)
    with clock.frozen_at(NOW), pytest.raises(Conflict) as caught:
        await service.retire_asset(identity, asset.id)
    assert caught.value.field == "status" and caught.value.params == {"count": 1}
    assert await _status(asset.id) == "active"


async def test_retire_asset__counts_a_booking_under_way_as_still_to_come(setup, make_booking):
    identity, asset = setup
    await make_booking(asset, start=NOW - timedelta(hours=1), end=NOW + timedelta(hours=1))
    with clock.frozen_at(NOW), pytest.raises(Conflict):
        await service.retire_asset(identity, asset.id)
    assert await _status(asset.id) == "active"


async def test_retire_asset__goes_ahead_with_only_past_or_cancelled_bookings(setup, make_booking):
    identity, asset = setup
    await make_booking(asset, start=NOW - timedelta(days=2), end=NOW - timedelta(days=2, hours=-2))
    await make_booking(asset, start=NOW + timedelta(days=3), end=NOW + timedelta(days=3, hours=2),
                       status="cancelled")
    with clock.frozen_at(NOW):
        retired = await service.retire_asset(identity, asset.id)
    assert retired["status"] == "retired" and await _status(asset.id) == "retired"


@pytest.mark.parametrize("wanted", ["active", "paused", "draft"])
async def test_change_status__a_retired_asset_stays_retired(setup, wanted):
    identity, asset = setup
    await service.retire_asset(identity, asset.id)
    with pytest.raises(ValidationFailed) as caught:
        await service.change_status(identity, asset.id, wanted)
    assert caught.value.field == "status"
    assert await _status(asset.id) == "retired"


async def test_change_status__pause_and_activate_again(setup):
    identity, asset = setup
    assert (await service.pause_asset(identity, asset.id))["status"] == "paused"
    assert (await service.activate_asset(identity, asset.id))["status"] == "active"
