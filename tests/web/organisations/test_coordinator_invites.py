"""Coordinators invite members into organisations their network verified (e.g. its first manager)."""

from resourcepool.db import sql
from tests.fixtures.platform import post_form


async def _added_by_coordinator(make_network, make_user, api_as):
    network = await make_network()
    coordinator = await make_user(coordinator_of=network)
    api = await api_as(coordinator)
    created = await api.post("/api/v1/organisations",
                             json={"name": "Stadtteilbüro", "sector": "municipality", "network": network.slug})
    assert created.status_code == 201, created.text
    return network, coordinator, api, created.json()["id"]


async def test_coordinator__invites_the_first_manager_of_an_organisation_they_added(make_network, make_user,
                                                                                     api_as):
    _, _, api, organisation_id = await _added_by_coordinator(make_network, make_user, api_as)
    response = await api.post(f"/api/v1/organisations/{organisation_id}/members",
                              json={"email": "leitung@buero.example", "name": "Leitung", "role": "manager"})
    assert response.status_code == 201, response.text
    assert response.json()["invite_url"].startswith("http://testserver/invitations/")
    assert await sql.fetch_value(
        "SELECT m.role FROM membership m JOIN app_user u ON u.id = m.user_id WHERE u.email = 'leitung@buero.example'"
    ) == "manager"


async def test_coordinator__sees_the_invite_form_and_invites_from_the_page(make_network, make_user, api_as,
                                                                          sign_in):
    _, coordinator, _, organisation_id = await _added_by_coordinator(make_network, make_user, api_as)
    browser = await sign_in(coordinator)
    page = await browser.get(f"/organisations/{organisation_id}")
    assert f'action="/organisations/{organisation_id}/members"' in page.text
    response = await post_form(browser, f"/organisations/{organisation_id}/members",
                               {"invite_name": "Leitung", "invite_email": "leitung@buero.example",
                                "invite_role": "manager"})
    assert response.status_code == 200, response.text
    assert "/invitations/" in response.text
    assert await sql.fetch_value("SELECT count(*) FROM membership WHERE organisation_id = $1", organisation_id) == 1


async def test_coordinator_of_another_network__may_not_invite(make_network, make_organisation, make_user, api_as,
                                                             sign_in):
    org = await make_organisation()
    stranger = await make_user(coordinator_of=await make_network())
    response = await (await api_as(stranger)).post(f"/api/v1/organisations/{org.id}/members",
                                                   json={"email": "x@y.example", "name": "X", "role": "manager"})
    assert response.status_code == 403
    page = await (await sign_in(stranger)).get(f"/organisations/{org.id}")
    assert f'action="/organisations/{org.id}/members"' not in page.text
    assert await sql.fetch_value("SELECT count(*) FROM app_user WHERE email = 'x@y.example'") == 0
