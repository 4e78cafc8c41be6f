"""POST /api/v1/networks/{slug}/organisations/{id}/verify|reject by that network's coordinators."""

from resourcepool.db import sql
from tests.db_state import database_state


async def test_coordinator_verifies_a_pending_organisation__and_its_managers_are_told(
        make_network, make_organisation, make_user, api_as):
    network = await make_network()
    pending = await make_organisation(network=network, status="pending")
    await make_user(organisation=pending, role="manager", email="chefin@verein.example")
    coordinator = await make_user(coordinator_of=network)
    response = await (await api_as(coordinator)).post(
        f"/api/v1/networks/{network.slug}/organisations/{pending.id}/verify", json={"note": "Willkommen!"})
    assert response.status_code == 200, response.text
    assert response.json()["verified"] is True
    row = await sql.fetch_one("SELECT status, decided_by FROM network_organisation WHERE organisation_id = $1",
                              pending.id)
    assert row == {"status": "verified", "decided_by": coordinator.id}
    assert await sql.fetch_value("SELECT count(*) FROM outbox_message WHERE to_address = 'chefin@verein.example'") == 1


async def test_coordinator_rejects_with_a_note__which_the_managers_see(
        make_network, make_organisation, make_user, api_as):
    network = await make_network()
    pending = await make_organisation(network=network, status="pending")
    manager = await make_user(organisation=pending, role="manager")
    coordinator = await make_user(coordinator_of=network)
    response = await (await api_as(coordinator)).post(
        f"/api/v1/networks/{network.slug}/organisations/{pending.id}/reject",
        json={"note": "Bitte zuerst die Satzung einreichen."})
    assert response.status_code == 200
    own = (await (await api_as(manager)).get(f"/api/v1/organisations/{pending.id}")).json()
    assert own["networks"][0]["status"] == "rejected"
    assert own["networks"][0]["decision_note"] == "Bitte zuerst die Satzung einreichen."


async def test_reject_without_a_note__is_refused(make_network, make_organisation, make_user, api_as):
    network = await make_network()
    pending = await make_organisation(network=network, status="pending")
    coordinator = await make_user(coordinator_of=network)
    refusing = await api_as(coordinator)
    before = await database_state()
    response = await refusing.post(
        f"/api/v1/networks/{network.slug}/organisations/{pending.id}/reject", json={})
    assert response.status_code == 422
    assert response.json()["field"] == "note"
    assert await database_state() == before


async def test_verify_an_organisation_not_in_the_network__is_404(make_network, make_organisation, make_user, api_as):
    network = await make_network()
    elsewhere = await make_organisation(status="pending")
    coordinator = await make_user(coordinator_of=network)
    refusing = await api_as(coordinator)
    before = await database_state()
    response = await refusing.post(
        f"/api/v1/networks/{network.slug}/organisations/{elsewhere.id}/verify")
    assert response.status_code == 404
    assert await database_state() == before


async def test_manager_applies_to_a_second_network__pending_there(make_network, make_organisation, make_user, api_as):
    herten, westerholt = await make_network(), await make_network(slug="westerholt")
    org = await make_organisation(network=herten)
    manager = await make_user(organisation=org, role="manager")
    response = await (await api_as(manager)).post(f"/api/v1/organisations/{org.id}/networks",
                                                  json={"network": "westerholt"})
    assert response.status_code == 201, response.text
    statuses = {n["network"]: n["status"] for n in response.json()["networks"]}
    assert statuses == {herten.slug: "verified", "westerholt": "pending"}
    refusing = await api_as(manager)
    before = await database_state()
    again = await refusing.post(f"/api/v1/organisations/{org.id}/networks",
                                               json={"network": "westerholt"})
    assert again.status_code == 409
    assert await database_state() == before


async def test_a_coordinator_cannot_pull_in_an_organisation_that_did_not_apply(
        make_network, make_organisation, make_user, api_as):
    herten, westerholt = await make_network(), await make_network()
    verified = await make_organisation(network=herten)
    pending_elsewhere = await make_organisation(network=herten, status="pending")
    api = await api_as(await make_user(coordinator_of=westerholt))
    before = await sql.fetch("SELECT network_id, organisation_id, status FROM network_organisation ORDER BY id")

    for org in (verified, pending_elsewhere):
        # The old "admit" endpoint is gone, and verifying needs an application to this network.
        assert (await api.put(f"/api/v1/networks/{westerholt.slug}/organisations/{org.id}")).status_code in (404, 405)
        response = await api.post(f"/api/v1/networks/{westerholt.slug}/organisations/{org.id}/verify")
        assert response.status_code == 404
    # An id that does not exist answers the same: nothing tells which ids exist.
    missing = await api.post(f"/api/v1/networks/{westerholt.slug}/organisations/999999/verify")
    assert missing.status_code == 404 and missing.json()["detail"] == response.json()["detail"]
    assert await sql.fetch("SELECT network_id, organisation_id, status FROM network_organisation ORDER BY id") == before
    assert (await api.get(f"/api/v1/organisations/{pending_elsewhere.id}")).status_code == 404
