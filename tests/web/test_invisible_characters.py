"""Direction overrides and other invisible formatting characters are refused in names, titles and
texts — through the API and the pages alike — with the message next to the field, nothing saved.

"Bürgerhaus\u202egnp.exe" shows as "Bürgerhausexe.png"; a name with U+2066 … U+2069 can pass for
another one. The check lives in textrules, through which every text passes; these tests go in by
the front doors.
"""

from datetime import timedelta

import pytest

from resourcepool.db import sql
from tests.fixtures.bookings import tomorrow_at
from tests.fixtures.platform import PASSWORD, post_form

RLO, LRI, PDI = "\u202e", "\u2066", "\u2069"


async def _counts() -> tuple:
    return tuple([await sql.fetch_value(f"SELECT count(*) FROM {t}")
                  for t in ("organisation", "app_user", "asset", "booking")])


@pytest.fixture
async def manager(make_network, make_organisation, make_user):
    network = await make_network(slug="herten")
    org = await make_organisation(network=network, name="Bürgerhaus")
    return await make_user(organisation=org, role="manager")


@pytest.mark.parametrize("where, body", [
    ("asset title", {"kind": "room", "title": f"Saal{RLO}gnp.exe"}),
    ("asset description", {"kind": "room", "title": "Saal", "description": f"Zeile 1\n{LRI}Zeile 2{PDI}"}),
    ("asset topics", {"kind": "expertise", "title": "Beratung", "topics": [f"Steuern{RLO}"]}),
])
async def test_api__asset_texts_with_invisible_formatting_are_refused(manager, api_as, where, body):
    before = await _counts()
    response = await (await api_as(manager)).post("/api/v1/assets",
                                                  json={"organisation_id": manager.organisation.id, **body})
    assert response.status_code == 422, (where, response.text)
    assert response.json()["field"] in body and "unsichtbare" in response.json()["detail"]
    assert await _counts() == before


async def test_api__organisation_name_and_booking_purpose_are_refused(manager, make_asset, api_as):
    api = await api_as(manager)
    before = await _counts()
    renamed = await api.patch(f"/api/v1/organisations/{manager.organisation.id}",
                              json={"description": f"Wir{RLO} sind da"})
    assert renamed.status_code == 422 and renamed.json()["field"] == "description"
    asset = await make_asset(organisation=manager.organisation)
    before = await _counts()
    start = tomorrow_at(10)
    booked = await api.post("/api/v1/bookings", json={
        "asset_id": asset.id, "start": start.isoformat(), "end": (start + timedelta(hours=1)).isoformat(),
        "purpose": f"Treffen {LRI}geheim{PDI}"})
    assert booked.status_code == 422 and booked.json()["field"] == "purpose"
    assert await _counts() == before
    assert await sql.fetch_value("SELECT description FROM organisation WHERE id = $1", manager.organisation.id) == ""


async def test_join_page__shows_the_refusal_next_to_the_name_and_creates_nothing(client, make_network):
    await make_network(slug="westerholt")
    before = await _counts()
    response = await post_form(client, "/apply", {
        "network": "westerholt", "name": f"Tafel{RLO}ue", "sector": "nonprofit", "manager_name": f"Jana{LRI}",
        "email": "jana@tafel.example", "password": PASSWORD})
    assert response.status_code == 422
    assert 'id="f-name-error"' in response.text and "unsichtbare" in response.text
    assert await _counts() == before
