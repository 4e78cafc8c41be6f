"""Bad input to the organisations API is a 4xx problem document and changes nothing."""

import pytest

from resourcepool.db import sql


@pytest.fixture
async def coordinator_api(make_network, make_user, api_as):
    network = await make_network(slug="herten")
    return await api_as(await make_user(coordinator_of=network))


@pytest.mark.parametrize("payload", [
    {"name": "X" * 10_000, "sector": "informal", "network": "herten"},
    {"name": "", "sector": "informal", "network": "herten"},
    {"name": "Verein", "sector": "church", "network": "herten"},
    {"name": 42, "sector": "informal", "network": "herten"},
    {"name": "Verein", "sector": "informal", "network": "herten", "contact_email": "kein-email"},
    {"name": "Verein", "sector": "informal", "network": "HERTEN!"},
    {"name": "Verein", "sector": "informal"},
    {"name": "Verein", "sector": "informal", "network": "herten", "unknown": 1},
    [1, 2, 3],
    "just a string",
    None,
])
async def test_bad_organisation_payloads__are_4xx_problems(coordinator_api, payload):
    response = await coordinator_api.post("/api/v1/organisations", json=payload)
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert await sql.fetch_value("SELECT count(*) FROM organisation") == 0


async def test_malformed_json__is_400(coordinator_api):
    response = await coordinator_api.post("/api/v1/organisations", content=b'{"name": "x",',
                                          headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"


async def test_unknown_network__is_404(coordinator_api):
    response = await coordinator_api.post("/api/v1/organisations",
                                          json={"name": "Verein", "sector": "informal", "network": "nirgendwo"})
    assert response.status_code == 404


@pytest.mark.parametrize("payload", [
    {"email": "not-an-email", "name": "X"},
    {"email": "a@b.example", "name": "X" * 10_000},
    {"email": "a@b.example", "name": "X", "role": "king"},
    {"email": "a@b.example"},
    {"email": ["a@b.example"], "name": "X"},
])
async def test_bad_invitations__are_4xx_and_create_nobody(make_organisation, make_user, api_as, payload):
    org = await make_organisation()
    api = await api_as(await make_user(organisation=org, role="manager"))
    response = await api.post(f"/api/v1/organisations/{org.id}/members", json=payload)
    assert 400 <= response.status_code < 500
    assert await sql.fetch_value("SELECT count(*) FROM app_user") == 1


@pytest.mark.parametrize("payload", [
    {"name": "X" * 201}, {"sector": "church"}, {"website": "javascript:alert(1)"}, {"contact_email": "@"},
    {"description": "x" * 5001},
])
async def test_bad_patches__are_4xx_and_change_nothing(make_organisation, make_user, api_as, payload):
    org = await make_organisation(name="Alt")
    api = await api_as(await make_user(organisation=org, role="manager"))
    response = await api.patch(f"/api/v1/organisations/{org.id}", json=payload)
    assert 400 <= response.status_code < 500, response.text
    assert await sql.fetch_value("SELECT name FROM organisation WHERE id = $1", org.id) == "Alt"


async def test_bad_list_parameters__are_400(make_user, api_as):
    api = await api_as(await make_user())
    for query in ("limit=0", "limit=100000", "offset=-1", "limit=abc"):
        assert (await api.get(f"/api/v1/organisations?{query}")).status_code == 400, query
