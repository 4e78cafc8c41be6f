"""/apply: a new organisation applies to join a network with its first manager."""

from resourcepool.db import sql
from tests.fixtures.platform import PASSWORD, post_form
from tests.db_state import database_state

FORM = {"network": "herten", "name": "Repair-Café Herten", "sector": "informal",
        "description": "Wir reparieren gemeinsam.", "district": "Mitte", "manager_name": "Jana Beispiel",
        "email": "jana@repair.example", "password": PASSWORD}


async def test_apply_form__lists_networks_with_labelled_fields(client, make_network):
    await make_network(slug="herten", name="Quartiersnetz Herten-Mitte")
    page = await client.get("/apply")
    assert page.status_code == 200
    assert "Quartiersnetz Herten-Mitte" in page.text
    for name in ("network", "name", "sector", "manager_name", "email", "password"):
        assert f'<label for="f-{name}"' in page.text
    assert 'name="_csrf_token"' in page.text


async def test_apply__creates_pending_organisation_manager_and_membership(client, make_network, make_user):
    network = await make_network(slug="herten")
    await make_user(coordinator_of=network, email="koordination@herten.example")
    response = await post_form(client, "/apply", FORM)
    assert response.status_code == 200, response.text
    assert "Repair-Café Herten" in response.text
    org = await sql.fetch_one("SELECT id, sector FROM organisation WHERE name = 'Repair-Café Herten'")
    assert org["sector"] == "informal"
    assert await sql.fetch_value("SELECT status FROM network_organisation WHERE organisation_id = $1",
                                 org["id"]) == "pending"
    assert await sql.fetch_value(
        """SELECT m.role FROM membership m JOIN app_user u ON u.id = m.user_id
           WHERE u.email = 'jana@repair.example' AND m.organisation_id = $1""", org["id"]) == "manager"
    assert await sql.fetch_value(
        "SELECT count(*) FROM outbox_message WHERE to_address = 'koordination@herten.example'") == 1


async def test_apply_with_errors__shows_them_next_to_the_fields_and_creates_nothing(client, make_network):
    await make_network(slug="herten")
    response = await post_form(client, "/apply", dict(FORM, sector="church", password="kurz"))
    assert response.status_code == 422
    assert 'id="f-sector-error"' in response.text
    assert await sql.fetch_value("SELECT count(*) FROM organisation") == 0
    response = await post_form(client, "/apply", dict(FORM, password="kurz"))
    assert 'id="f-password-error"' in response.text
    assert await sql.fetch_value("SELECT count(*) FROM organisation") == 0
    assert await sql.fetch_value("SELECT count(*) FROM app_user") == 0


async def test_apply_with_a_taken_email__keeps_nothing(client, make_network, make_user):
    await make_network(slug="herten")
    await make_user(email="jana@repair.example")
    response = await post_form(client, "/apply", FORM)
    assert response.status_code == 422
    assert 'id="f-email-error"' in response.text
    assert await sql.fetch_value("SELECT count(*) FROM organisation") == 0


async def test_apply_without_csrf__is_refused(client, make_network):
    await make_network(slug="herten")
    await client.get("/apply")
    before = await database_state()
    response = await client.post("/apply", data=FORM)
    assert response.status_code == 403
    assert await database_state() == before


async def test_apply_with_a_10000_character_name__is_a_field_error(client, make_network):
    await make_network(slug="herten")
    response = await post_form(client, "/apply", dict(FORM, name="X" * 10_000))
    assert response.status_code == 422
    assert 'id="f-name-error"' in response.text
    assert await sql.fetch_value("SELECT count(*) FROM organisation") == 0


async def test_apply_to_an_unknown_network__is_a_field_error(client, make_network):
    await make_network(slug="herten")
    before = await database_state()
    response = await post_form(client, "/apply", dict(FORM, network="nirgendwo"))
    assert response.status_code == 422
    assert 'id="f-network-error"' in response.text
    assert await database_state() == before
