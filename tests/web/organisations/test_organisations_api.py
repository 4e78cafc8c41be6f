"""GET/POST/PATCH /api/v1/organisations: a coordinator creates, managers edit, lists page."""
from tests.db_state import database_state


async def test_coordinator_creates_an_organisation__verified_at_once(make_network, make_user, api_as):
    network = await make_network(slug="herten")
    coordinator = await make_user(coordinator_of=network)
    api = await api_as(coordinator)
    response = await api.post("/api/v1/organisations",
                              json={"name": "Repair-Café", "sector": "informal", "network": "herten"})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["verified"] is True
    assert body["networks"][0]["network"] == "herten"
    assert body["networks"][0]["status"] == "verified"


async def test_non_coordinator_cannot_create_an_organisation(make_organisation, make_user, api_as):
    org = await make_organisation()
    manager = await make_user(organisation=org, role="manager")
    api = await api_as(manager)
    before = await database_state()
    response = await api.post("/api/v1/organisations",
                              json={"name": "X", "sector": "informal", "network": org.network.slug})
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert await database_state() == before


async def test_coordinator_of_another_network_cannot_create_in_this_one(make_network, make_user, api_as):
    mine, other = await make_network(), await make_network()
    coordinator = await make_user(coordinator_of=mine)
    api = await api_as(coordinator)
    before = await database_state()
    response = await api.post("/api/v1/organisations",
                              json={"name": "X", "sector": "informal", "network": other.slug})
    assert response.status_code == 403
    assert await database_state() == before


async def test_manager_patches_the_organisation__only_given_fields_change(make_organisation, make_user, api_as):
    org = await make_organisation(name="Alt")
    manager = await make_user(organisation=org, role="manager")
    api = await api_as(manager)
    response = await api.patch(f"/api/v1/organisations/{org.id}",
                               json={"description": "Wir reparieren.", "contact_phone": "02366 1234"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["name"] == "Alt"
    assert body["description"] == "Wir reparieren."
    assert body["contact_phone"] == "02366 1234"


async def test_list__pages_with_limit_and_offset(make_network, make_organisation, make_user, api_as):
    network = await make_network()
    for n in range(5):
        await make_organisation(network=network, name=f"Verein {n}")
    user = await make_user()
    api = await api_as(user)
    response = await api.get("/api/v1/organisations?limit=2&offset=1")
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 5
    assert [o["name"] for o in body["items"]] == ["Verein 1", "Verein 2"]
    assert all("contact_email" not in o or o["contact_email"] is None for o in body["items"])


async def test_networks__are_listed(make_network, client):
    await make_network(slug="herten", name="Quartiersnetz Herten-Mitte")
    response = await client.get("/api/v1/networks")
    assert response.status_code == 200
    assert response.json()["items"][0]["slug"] == "herten"
    assert response.json()["total"] == 1


async def test_list__filters_by_network_and_by_mine(make_network, make_organisation, make_user, api_as):
    herten, westerholt = await make_network(slug="herten"), await make_network(slug="westerholt")
    mine = await make_organisation(network=herten, name="Meiner")
    await make_organisation(network=herten, name="Anderer")
    await make_organisation(network=westerholt, name="Westerholter")
    api = await api_as(await make_user(organisation=mine))
    by_network = (await api.get("/api/v1/organisations?network=westerholt")).json()
    assert [o["name"] for o in by_network["items"]] == ["Westerholter"]
    own = (await api.get("/api/v1/organisations?mine=true")).json()
    assert [(o["name"], o["my_role"]) for o in own["items"]] == [("Meiner", "member")]
    assert own["total"] == 1
