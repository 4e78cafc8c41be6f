"""The demo catalogue loads about 40 valid assets and names them for the next demo parts."""

from resourcepool.db import sql
from resourcepool.demo import DemoContext
from resourcepool.demo import catalogue

ORGS = ("parish", "awo", "sports", "repair_cafe", "buergerhaus", "library", "housing", "bakery", "it",
        "youth", "food_sharing", "seniors")


async def test_demo_catalogue__loads_about_forty_assets_with_documented_keys(make_network, make_organisation):
    herten = await make_network(slug="herten")
    context = DemoContext(networks={"herten": herten.id})
    for key in ORGS:
        context.organisations[key] = (await make_organisation(network=herten, name=key)).id
    await catalogue.load(context)
    assert 38 <= len(context.assets) <= 45
    for key in context.assets:
        assert key in catalogue.__doc__, key
    statuses = {r["status"]: r["n"] for r in await sql.fetch("SELECT status, count(*) AS n FROM asset GROUP BY status")}
    assert statuses["paused"] == 1 and statuses["draft"] == 1
    kinds = {r["kind"] for r in await sql.fetch("SELECT DISTINCT kind FROM asset")}
    assert kinds == {"room", "vehicle", "device", "expertise"}
    saal = await sql.fetch_one("SELECT * FROM asset WHERE id = $1", context.assets["grosser_saal"])
    assert saal["capacity"] == 120 and saal["approval_required"]
    assert await sql.fetch_value("SELECT quantity FROM asset WHERE id = $1", context.assets["klapptische"]) == 10
    assert await sql.fetch_value("SELECT count(*) FROM asset_network") == len(context.assets)
    assert await sql.fetch_value("SELECT count(*) FROM closure") == 3
