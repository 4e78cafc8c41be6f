"""/coordinator: pending organisations with verify/decline, verified ones, adding one directly."""

from resourcepool.db import sql
from tests.fixtures.platform import post_form
from tests.db_state import database_state


async def test_coordinator_page__lists_pending_and_verified(make_network, make_organisation, make_user, sign_in):
    network = await make_network(name="Quartiersnetz Herten-Mitte")
    await make_organisation(network=network, status="pending", name="Wartet e.V.")
    await make_organisation(network=network, name="Drin e.V.")
    page = await (await sign_in(await make_user(coordinator_of=network))).get("/coordinator")
    assert page.status_code == 200
    assert "Quartiersnetz Herten-Mitte" in page.text
    assert "Wartet e.V." in page.text and "Drin e.V." in page.text


async def test_coordinator_verifies_by_form(make_network, make_organisation, make_user, sign_in):
    network = await make_network()
    pending = await make_organisation(network=network, status="pending")
    browser = await sign_in(await make_user(coordinator_of=network))
    response = await post_form(browser, f"/coordinator/{network.slug}/organisations/{pending.id}/verify",
                               {"note": ""})
    assert response.status_code == 303
    assert await sql.fetch_value("SELECT status FROM network_organisation WHERE organisation_id = $1",
                                 pending.id) == "verified"


async def test_decline_without_a_note__shows_the_error_at_the_note(make_network, make_organisation, make_user, sign_in):
    network = await make_network()
    pending = await make_organisation(network=network, status="pending")
    browser = await sign_in(await make_user(coordinator_of=network))
    response = await post_form(browser, f"/coordinator/{network.slug}/organisations/{pending.id}/reject",
                               {"note": ""})
    assert response.status_code == 422
    assert f'id="note-{pending.id}-{network.slug}-error"' in response.text
    assert await sql.fetch_value("SELECT status FROM network_organisation WHERE organisation_id = $1",
                                 pending.id) == "pending"


async def test_coordinator_of_another_network__cannot_verify_by_form(make_network, make_organisation, make_user, sign_in):
    network, other = await make_network(), await make_network()
    pending = await make_organisation(network=network, status="pending")
    browser = await sign_in(await make_user(coordinator_of=other))
    before = await database_state()
    response = await post_form(browser, f"/coordinator/{network.slug}/organisations/{pending.id}/verify", {})
    assert response.status_code == 403
    assert await database_state() == before
    page = await browser.get("/coordinator")
    assert pending.name not in page.text


async def test_coordinator_adds_an_organisation_directly(make_network, make_user, sign_in):
    network = await make_network(slug="herten")
    browser = await sign_in(await make_user(coordinator_of=network))
    response = await post_form(browser, "/coordinator/herten/organisations",
                               {"new-herten-name": "Stadtbibliothek", "new-herten-sector": "municipality"})
    assert response.status_code == 303
    assert await sql.fetch_value(
        """SELECT no.status FROM organisation o JOIN network_organisation no ON no.organisation_id = o.id
           WHERE o.name = 'Stadtbibliothek'""") == "verified"


async def test_unknown_decision__is_404_and_changes_nothing(make_network, make_organisation, make_user, sign_in):
    network = await make_network()
    pending = await make_organisation(network=network, status="pending")
    browser = await sign_in(await make_user(coordinator_of=network))
    response = await post_form(browser, f"/coordinator/{network.slug}/organisations/{pending.id}/delete", {})
    assert response.status_code == 404
    assert await sql.fetch_value("SELECT status FROM network_organisation WHERE organisation_id = $1",
                                 pending.id) == "pending"
