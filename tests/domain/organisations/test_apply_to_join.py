"""apply_to_join: organisation (pending), first manager and membership in one transaction."""

import pytest

from resourcepool.db import sql
from resourcepool.errors import Conflict, NotFound, ValidationFailed
from resourcepool.organisations.service import apply_to_join
from tests.fixtures.platform import PASSWORD
from tests.db_state import database_state

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
    before = await database_state()
    with pytest.raises(NotFound):
        await apply_to_join("nirgendwo", ORG, manager_name="Jana", manager_email="jana@fs.example",
                            manager_password=PASSWORD)
    assert await database_state() == before


@pytest.mark.parametrize(("overrides", "field"), [
    ({"name": "Food\x00sharing"}, "name"),
    ({"description": "Wir\x00retten"}, "description"),
    ({"district": "Mit\x07te"}, "district"),
    ({"address": "Weg 1\n2"}, "address"),
    ({"manager_name": "Ja\x00na"}, "manager_name"),
    ({"manager_email": "jana\x00@fs.example"}, "email"),
    ({"network": "her\x00ten"}, "network"),
])
async def test_apply__control_characters_are_refused_for_the_field_and_nothing_is_kept(make_network, overrides,
                                                                                      field):
    await make_network(slug="herten")
    manager = {"manager_name": "Jana", "manager_email": "jana@fs.example", "manager_password": PASSWORD}
    manager.update({k: v for k, v in overrides.items() if k.startswith("manager_")})
    details = dict(ORG, **{k: v for k, v in overrides.items() if k in ("name", "description", "district", "address")})
    with pytest.raises((ValidationFailed, NotFound)) as refused:
        await apply_to_join(overrides.get("network", "herten"), details, **manager)
    assert refused.value.field == field
    assert await sql.fetch_value("SELECT count(*) FROM organisation") == 0
    assert await sql.fetch_value("SELECT count(*) FROM app_user") == 0


async def test_apply__line_breaks_are_fine_in_the_description(make_network):
    await make_network(slug="herten")
    application = await apply_to_join("herten", dict(ORG, description="Zeile eins\r\nZeile zwei\tmit Tab"),
                                      manager_name="Jana", manager_email="jana@fs.example", manager_password=PASSWORD)
    assert "\n" in await sql.fetch_value("SELECT description FROM organisation WHERE id = $1",
                                         application.organisation_id)
