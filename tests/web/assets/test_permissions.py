"""Who may manage an asset: managers of the owner may; its members may not; other organisations never.

Shown through the API and through the pages; every refused attempt leaves the database unchanged.
"""

import pytest

from resourcepool.db import sql
from tests.fixtures.platform import post_form
from tests.db_state import database_state


@pytest.fixture
async def world(make_network, make_organisation, make_user, make_asset):
    network = await make_network()
    a = await make_organisation(network=network, name="Verein A")
    b = await make_organisation(network=network, name="Verein B")
    return {
        "a": a, "b": b,
        "manager_a": await make_user(organisation=a, role="manager"),
        "member_a": await make_user(organisation=a, role="member"),
        "manager_b": await make_user(organisation=b, role="manager"),
        "asset": await make_asset(organisation=a, title="Saal A"),
    }


async def _snapshot(asset_id):
    return await sql.fetch_one("SELECT title, status, updated_at FROM asset WHERE id = $1", asset_id)


# --- API ----------------------------------------------------------------------------------


async def test_api__manager_of_a_creates_edits_and_retires_a_asset(world, api_as):
    api = await api_as(world["manager_a"])
    created = await api.post("/api/v1/assets", json={"organisation_id": world["a"].id, "kind": "device",
                                                      "title": "Beamer"})
    assert created.status_code == 201
    asset_id = created.json()["id"]
    assert (await api.patch(f"/api/v1/assets/{asset_id}", json={"title": "Beamer HD"})).status_code == 200
    retired = await api.patch(f"/api/v1/assets/{asset_id}", json={"status": "retired"})
    assert retired.status_code == 200 and retired.json()["status"] == "retired"


@pytest.mark.parametrize("who,status", [("member_a", 403), ("manager_b", 403)])
async def test_api__others_cannot_create_edit_or_retire(world, api_as, who, status):
    api = await api_as(world[who])
    asset = world["asset"]
    before = await _snapshot(asset.id)
    created = await api.post("/api/v1/assets", json={"organisation_id": world["a"].id, "kind": "room",
                                                      "title": "Fremder Saal"})
    assert created.status_code == 403 and created.json()["code"] == "forbidden"
    for method, url, body in (
        ("PATCH", f"/api/v1/assets/{asset.id}", {"title": "Gekapert"}),
        ("PATCH", f"/api/v1/assets/{asset.id}", {"status": "retired"}),
        ("PUT", f"/api/v1/assets/{asset.id}/opening-hours", {"opening_hours": []}),
        ("POST", f"/api/v1/assets/{asset.id}/closures", {"start": "2027-01-01T00:00", "end": "2027-01-02T00:00"}),
    ):
        response = await api.request(method, url, json=body)
        assert response.status_code == status, (method, url, response.text)
    assert await _snapshot(asset.id) == before
    assert await sql.fetch_value("SELECT count(*) FROM asset") == 1
    assert await sql.fetch_value("SELECT count(*) FROM closure") == 0


async def test_api__an_invisible_asset_of_another_organisation_is_not_found(world, api_as, make_asset, make_organisation):
    elsewhere = await make_organisation(name="Anderes Netz")
    hidden = await make_asset(organisation=elsewhere)
    api = await api_as(world["manager_a"])
    assert (await api.get(f"/api/v1/assets/{hidden.id}")).status_code == 404
    before = await database_state()
    assert (await api.patch(f"/api/v1/assets/{hidden.id}", json={"title": "x"})).status_code == 404
    assert await database_state() == before


async def test_api__anonymous_cannot_create(world, client):
    response = await client.post("/api/v1/assets", json={"organisation_id": world["a"].id, "kind": "room",
                                                         "title": "x"})
    assert response.status_code == 401
    assert await sql.fetch_value("SELECT count(*) FROM asset") == 1


async def test_api__drafts_are_seen_by_owners_only(world, api_as, make_asset):
    draft = await make_asset(organisation=world["a"], status="draft")
    assert (await (await api_as(world["member_a"])).get(f"/api/v1/assets/{draft.id}")).status_code == 200
    assert (await (await api_as(world["manager_b"])).get(f"/api/v1/assets/{draft.id}")).status_code == 404


async def test_public_catalogue__shows_only_active_assets_to_the_public(client, make_network, make_organisation, make_asset):
    public = await make_network(public_catalogue=True)
    org = await make_organisation(network=public)
    active = await make_asset(organisation=org)
    paused = await make_asset(organisation=org, status="paused")
    assert (await client.get(f"/api/v1/assets/{active.id}")).status_code == 200
    assert (await client.get(f"/api/v1/assets/{paused.id}")).status_code == 404
    closed = await make_asset()  # its own, non-public network
    assert (await client.get(f"/api/v1/assets/{closed.id}")).status_code == 404


# --- pages --------------------------------------------------------------------------------


async def test_pages__manager_of_a_creates_edits_and_retires_a_asset(world, sign_in):
    browser = await sign_in(world["manager_a"])
    assert (await browser.get("/our-assets")).status_code == 200
    response = await post_form(browser, "/our-assets/new", {
        "kind": "room", "organisation_id": str(world["a"].id), "title": "Gemeindesaal",
        "capacity": "80", "networks": world["a"].network.slug})
    assert response.status_code == 303, response.text
    asset_id = int(response.headers["location"].split("/")[2])
    response = await post_form(browser, f"/our-assets/{asset_id}/edit", {
        "title": "Gemeindesaal St. Antonius", "capacity": "90", "networks": world["a"].network.slug})
    assert response.status_code == 303, response.text
    response = await post_form(browser, f"/our-assets/{asset_id}/status", {"action": "retire"})
    assert response.status_code == 303
    row = await sql.fetch_one("SELECT title, capacity, status FROM asset WHERE id = $1", asset_id)
    assert (row["title"], row["capacity"], row["status"]) == ("Gemeindesaal St. Antonius", 90, "retired")


@pytest.mark.parametrize("who", ["member_a", "manager_b"])
async def test_pages__others_cannot_create_edit_or_retire(world, sign_in, who):
    browser = await sign_in(world[who])
    asset = world["asset"]
    before = await _snapshot(asset.id)
    assert (await browser.get(f"/our-assets/{asset.id}/edit")).status_code == 403
    response = await post_form(browser, "/our-assets/new", {
        "kind": "room", "organisation_id": str(world["a"].id), "title": "Fremder Saal"})
    assert response.status_code == 403
    for url, data in ((f"/our-assets/{asset.id}/edit", {"title": "Gekapert"}),
                      (f"/our-assets/{asset.id}/status", {"action": "retire"}),
                      (f"/our-assets/{asset.id}/hours", {"h0_0_from": "08:00", "h0_0_until": "09:00"}),
                      (f"/our-assets/{asset.id}/closures", {"start": "2027-01-01T00:00", "end": "2027-01-02T00:00"})):
        response = await post_form(browser, url, data)
        assert response.status_code == 403, (url, response.status_code)
    assert await _snapshot(asset.id) == before
    assert await sql.fetch_value("SELECT count(*) FROM asset") == 1
    assert await sql.fetch_value("SELECT count(*) FROM opening_hours") == 0


async def test_pages__member_sees_no_our_assets_list(world, sign_in):
    browser = await sign_in(world["member_a"])
    assert (await browser.get("/our-assets")).status_code == 403


async def test_pages__anonymous_is_sent_to_sign_in(client, world):
    response = await client.get("/our-assets")
    assert response.status_code in (302, 303) and response.headers["location"].startswith("/login")


async def test_api__a_coordinator_sees_the_networks_assets_but_may_not_change_them(world, api_as, make_user, make_asset):
    coordinator = await make_user(coordinator_of=world["a"].network)
    draft = await make_asset(organisation=world["a"], status="draft")
    api = await api_as(coordinator)
    assert (await api.get(f"/api/v1/assets/{world['asset'].id}")).status_code == 200
    assert (await api.get(f"/api/v1/assets/{draft.id}")).status_code == 404
    before = await database_state()
    assert (await api.patch(f"/api/v1/assets/{world['asset'].id}", json={"title": "x"})).status_code == 403
    assert await database_state() == before


# --- photo and closures: only managers of the owner ------------------------------------------


@pytest.fixture
async def furnished(world, make_closure):
    """The asset of A with a photo and a closure, as its manager left them."""
    from tests.web.assets.test_photo import tiny_png

    asset = world["asset"]
    await sql.execute("INSERT INTO asset_photo (asset_id, content_type, data) VALUES ($1, 'image/png', $2)",
                      asset.id, tiny_png())
    closure = await make_closure(asset)
    return {**world, "closure": closure, "png": tiny_png()}


async def _photo_and_closures(asset_id):
    photo = await sql.fetch_value("SELECT data FROM asset_photo WHERE asset_id = $1", asset_id)
    closures = await sql.fetch_value("SELECT count(*) FROM closure WHERE asset_id = $1", asset_id)
    return bytes(photo) if photo is not None else None, closures


@pytest.mark.parametrize("who", ["member_a", "manager_b"])
async def test_api__others_cannot_replace_or_remove_the_photo_or_remove_a_closure(furnished, api_as, who):
    world = furnished
    asset = world["asset"]
    before = await _photo_and_closures(asset.id)
    api = await api_as(world[who])
    other_png = world["png"].replace(b"\xff\x80", b"\x10\x20")
    upload = await api.put(f"/api/v1/assets/{asset.id}/photo", files={"photo": ("neu.png", other_png, "image/png")})
    assert upload.status_code == 403 and upload.json()["code"] == "forbidden"
    assert (await api.delete(f"/api/v1/assets/{asset.id}/photo")).status_code == 403
    gone = await api.delete(f"/api/v1/assets/{asset.id}/closures/{world['closure'].id}")
    assert gone.status_code == 403
    assert await _photo_and_closures(asset.id) == before


async def test_api__a_photo_for_an_asset_without_one_is_not_stored_for_others(world, api_as):
    from tests.web.assets.test_photo import tiny_png

    api = await api_as(world["member_a"])
    response = await api.put(f"/api/v1/assets/{world['asset'].id}/photo", files={"photo": ("b.png", tiny_png(), "image/png")})
    assert response.status_code == 403
    assert await sql.fetch_value("SELECT count(*) FROM asset_photo") == 0


@pytest.mark.parametrize("who", ["member_a", "manager_b"])
async def test_pages__others_cannot_replace_or_remove_the_photo_or_remove_a_closure(furnished, sign_in, who):
    world = furnished
    asset = world["asset"]
    before = await _photo_and_closures(asset.id)
    browser = await sign_in(world[who])
    upload = await browser.post(f"/our-assets/{asset.id}/photo", data={"_csrf_token": browser.cookies.get("rp_csrf")},
                                files={"photo": ("neu.png", world["png"] + b"x", "image/png")})
    assert upload.status_code == 403
    for url in (f"/our-assets/{asset.id}/photo/delete", f"/our-assets/{asset.id}/closures/{world['closure'].id}/delete"):
        response = await post_form(browser, url, {})
        assert response.status_code == 403, url
    assert await _photo_and_closures(asset.id) == before


async def test_api__the_manager_of_a_replaces_the_photo_and_removes_the_closure(furnished, api_as):
    world = furnished
    asset = world["asset"]
    api = await api_as(world["manager_a"])
    upload = await api.put(f"/api/v1/assets/{asset.id}/photo", files={"photo": ("neu.png", world["png"] + b"x", "image/png")})
    assert upload.status_code == 200, upload.text
    assert (await api.delete(f"/api/v1/assets/{asset.id}/closures/{world['closure'].id}")).status_code == 204
    assert (await api.delete(f"/api/v1/assets/{asset.id}/photo")).status_code == 204
    assert await _photo_and_closures(asset.id) == (None, 0)
