"""Bad input to the organisations API is a 4xx problem document and changes nothing."""

import pytest

from resourcepool.db import sql
from tests.db_state import database_state


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
    {"name": "Ver\x00ein", "sector": "informal", "network": "herten"},
    {"name": "Verein", "sector": "informal", "network": "herten", "description": "Wir\x00"},
    {"name": "Verein", "sector": "informal", "network": "herten", "district": "\x00"},
    {"name": "Verein", "sector": "informal", "network": "herten", "contact_email": "a\x00@b.example"},
    {"name": "Verein", "sector": "informal", "network": "herten", "contact_phone": "0\x00"},
    {"name": "Verein", "sector": "informal", "network": "herten", "website": "https://a\x00.example"},
    {"name": "Verein", "sector": "informal", "network": "her\x00ten"},
    {"name": "Verein\nBcc: x@y.example", "sector": "informal", "network": "herten"},
])
async def test_bad_organisation_payloads__are_4xx_problems(coordinator_api, payload):
    response = await coordinator_api.post("/api/v1/organisations", json=payload)
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert await sql.fetch_value("SELECT count(*) FROM organisation") == 0


async def test_malformed_json__is_400(coordinator_api):
    before = await database_state()
    response = await coordinator_api.post("/api/v1/organisations", content=b'{"name": "x",',
                                          headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
    assert await database_state() == before


async def test_unknown_network__is_404(coordinator_api):
    before = await database_state()
    response = await coordinator_api.post("/api/v1/organisations",
                                          json={"name": "Verein", "sector": "informal", "network": "nirgendwo"})
    assert response.status_code == 404
    assert await database_state() == before


@pytest.mark.parametrize("payload", [
    {"email": "not-an-email", "name": "X"},
    {"email": "a@b.example", "name": "X" * 10_000},
    {"email": "a@b.example", "name": "X", "role": "king"},
    {"email": "a@b.example"},
    {"email": ["a@b.example"], "name": "X"},
    {"email": "a\x00@b.example", "name": "X"},
    {"email": "a@b.example", "name": "X\x00"},
    {"email": "a@b.example", "name": "Anna\r\nBcc: x@y.example"},
])
async def test_bad_invitations__are_4xx_and_create_nobody(make_organisation, make_user, api_as, payload):
    org = await make_organisation()
    api = await api_as(await make_user(organisation=org, role="manager"))
    response = await api.post(f"/api/v1/organisations/{org.id}/members", json=payload)
    assert 400 <= response.status_code < 500
    assert response.headers["content-type"].startswith("application/problem+json")
    assert await sql.fetch_value("SELECT count(*) FROM app_user") == 1
    assert await sql.fetch_value("SELECT count(*) FROM outbox_message") == 0


@pytest.mark.parametrize("payload", [
    {"name": "X" * 201}, {"sector": "church"}, {"website": "javascript:alert(1)"}, {"contact_email": "@"},
    {"description": "x" * 5001}, {"name": "\x00"}, {"description": "a\x00b"}, {"address": "\x00"},
    {"contact_email": "a@b.exam\x00ple"},
])
async def test_bad_patches__are_4xx_and_change_nothing(make_organisation, make_user, api_as, payload):
    org = await make_organisation(name="Alt")
    api = await api_as(await make_user(organisation=org, role="manager"))
    before = await sql.fetch_one("SELECT * FROM organisation WHERE id = $1", org.id)
    response = await api.patch(f"/api/v1/organisations/{org.id}", json=payload)
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert await sql.fetch_one("SELECT * FROM organisation WHERE id = $1", org.id) == before


async def test_bad_list_parameters__are_400(make_user, api_as):
    api = await api_as(await make_user())
    for query in ("limit=0", "limit=100000", "offset=-1", "limit=abc"):
        assert (await api.get(f"/api/v1/organisations?{query}")).status_code == 400, query


async def test_nul_in_the_network_filter__is_a_4xx_problem(make_user, api_as):
    api = await api_as(await make_user())
    response = await api.get("/api/v1/organisations?network=%00")
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "validation_error" and response.json()["field"] == "network"


async def test_nul_in_a_decision_note_or_network_path__is_4xx_and_decides_nothing(make_network, make_organisation,
                                                                                  make_user, api_as):
    network = await make_network(slug="herten")
    pending = await make_organisation(network=network, status="pending")
    api = await api_as(await make_user(coordinator_of=network))
    for url, body in ((f"/api/v1/networks/herten/organisations/{pending.id}/verify", {"note": "ok\x00"}),
                      (f"/api/v1/networks/herten/organisations/{pending.id}/reject", {"note": "\x00"}),
                      (f"/api/v1/networks/her%00ten/organisations/{pending.id}/verify", {})):
        response = await api.post(url, json=body)
        assert 400 <= response.status_code < 500, (url, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
    assert await sql.fetch_value("SELECT status FROM network_organisation WHERE organisation_id = $1",
                                 pending.id) == "pending"


async def test_nul_in_the_page_forms__is_4xx_and_changes_nothing(client, make_network, make_organisation,
                                                                 make_user, sign_in):
    from tests.fixtures.platform import PASSWORD, post_form

    network = await make_network(slug="herten")
    org = await make_organisation(network=network, name="Alt")
    manager = await sign_in(await make_user(organisation=org, role="manager"))
    coordinator = await sign_in(await make_user(coordinator_of=network))
    apply = {"network": "herten", "name": "Neu", "sector": "informal", "manager_name": "Jana",
             "email": "jana@neu.example", "password": PASSWORD}
    counts = "SELECT (SELECT count(*) FROM organisation), (SELECT count(*) FROM app_user), (SELECT count(*) FROM membership)"
    before = await sql.fetch_one(counts)
    attempts = [
        (client, "/apply", dict(apply, name="Neu\x00")),
        (client, "/apply", dict(apply, manager_name="Ja\x00na")),
        (client, "/apply", dict(apply, email="jana\x00@neu.example")),
        (client, "/apply", dict(apply, network="her\x00ten")),
        (manager, f"/organisations/{org.id}", {"name": "Neu\x00", "sector": "informal"}),
        (manager, f"/organisations/{org.id}", {"name": "Neu", "sector": "informal", "description": "\x00"}),
        (manager, f"/organisations/{org.id}/members", {"invite_name": "X\x00", "invite_email": "x@y.example"}),
        (manager, f"/organisations/{org.id}/members", {"invite_name": "X", "invite_email": "x\x00@y.example"}),
        (coordinator, "/coordinator/herten/organisations", {"new-herten-name": "Neu\x00", "new-herten-sector": "informal"}),
    ]
    for browser, url, data in attempts:
        response = await post_form(browser, url, data)
        assert 400 <= response.status_code < 500, (url, data, response.status_code)
    assert await sql.fetch_one(counts) == before
    assert await sql.fetch_value("SELECT name FROM organisation WHERE id = $1", org.id) == "Alt"
