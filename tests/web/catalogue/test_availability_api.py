"""GET /api/v1/assets/{id}/availability: free pieces with units, private busy blocks, DST days."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

BERLIN = ZoneInfo("Europe/Berlin")
DAILY_8_22 = [(d, "08:00", "22:00") for d in range(7)]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BERLIN)


@pytest.fixture
async def world(make_network, make_organisation, make_user, make_asset, api_as):
    network = await make_network()
    owner = await make_organisation(network=network, name="Bürgerhaus")
    booker = await make_organisation(network=network, name="Chor")
    member = await make_user(organisation=booker)
    return {"network": network, "owner": owner, "booker": booker, "member": member,
            "api": await api_as(member), "make_asset": make_asset}


@pytest.mark.parametrize("day, offset", [("2026-03-29", "+02:00"), ("2026-10-25", "+01:00")])
async def test_availability__on_switch_days_keeps_local_opening_hours(world, day, offset):
    asset = await world["make_asset"](organisation=world["owner"], opening_hours=DAILY_8_22)
    response = await world["api"].get(
        f"/api/v1/assets/{asset.id}/availability",
        params={"from": f"{day}T00:00:00{offset}", "to": f"{day}T23:00:00{offset}"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["free"] == [{"start": f"{day}T08:00:00{offset}", "end": f"{day}T22:00:00{offset}",
                             "quantity": 1}]
    assert [b["source"] for b in body["busy"]] == ["closed", "closed"]


async def test_availability__ten_units_with_seven_held_show_three_free(world, make_booking):
    asset = await world["make_asset"](organisation=world["owner"], kind="device", quantity=10)
    await make_booking(asset, organisation=world["booker"], start=at("2026-05-04T10:00"),
                       end=at("2026-05-04T12:00"), quantity=4)
    await make_booking(asset, organisation=world["owner"], start=at("2026-05-04T10:00"),
                       end=at("2026-05-04T12:00"), quantity=3, status="requested")
    await make_booking(asset, organisation=world["owner"], start=at("2026-05-04T10:00"),
                       end=at("2026-05-04T12:00"), quantity=3, status="cancelled")
    response = await world["api"].get(
        f"/api/v1/assets/{asset.id}/availability",
        params={"from": "2026-05-04T09:00:00+02:00", "to": "2026-05-04T13:00:00+02:00"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["free"] == [
        {"start": "2026-05-04T09:00:00+02:00", "end": "2026-05-04T10:00:00+02:00", "quantity": 10},
        {"start": "2026-05-04T10:00:00+02:00", "end": "2026-05-04T12:00:00+02:00", "quantity": 3},
        {"start": "2026-05-04T12:00:00+02:00", "end": "2026-05-04T13:00:00+02:00", "quantity": 10},
    ]
    assert response.json()["busy"] == []


async def test_availability__busy_blocks_show_only_time_and_source(world, make_booking, make_closure):
    asset = await world["make_asset"](organisation=world["owner"], opening_hours=DAILY_8_22)
    await make_booking(asset, organisation=world["owner"], start=at("2026-05-04T10:00"),
                       end=at("2026-05-04T12:00"), purpose="Geheime Sitzung")
    await make_closure(asset, starts_at=at("2026-05-04T14:00"), ends_at=at("2026-05-04T15:00"))
    response = await world["api"].get(
        f"/api/v1/assets/{asset.id}/availability",
        params={"from": "2026-05-04T07:00:00+02:00", "to": "2026-05-04T16:00:00+02:00"},
    )
    body = response.json()
    assert "Geheime" not in response.text
    assert body["busy"] == [
        {"start": "2026-05-04T07:00:00+02:00", "end": "2026-05-04T08:00:00+02:00", "source": "closed"},
        {"start": "2026-05-04T10:00:00+02:00", "end": "2026-05-04T12:00:00+02:00", "source": "booking"},
        {"start": "2026-05-04T14:00:00+02:00", "end": "2026-05-04T15:00:00+02:00", "source": "closure"},
    ]
    assert [(f["start"][11:16], f["end"][11:16]) for f in body["free"]] == [
        ("08:00", "10:00"), ("12:00", "14:00"), ("15:00", "16:00")]


@pytest.mark.parametrize("params, field", [
    ({"from": "2026-05-04T12:00:00+02:00", "to": "2026-05-04T10:00:00+02:00"}, "to"),
    ({"from": "2026-01-01T00:00:00+01:00", "to": "2031-01-01T00:00:00+01:00"}, "to"),
    ({"from": "gestern", "to": "2026-05-04T10:00:00+02:00"}, "from"),
    ({"from": "", "to": "2026-05-04T10:00:00+02:00"}, "from"),
    ({"from": "2026-05-04T09:00:00+02:00", "to": "   "}, "to"),
    ({"from": "0001-01-01T00:00:00+00:00", "to": "0001-01-02T00:00:00+00:00"}, "from"),
    ({"from": "9999-12-31T00:00:00+00:00", "to": "9999-12-31T23:00:00+00:00"}, "from"),
    ({"from": "2026-05-04T09:00:00+02:00", "to": "9999-12-31"}, "to"),
    ({"from": "0001-01-01", "to": "2026-05-04"}, "from"),
    ({"from": "2026-05-04T09:00\x00", "to": "2026-05-04T10:00:00+02:00"}, "from"),
], ids=["end before start", "five years", "not a date", "empty from", "blank to", "year 1", "year 9999",
        "to in 9999", "bare date in year 1", "NUL"])
async def test_availability__refuses_bad_windows_with_a_clear_message(world, params, field):
    asset = await world["make_asset"](organisation=world["owner"])
    response = await world["api"].get(f"/api/v1/assets/{asset.id}/availability", params=params)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "validation_error"
    assert response.json()["field"] == field
    assert response.json()["detail"]


async def test_availability__of_an_asset_in_another_network_is_not_found(world, make_organisation, make_network):
    elsewhere = await make_organisation(network=await make_network())
    asset = await world["make_asset"](organisation=elsewhere)
    response = await world["api"].get(
        f"/api/v1/assets/{asset.id}/availability",
        params={"from": "2026-05-04T09:00:00+02:00", "to": "2026-05-04T13:00:00+02:00"},
    )
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
