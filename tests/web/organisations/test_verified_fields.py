"""What a coordinator verified stays verified: the name and sector change only through them.

A manager who could turn a business into a "nonprofit" after verification would book assets
reserved for other sectors. Once a network verified the organisation (or is deciding about it),
its managers may no longer change the name or sector; a coordinator of such a network may, and
the other networks that had verified it verify it again — its bookings untouched.
"""

from datetime import timedelta

import asyncpg
import pytest

from resourcepool.db import sql
from resourcepool.db.engine import DB
from tests.fixtures.bookings import tomorrow_at
from tests.fixtures.platform import post_form


async def _state(organisation_id: int) -> dict:
    row = await sql.fetch_one("SELECT name, sector, description FROM organisation WHERE id = $1", organisation_id)
    entries = await sql.fetch("SELECT network_id, status FROM network_organisation WHERE organisation_id = $1 "
                              "ORDER BY network_id", organisation_id)
    return {**row, "entries": [(e["network_id"], e["status"]) for e in entries]}


@pytest.fixture
async def business(make_network, make_organisation, make_user):
    network = await make_network()
    org = await make_organisation(network=network, name="Ruhrbyte GmbH", sector="business")
    manager = await make_user(organisation=org, role="manager")
    coordinator = await make_user(coordinator_of=network)
    return network, org, manager, coordinator


async def test_manager__cannot_change_the_sector_after_verification_and_so_cannot_book_a_nonprofit_asset(
        business, make_organisation, make_asset, api_as):
    network, org, manager, _ = business
    owner = await make_organisation(network=network)
    asset = await make_asset(organisation=owner, networks=[network], allowed_sectors=["nonprofit"])
    api = await api_as(manager)
    before = await _state(org.id)

    response = await api.patch(f"/api/v1/organisations/{org.id}", json={"sector": "nonprofit"})

    assert response.status_code == 403, response.text
    assert response.json()["code"] == "forbidden" and response.json()["field"] == "sector"
    assert "Koordination" in response.json()["detail"]
    assert await _state(org.id) == before
    start = tomorrow_at(10)
    booking = await api.post("/api/v1/bookings", json={
        "asset_id": asset.id, "start": start.isoformat(), "end": (start + timedelta(hours=1)).isoformat(),
        "purpose": "Firmenfeier"})
    assert booking.status_code == 422 and booking.json()["rule"] == "sector_not_allowed"


async def test_manager__cannot_rename_a_verified_organisation_but_changes_the_other_details(business, api_as):
    _, org, manager, _ = business
    api = await api_as(manager)
    refused = await api.patch(f"/api/v1/organisations/{org.id}", json={"name": "Gemeinnützige Ruhrbyte",
                                                                      "description": "Neu"})
    assert refused.status_code == 403 and refused.json()["field"] == "name"
    assert (await _state(org.id))["description"] == ""  # nothing of the refused request was saved

    # The unchanged name and sector may be sent along (the page's form does so).
    saved = await api.patch(f"/api/v1/organisations/{org.id}", json={
        "name": "Ruhrbyte GmbH", "sector": "business", "description": "IT-Service im Quartier"})
    assert saved.status_code == 200, saved.text
    assert (await _state(org.id))["description"] == "IT-Service im Quartier"


async def test_manager__cannot_change_the_name_while_a_network_decides(make_organisation, make_user, api_as):
    org = await make_organisation(status="pending", name="Seniorenbeirat")
    manager = await make_user(organisation=org, role="manager")
    response = await (await api_as(manager)).patch(f"/api/v1/organisations/{org.id}", json={"name": "Anders"})
    assert response.status_code == 403
    assert (await _state(org.id))["name"] == "Seniorenbeirat"


async def test_manager__may_change_name_and_sector_when_no_network_verified_or_decides(
        make_organisation, make_user, api_as):
    org = await make_organisation(status="rejected", name="Initiative", sector="informal")
    manager = await make_user(organisation=org, role="manager")
    response = await (await api_as(manager)).patch(f"/api/v1/organisations/{org.id}",
                                                   json={"name": "Initiative e. V.", "sector": "nonprofit"})
    assert response.status_code == 200, response.text
    assert await _state(org.id) == {"name": "Initiative e. V.", "sector": "nonprofit", "description": "",
                                    "entries": [(org.network.id, "rejected")]}


async def test_coordinator__changes_name_and_sector_and_the_organisation_stays_verified(business, api_as):
    network, org, _, coordinator = business
    response = await (await api_as(coordinator)).patch(f"/api/v1/organisations/{org.id}",
                                                       json={"name": "Ruhrbyte gGmbH", "sector": "nonprofit"})
    assert response.status_code == 200, response.text
    assert response.json()["sector"] == "nonprofit"
    assert await _state(org.id) == {"name": "Ruhrbyte gGmbH", "sector": "nonprofit", "description": "",
                                    "entries": [(network.id, "verified")]}


async def test_coordinator__may_not_change_the_other_details(business, api_as):
    _, org, _, coordinator = business
    response = await (await api_as(coordinator)).patch(f"/api/v1/organisations/{org.id}",
                                                       json={"description": "Von der Koordination"})
    assert response.status_code == 403
    assert (await _state(org.id))["description"] == ""


async def test_coordinator_of_another_network__may_not_change_them(business, make_network, make_user, api_as):
    _, org, _, _ = business
    stranger = await make_user(coordinator_of=await make_network())
    before = await _state(org.id)
    response = await (await api_as(stranger)).patch(f"/api/v1/organisations/{org.id}", json={"sector": "nonprofit"})
    assert response.status_code == 403
    assert await _state(org.id) == before


async def test_change_by_one_networks_coordinator__sends_the_other_network_back_to_pending_with_bookings_intact(
        make_network, make_organisation, make_user, make_asset, make_booking, api_as):
    first, second = await make_network(name="Herten-Mitte"), await make_network(name="Westerholt")
    shared = await make_organisation(network=first, name="AWO", sector="nonprofit")
    await sql.execute("INSERT INTO network_organisation (network_id, organisation_id, status, decided_at) "
                      "VALUES ($1, $2, 'verified', now())", second.id, shared.id)
    booker = await make_user(organisation=shared)
    await make_user(coordinator_of=first, email="koordination@herten.example")
    second_coordinator = await make_user(coordinator_of=second)
    asset = await make_asset(organisation=await make_organisation(network=first), networks=[first])
    booking = await make_booking(asset, organisation=shared, user=booker)

    response = await (await api_as(second_coordinator)).patch(f"/api/v1/organisations/{shared.id}",
                                                              json={"sector": "business"})

    assert response.status_code == 200, response.text
    assert (await _state(shared.id))["entries"] == [(first.id, "pending"), (second.id, "verified")]
    assert await sql.fetch_value("SELECT status FROM booking WHERE id = $1", booking.id) == "confirmed"
    mail = await sql.fetch_one("SELECT subject, body_text AS body FROM outbox_message WHERE to_address = 'koordination@herten.example'")
    assert "AWO" in mail["subject"] and "Westerholt" in mail["body"]


async def test_database__refuses_a_changed_sector_from_any_writer_but_the_coordinators(business, make_network,
                                                                                      make_user):
    network, org, manager, coordinator = business
    stranger = await make_user(coordinator_of=await make_network())
    for actor in (None, manager.id, stranger.id):
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            async with DB.transaction():
                if actor is not None:
                    await sql.execute("SELECT set_config('resourcepool.acting_coordinator', $1, true)", str(actor))
                await sql.execute("UPDATE organisation SET sector = 'nonprofit' WHERE id = $1", org.id)
    async with DB.transaction():
        await sql.execute("SELECT set_config('resourcepool.acting_coordinator', $1, true)", str(coordinator.id))
        await sql.execute("UPDATE organisation SET sector = 'nonprofit' WHERE id = $1", org.id)
    await sql.execute("UPDATE organisation SET description = 'frei' WHERE id = $1", org.id)
    assert await _state(org.id) == {"name": "Ruhrbyte GmbH", "sector": "nonprofit", "description": "frei",
                                    "entries": [(network.id, "verified")]}


# --- pages ---------------------------------------------------------------------------------------

async def test_manager_page__shows_name_and_sector_as_verified_and_saves_the_rest(business, sign_in):
    _, org, manager, _ = business
    browser = await sign_in(manager)
    page = await browser.get(f"/organisations/{org.id}")
    assert 'id="f-name"' not in page.text and 'id="f-sector"' not in page.text
    assert 'id="vouched-fields"' in page.text and 'id="f-description"' in page.text

    saved = await post_form(browser, f"/organisations/{org.id}", {"description": "Wir reparieren Laptops"})
    assert saved.status_code == 303
    forged = await post_form(browser, f"/organisations/{org.id}", {"sector": "nonprofit", "description": "x"})
    assert forged.status_code == 403
    assert 'class="field-error"' in forged.text
    assert await _state(org.id) == {"name": "Ruhrbyte GmbH", "sector": "business",
                                    "description": "Wir reparieren Laptops", "entries": [(org.network.id, "verified")]}


async def test_coordinator_page__changes_name_and_sector_only(business, sign_in):
    network, org, _, coordinator = business
    browser = await sign_in(coordinator)
    page = await browser.get(f"/organisations/{org.id}")
    assert 'id="f-name"' in page.text and 'id="f-sector"' in page.text
    assert 'id="f-description"' not in page.text
    response = await post_form(browser, f"/organisations/{org.id}", {"name": "Ruhrbyte gGmbH",
                                                                    "sector": "nonprofit"})
    assert response.status_code == 303
    assert await _state(org.id) == {"name": "Ruhrbyte gGmbH", "sector": "nonprofit", "description": "",
                                    "entries": [(network.id, "verified")]}
