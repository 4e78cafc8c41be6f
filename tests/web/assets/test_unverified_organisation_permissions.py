"""Members of an organisation no network has verified yet may neither see the network's assets
(API and pages: 404, as if they did not exist) nor offer their own — and nothing changes."""

import pytest

from resourcepool.db import sql
from tests.fixtures.bookings import tomorrow_at
from tests.fixtures.platform import post_form


@pytest.fixture
async def waiting(make_network, make_organisation, make_user, make_asset):
    network = await make_network()
    pending = await make_organisation(network=network, status="pending", name="Seniorenbeirat")
    asset = await make_asset(organisation=await make_organisation(network=network), networks=[network],
                             title="Großer Saal im Bürgerhaus")
    return {"asset": asset, "member": await make_user(organisation=pending),
            "manager": await make_user(organisation=pending, role="manager"), "organisation": pending}


async def _assets() -> int:
    return await sql.fetch_value("SELECT count(*) FROM asset")


@pytest.mark.parametrize("who", ["member", "manager"])
async def test_api__the_networks_assets_do_not_exist_for_an_unverified_organisation(waiting, api_as, who):
    api, asset = await api_as(waiting[who]), waiting["asset"]
    assert (await api.get(f"/api/v1/assets/{asset.id}")).status_code == 404
    window = {"from": tomorrow_at(8).isoformat(), "to": tomorrow_at(18).isoformat()}
    assert (await api.get(f"/api/v1/assets/{asset.id}/availability", params=window)).status_code == 404
    listed = await api.get("/api/v1/assets")
    assert listed.status_code == 200 and listed.json()["total"] == 0


@pytest.mark.parametrize("who", ["member", "manager"])
async def test_pages__the_networks_assets_do_not_exist_for_an_unverified_organisation(waiting, sign_in, who):
    browser, asset = await sign_in(waiting[who]), waiting["asset"]
    assert (await browser.get(f"/assets/{asset.id}")).status_code == 404
    assert (await browser.get(f"/bookings/new?asset_id={asset.id}")).status_code == 404
    catalogue = await browser.get("/catalogue")
    assert catalogue.status_code == 200 and "Großer Saal" not in catalogue.text


async def test_api__an_unverified_organisation_cannot_offer_an_asset(waiting, api_as):
    before = await _assets()
    response = await (await api_as(waiting["manager"])).post("/api/v1/assets", json={
        "organisation_id": waiting["organisation"].id, "kind": "room", "title": "Unser Raum"})
    assert response.status_code == 403, response.text
    assert await _assets() == before


async def test_page__an_unverified_organisation_cannot_offer_an_asset(waiting, sign_in):
    browser = await sign_in(waiting["manager"])
    before = await _assets()
    response = await post_form(browser, "/our-assets/new", {
        "organisation_id": str(waiting["organisation"].id), "kind": "room", "title": "Unser Raum"})
    assert response.status_code == 403, response.text
    assert await _assets() == before
