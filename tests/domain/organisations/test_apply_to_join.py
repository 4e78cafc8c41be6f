"""apply_to_join: organisation (pending), first manager and membership in one transaction."""

import pytest

from resourcepool.db import sql
from resourcepool.errors import Conflict, NotFound, ValidationFailed
from resourcepool.organisations.service import apply_to_join
from tests.fixtures.platform import PASSWORD

pytestmark = pytest.mark.usefixtures("app")

ORG = {"name": "Foodsharing Herten", "sector": "informal", "district": "Mitte"}


async def test_apply__creates_everything_pending(make_network):
    network = await make_network(slug="herten")
    application = await apply_to_join("herten", ORG, manager_name="Jana", manager_email="jana@fs.example",
                                      manager_password=PASSWORD)
    assert application.network_id == network.id
    assert await sql.fetch_value("SELECT status FROM network_organisation WHERE organisation_id = $1",
                                 application.organisation_id) == "pending"
    assert await sql.fetch_value("SELECT role FROM membership WHERE user_id = $1",
                                 application.user_id) == "manager"


async def test_apply_with_a_taken_email__leaves_no_organisation_behind(make_network, make_user):
    await make_network(slug="herten")
    await make_user(email="jana@fs.example")
    with pytest.raises(Conflict):
        await apply_to_join("herten", ORG, manager_name="Jana", manager_email="JANA@fs.example",
                            manager_password=PASSWORD)
    assert await sql.fetch_value("SELECT count(*) FROM organisation") == 0


async def test_apply_with_a_weak_password__leaves_nothing_behind(make_network):
    await make_network(slug="herten")
    with pytest.raises(ValidationFailed) as caught:
        await apply_to_join("herten", ORG, manager_name="Jana", manager_email="jana@fs.example",
                            manager_password="password")
    assert caught.value.field == "password"
    assert await sql.fetch_value("SELECT count(*) FROM organisation") == 0
    assert await sql.fetch_value("SELECT count(*) FROM app_user") == 0


async def test_apply_to_an_unknown_network__is_not_found():
    with pytest.raises(NotFound):
        await apply_to_join("nirgendwo", ORG, manager_name="Jana", manager_email="jana@fs.example",
                            manager_password=PASSWORD)
