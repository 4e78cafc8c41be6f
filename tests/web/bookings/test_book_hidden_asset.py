"""Booking an asset you may not see is 404, as for one that does not exist (not 422 asset_inactive,
which told that it exists): another network's asset, another organisation's draft or retired one."""

from datetime import timedelta

import pytest

from resourcepool.db import sql
from tests.fixtures.bookings import tomorrow_at
from tests.fixtures.platform import post_form
from tests.db_state import database_state

MISSING = 10**12


@pytest.fixture
async def stranger_and_hidden(make_network, make_organisation, make_user, make_asset):
    mine, other = await make_network(), await make_network()
    org = await make_organisation(network=mine)
    neighbour = await make_organisation(network=mine)
    hidden = {
        "other network": await make_asset(organisation=await make_organisation(network=other), networks=[other]),
        "draft": await make_asset(organisation=neighbour, networks=[mine], status="draft"),
        "retired": await make_asset(organisation=neighbour, networks=[mine], status="retired"),
    }
    return await make_user(organisation=org), hidden, await make_asset(organisation=neighbour, networks=[mine],
                                                                        status="paused")


def _request(asset_id: int) -> dict:
    start = tomorrow_at(10)
    return {"asset_id": asset_id, "start": start.isoformat(), "end": (start + timedelta(hours=1)).isoformat(),
            "purpose": "Probe"}


async def test_api__booking_a_hidden_asset_answers_exactly_as_a_missing_one(stranger_and_hidden, api_as):
    user, hidden, _ = stranger_and_hidden
    api = await api_as(user)
    missing = await api.post("/api/v1/bookings", json=_request(MISSING))
    assert missing.status_code == 404
    for what, asset in hidden.items():
        for series in (None, "FREQ=WEEKLY;COUNT=3"):
            body = _request(asset.id) | ({"recurrence": series} if series else {})
            response = await api.post("/api/v1/bookings", json=body)
            assert response.status_code == 404, (what, series, response.text)
            assert {k: v for k, v in response.json().items() if k != "instance"} == {
                k: v for k, v in missing.json().items() if k != "instance"}, what
    assert await sql.fetch_value("SELECT count(*) FROM booking") == 0
    assert await sql.fetch_value("SELECT count(*) FROM booking_series") == 0


async def test_api__a_paused_asset_you_may_see__is_still_refused_as_inactive(stranger_and_hidden, api_as):
    user, _, paused = stranger_and_hidden
    api = await api_as(user)
    before = await database_state()
    response = await api.post("/api/v1/bookings", json=_request(paused.id))
    assert response.status_code == 422 and response.json()["rule"] == "asset_inactive"
    assert await database_state() == before


async def test_page__booking_form_and_post_for_a_hidden_asset_are_404(stranger_and_hidden, sign_in):
    user, hidden, _ = stranger_and_hidden
    browser = await sign_in(user)
    for asset in hidden.values():
        assert (await browser.get(f"/bookings/new?asset_id={asset.id}")).status_code == 404
        start = tomorrow_at(10)
        posted = await post_form(browser, "/bookings/new", {
            "asset_id": str(asset.id), "start": start.strftime("%Y-%m-%dT%H:%M"),
            "end": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"), "purpose": "Probe"})
        assert posted.status_code == 404
    assert await sql.fetch_value("SELECT count(*) FROM booking") == 0
