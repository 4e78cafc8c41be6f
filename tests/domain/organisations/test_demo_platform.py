"""The demo's platform part loads the networks, organisations and people the other parts use."""

import pytest

from resourcepool.accounts.passwords import verify_password
from resourcepool.db import sql
from resourcepool.demo import DEMO_PASSWORD, DemoContext
from resourcepool.demo.platform import describe_logins, load

pytestmark = pytest.mark.usefixtures("app")

KEYS = ("parish", "awo", "sports", "repair_cafe", "buergerhaus", "library", "housing", "bakery", "it",
        "youth", "food_sharing", "seniors")


async def test_demo_platform__has_the_agreed_keys_and_one_pending_organisation():
    context = DemoContext()
    await load(context)
    assert set(KEYS) <= set(context.organisations)
    assert set(context.networks) == {"herten", "westerholt"}
    assert {"coordinator", "buergerhaus_manager", "buergerhaus_member"} <= set(context.users)
    sectors = await sql.fetch("SELECT DISTINCT sector FROM organisation")
    assert {r["sector"] for r in sectors} == {"nonprofit", "business", "municipality", "informal"}
    pending = await sql.fetch("SELECT organisation_id FROM network_organisation WHERE status = 'pending'")
    assert [r["organisation_id"] for r in pending] == [context.organisations["seniors"]]
    awo_networks = await sql.fetch_value("SELECT count(*) FROM network_organisation WHERE organisation_id = $1",
                                         context.organisations["awo"])
    assert awo_networks == 2
    assert context.logins == describe_logins()
    password_hash = await sql.fetch_value("SELECT password_hash FROM app_user WHERE id = $1",
                                          context.users["coordinator"])
    assert verify_password(password_hash, DEMO_PASSWORD)


async def test_load_demo__shows_no_logins_for_a_database_with_networks_of_its_own(make_network):
    from resourcepool.demo import load_demo

    await make_network(slug="unser-netz")
    assert await load_demo() == []
    assert await sql.fetch_value("SELECT count(*) FROM app_user") == 0


async def test_load_demo__shows_the_logins_again_when_the_demo_is_there():
    from resourcepool.demo import load_demo

    first = await load_demo()
    again = await load_demo()  # the second start of `resourcepool demo` loads nothing new
    assert again == first and again
    assert await sql.fetch_value("SELECT count(*) FROM network WHERE slug = 'herten-mitte'") == 1
