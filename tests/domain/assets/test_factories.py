"""The catalogue factories make what they say (other engineers build on them)."""

from resourcepool.db import sql


async def test_make_asset__offers_the_asset_to_the_organisations_network(make_asset, make_closure):
    asset = await make_asset(kind="device", quantity=10, opening_hours=[(0, "08:00", "22:00")],
                             approval_required=True)
    row = await sql.fetch_one("SELECT * FROM asset WHERE id = $1", asset.id)
    assert row["quantity"] == 10 and row["kind"] == "device" and row["approval_required"]
    assert await sql.fetch_value("SELECT count(*) FROM asset_network WHERE asset_id = $1", asset.id) == 1
    hours = await sql.fetch("SELECT weekday, start_minute, end_minute FROM opening_hours WHERE asset_id = $1", asset.id)
    assert hours == [{"weekday": 0, "start_minute": 480, "end_minute": 1320}]
    closure = await make_closure(asset)
    assert await sql.fetch_value("SELECT asset_id FROM closure WHERE id = $1", closure.id) == asset.id
