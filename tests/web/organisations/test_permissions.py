"""Who may read or act for an organisation: members of A never see or touch B's private side."""

import pytest

from tests.fixtures.platform import post_form
from tests.db_state import database_state


@pytest.fixture
async def two_organisations(make_network, make_organisation, make_user):
    network = await make_network(slug="herten")
    a = await make_organisation(network=network, name="Verein A")
    b = await make_organisation(network=network, name="Verein B")
    from resourcepool.db import sql

    await sql.execute("UPDATE organisation SET contact_email = 'geheim@b.example', contact_phone = '0172 999' "
                      "WHERE id = $1", b.id)
    a_manager = await make_user(organisation=a, role="manager")
    b_manager = await make_user(organisation=b, role="manager", email="chefin@b.example")
    return network, a, b, a_manager, b_manager


async def test_member_of_a__sees_b_without_contact_details(two_organisations, api_as):
    _, _, b, a_manager, _ = two_organisations
    api = await api_as(a_manager)
    response = await api.get(f"/api/v1/organisations/{b.id}")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Verein B"
    assert body["contact_email"] is None and body["contact_phone"] is None
    assert "geheim" not in response.text and "0172" not in response.text


async def test_member_of_b__sees_its_own_contact_details(two_organisations, api_as):
    _, _, b, _, b_manager = two_organisations
    body = (await (await api_as(b_manager)).get(f"/api/v1/organisations/{b.id}")).json()
    assert body["contact_email"] == "geheim@b.example"


async def test_member_of_a__cannot_list_b_members(two_organisations, api_as):
    _, _, b, a_manager, _ = two_organisations
    response = await (await api_as(a_manager)).get(f"/api/v1/organisations/{b.id}/members")
    assert response.status_code == 403
    assert "chefin@b.example" not in response.text


async def test_manager_of_a__cannot_invite_into_b(two_organisations, api_as):
    _, _, b, a_manager, _ = two_organisations
    response = await (await api_as(a_manager)).post(
        f"/api/v1/organisations/{b.id}/members", json={"email": "x@y.example", "name": "X"})
    assert response.status_code == 403
    from resourcepool.db import sql

    assert await sql.fetch_value("SELECT count(*) FROM app_user WHERE email = 'x@y.example'") == 0


async def test_manager_of_a__cannot_patch_b_nor_remove_its_members(two_organisations, api_as):
    _, _, b, a_manager, b_manager = two_organisations
    api = await api_as(a_manager)
    assert (await api.patch(f"/api/v1/organisations/{b.id}", json={"name": "Gekapert"})).status_code == 403
    assert (await api.delete(f"/api/v1/organisations/{b.id}/members/{b_manager.id}")).status_code == 403
    assert (await api.patch(f"/api/v1/organisations/{b.id}/members/{b_manager.id}",
                            json={"role": "member"})).status_code == 403
    from resourcepool.db import sql

    assert await sql.fetch_value("SELECT name FROM organisation WHERE id = $1", b.id) == "Verein B"


async def test_plain_member__cannot_invite_or_edit_own_organisation(make_organisation, make_user, api_as):
    org = await make_organisation()
    member = await make_user(organisation=org, role="member")
    api = await api_as(member)
    before = await database_state()
    assert (await api.post(f"/api/v1/organisations/{org.id}/members",
                           json={"email": "x@y.example", "name": "X"})).status_code == 403
    assert (await api.patch(f"/api/v1/organisations/{org.id}", json={"name": "Neu"})).status_code == 403
    assert await database_state() == before


async def test_pending_organisation__is_invisible_to_outsiders(make_network, make_organisation, make_user, api_as):
    network = await make_network()
    pending = await make_organisation(network=network, status="pending", name="Noch geheim")
    outsider = await make_user(organisation=await make_organisation(network=network))
    api = await api_as(outsider)
    assert (await api.get(f"/api/v1/organisations/{pending.id}")).status_code == 404
    listing = await api.get("/api/v1/organisations")
    assert "Noch geheim" not in listing.text


async def test_pending_entry_of_a_verified_organisation__is_hidden_from_outsiders(
        make_network, make_organisation, make_user, api_as):
    herten, westerholt = await make_network(), await make_network()
    org = await make_organisation(network=herten)
    from resourcepool.db import sql

    await sql.execute("INSERT INTO network_organisation (network_id, organisation_id) VALUES ($1, $2)",
                      westerholt.id, org.id)
    outsider = await make_user()
    body = (await (await api_as(outsider)).get(f"/api/v1/organisations/{org.id}")).json()
    assert [n["network"] for n in body["networks"]] == [herten.slug]


async def test_unknown_and_huge_ids__are_404_or_4xx_never_500(make_user, api_as):
    api = await api_as(await make_user())
    assert (await api.get("/api/v1/organisations/999999")).status_code == 404
    assert 400 <= (await api.get("/api/v1/organisations/99999999999999999999999")).status_code < 500
    assert 400 <= (await api.get("/api/v1/organisations/-1")).status_code < 500


async def test_anonymous__gets_401_from_the_organisations_api(client, make_organisation):
    org = await make_organisation()
    assert (await client.get(f"/api/v1/organisations/{org.id}")).status_code == 401


async def test_non_coordinator__cannot_verify(make_network, make_organisation, make_user, api_as):
    network = await make_network()
    pending = await make_organisation(network=network, status="pending")
    manager = await make_user(organisation=pending, role="manager")
    response = await (await api_as(manager)).post(
        f"/api/v1/networks/{network.slug}/organisations/{pending.id}/verify")
    assert response.status_code == 403
    from resourcepool.db import sql

    assert await sql.fetch_value("SELECT status FROM network_organisation WHERE organisation_id = $1",
                                 pending.id) == "pending"


async def test_coordinator_of_another_network__cannot_verify(make_network, make_organisation, make_user, api_as):
    network, other = await make_network(), await make_network()
    pending = await make_organisation(network=network, status="pending")
    coordinator = await make_user(coordinator_of=other)
    response = await (await api_as(coordinator)).post(
        f"/api/v1/networks/{network.slug}/organisations/{pending.id}/verify")
    assert response.status_code == 403
    # nor by naming their own network
    response = await (await api_as(coordinator)).post(
        f"/api/v1/networks/{other.slug}/organisations/{pending.id}/verify")
    assert response.status_code == 404
    from resourcepool.db import sql

    assert await sql.fetch_value("SELECT status FROM network_organisation WHERE organisation_id = $1",
                                 pending.id) == "pending"


async def test_member_of_a__gets_403_or_404_on_b_pages(two_organisations, sign_in):
    _, a, b, a_manager, _ = two_organisations
    browser = await sign_in(a_manager)
    page = await browser.get(f"/organisations/{b.id}")
    assert page.status_code == 200
    assert "geheim@b.example" not in page.text and "chefin@b.example" not in page.text
    before = await database_state()
    response = await post_form(browser, f"/organisations/{b.id}/members",
                               {"email": "x@y.example", "name": "X", "role": "member"})
    assert response.status_code == 403
    assert await database_state() == before


async def test_non_coordinator__gets_403_on_the_coordinator_page(make_organisation, make_user, sign_in):
    org = await make_organisation()
    browser = await sign_in(await make_user(organisation=org, role="manager"))
    assert (await browser.get("/coordinator")).status_code == 403
    before = await database_state()
    response = await post_form(browser, f"/coordinator/{org.network.slug}/organisations/{org.id}/verify", {})
    assert response.status_code == 403
    assert await database_state() == before


async def test_coordinator_of_a_network_that_rejected_it__no_longer_sees_its_private_side(
        make_network, make_organisation, make_user, api_as, sign_in):
    from resourcepool.db import sql

    network = await make_network()
    org = await make_organisation(network=network, status="rejected", name="Abgelehnt e.V.")
    await sql.execute("UPDATE organisation SET contact_email = 'geheim@abgelehnt.example' WHERE id = $1", org.id)
    await make_user(organisation=org, role="manager", email="chef@abgelehnt.example")
    coordinator = await make_user(coordinator_of=network)
    api = await api_as(coordinator)

    body = (await api.get(f"/api/v1/organisations/{org.id}")).json()
    members = await api.get(f"/api/v1/organisations/{org.id}/members")
    page = await (await sign_in(coordinator)).get(f"/organisations/{org.id}")

    assert body["contact_email"] is None
    assert members.status_code == 403
    assert "geheim@abgelehnt.example" not in page.text and "chef@abgelehnt.example" not in page.text
    # Once it applies again, the coordinators see what they need to decide.
    await sql.execute("UPDATE network_organisation SET status = 'pending', decided_at = NULL WHERE organisation_id = $1",
                      org.id)
    assert (await api.get(f"/api/v1/organisations/{org.id}")).json()["contact_email"] == "geheim@abgelehnt.example"


async def test_manager_of_a__cannot_change_b_by_page_forms(two_organisations, make_user, sign_in):
    from resourcepool.db import sql

    _, _, b, a_manager, b_manager = two_organisations
    b_member = await make_user(organisation=b)
    browser = await sign_in(a_manager)
    before = await sql.fetch("SELECT user_id, organisation_id, role FROM membership ORDER BY id")
    attempts = [
        (f"/organisations/{b.id}", {"name": "Gekapert", "sector": "business"}),
        (f"/organisations/{b.id}/members/{b_member.id}/role", {"role": "manager"}),
        (f"/organisations/{b.id}/members/{b_manager.id}/role", {"role": "member"}),
        (f"/organisations/{b.id}/members/{b_member.id}/remove", {}),
        (f"/organisations/{b.id}/invitations/{b_member.id}/withdraw", {}),
    ]
    for url, data in attempts:
        response = await post_form(browser, url, data)
        assert response.status_code in (403, 404), (url, response.status_code)
    assert await sql.fetch_value("SELECT name FROM organisation WHERE id = $1", b.id) == "Verein B"
    assert await sql.fetch("SELECT user_id, organisation_id, role FROM membership ORDER BY id") == before
