"""Only managers of the asset's owner read or change its external calendar; others learn
nothing (404 where they may not see the asset) and change nothing."""

from __future__ import annotations

import pytest

from resourcepool.db import sql
from tests.external_calendar_support import THURSDAYS, TUESDAYS

ICS = {"Content-Type": "text/calendar"}


@pytest.fixture
async def imported(world):
    response = await world["api"].put(f"/api/v1/assets/{world['room'].id}/external-calendar",
                                      content=TUESDAYS, headers=ICS)
    assert response.status_code == 200
    return world


async def _attempts(client, asset_id: int) -> list[int]:
    url = f"/api/v1/assets/{asset_id}/external-calendar"
    return [(await client.get(url)).status_code,
            (await client.put(url, content=THURSDAYS, headers=ICS)).status_code,
            (await client.put(url, json={"url": "https://example.org/a.ics"})).status_code,
            (await client.delete(url)).status_code]


async def test_members_and_other_organisations_are_refused_and_change_nothing(imported, api_as, make_user,
                                                                             make_organisation, make_network, client):
    world = imported
    before = await sql.fetch("SELECT id, starts_at FROM asset_busy ORDER BY id")
    outsider_org = await make_organisation(network=await make_network())
    outsider = await make_user(organisation=outsider_org, role="manager")
    neighbour = await make_user(organisation=world["booker"], role="manager")
    assert await _attempts(await api_as(world["member"]), world["room"].id) == [403] * 4
    assert await _attempts(await api_as(neighbour), world["room"].id) == [403] * 4
    assert await _attempts(await api_as(outsider), world["room"].id) == [404] * 4  # may not see the asset
    assert await _attempts(client, world["room"].id) == [401] * 4
    assert await _attempts(await api_as(world["manager"]), 9_999_999) == [404] * 4
    assert await sql.fetch("SELECT id, starts_at FROM asset_busy ORDER BY id") == before


async def test_pages__others_cannot_post_to_the_calendar_forms(imported, sign_in, make_user):
    from tests.fixtures.platform import post_form

    world = imported
    page = await sign_in(world["member"])
    await page.get("/catalogue")
    base = f"/our-assets/{world['room'].id}/external-calendar"
    assert (await post_form(page, base + "/delete")).status_code == 403
    assert (await post_form(page, base + "/url", {"url": "https://example.org/a.ics"})).status_code == 403
    assert await sql.fetch_value("SELECT count(*) FROM external_calendar") == 1
