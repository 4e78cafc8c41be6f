""""Free" in search, availability and the week calendar means the booking service takes it.

The booking service holds a new booking's span widened by the asset's buffers and refuses it
when that meets another booking's held span. Each view below is asked about an asset with
buffers, and its verdict is checked by booking: what it reports free is booked (201), what it
reports busy is refused (409).

The room has 30 minutes before and 15 after each booking; a booking 10:00–12:00 holds
09:30–12:15, so a new one must end by 09:15 or start at 12:45.
"""

from __future__ import annotations

import re
from datetime import datetime
from html import unescape
from urllib.parse import parse_qs
from zoneinfo import ZoneInfo

import pytest

from resourcepool import clock

BERLIN = ZoneInfo("Europe/Berlin")
DAY = "2026-05-05"  # a Tuesday
NOW = datetime(2026, 5, 1, 8, tzinfo=BERLIN)
DAILY_8_22 = [(d, "08:00", "22:00") for d in range(7)]


def at(hhmm: str) -> datetime:
    return datetime.fromisoformat(f"{DAY}T{hhmm}").replace(tzinfo=BERLIN)


@pytest.fixture
async def world(make_network, make_organisation, make_user, make_asset, make_booking, api_as, sign_in):
    network = await make_network()
    owner = await make_organisation(network=network, name="Bürgerhaus")
    booker = await make_organisation(network=network, name="Chor")
    member = await make_user(organisation=booker, locale="en")
    policy = {"slot_minutes": 15, "min_duration_minutes": 15, "lead_time_minutes": 0}
    room = await make_asset(organisation=owner, title="Saal mit Puffer", opening_hours=DAILY_8_22,
                            buffer_before_minutes=30, buffer_after_minutes=15, **policy)
    tables = await make_asset(organisation=owner, kind="device", quantity=3, title="Tische",
                              opening_hours=DAILY_8_22, buffer_after_minutes=60, **policy)
    await make_booking(room, organisation=owner, start=at("10:00"), end=at("12:00"))
    await make_booking(tables, organisation=owner, start=at("10:00"), end=at("12:00"), quantity=2)
    return {"api": await api_as(member), "pages": await sign_in(member), "room": room, "tables": tables}


async def book(world, asset, start: datetime, end: datetime, quantity: int = 1) -> int:
    with clock.frozen_at(NOW):
        response = await world["api"].post("/api/v1/bookings", json={
            "asset_id": asset.id, "start": start.isoformat(), "end": end.isoformat(),
            "purpose": "Probe", "quantity": quantity})
    assert response.status_code in (201, 409), response.text
    if response.status_code == 409:
        assert response.json()["code"] == "slot_unavailable"
    return response.status_code


async def found(world, start: str, end: str, **params) -> bool:
    response = await world["api"].get("/api/v1/assets", params={
        "free_from": f"{DAY}T{start}:00+02:00", "free_to": f"{DAY}T{end}:00+02:00", **params})
    assert response.status_code == 200, response.text
    return world["room"].id in [item["id"] for item in response.json()["items"]]


async def test_search__reports_free_only_what_the_buffers_leave_bookable(world):
    room = world["room"]
    assert not await found(world, "09:00", "10:00")  # would hold 08:30–10:15
    assert not await found(world, "12:30", "13:30")  # would hold 12:00–13:45
    assert await found(world, "08:00", "09:15")
    assert await found(world, "12:45", "13:45")
    assert await book(world, room, at("09:00"), at("10:00")) == 409
    assert await book(world, room, at("12:30"), at("13:30")) == 409
    assert await book(world, room, at("08:00"), at("09:15")) == 201
    assert await book(world, room, at("12:45"), at("13:45")) == 201


async def test_availability__free_pieces_leave_room_for_the_buffers(world):
    room = world["room"]
    response = await world["api"].get(f"/api/v1/assets/{room.id}/availability",
                                      params={"from": f"{DAY}T08:00:00+02:00", "to": f"{DAY}T14:00:00+02:00"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert [(f["start"][11:16], f["end"][11:16]) for f in body["free"]] == [("08:00", "09:15"), ("12:45", "14:00")]
    assert [(b["start"][11:16], b["end"][11:16], b["source"]) for b in body["busy"]] == [
        ("09:15", "12:45", "booking")]
    assert await book(world, room, at("08:30"), at("09:30")) == 409
    assert await book(world, room, at("12:30"), at("13:00")) == 409
    assert await book(world, room, at("08:00"), at("09:15")) == 201
    assert await book(world, room, at("12:45"), at("14:00")) == 201


async def test_availability__units_free_count_what_the_buffers_of_a_pool_meet(world):
    tables = world["tables"]
    response = await world["api"].get(f"/api/v1/assets/{tables.id}/availability",
                                      params={"from": f"{DAY}T08:00:00+02:00", "to": f"{DAY}T14:00:00+02:00"})
    # Two of three held 10:00–12:00 (13:00 with the hour after): a booking ending after 09:00
    # would reach them with its own hour after.
    assert [(f["start"][11:16], f["end"][11:16], f["quantity"]) for f in response.json()["free"]] == [
        ("08:00", "09:00", 3), ("09:00", "13:00", 1), ("13:00", "14:00", 3)]
    assert await book(world, tables, at("08:30"), at("09:30"), quantity=2) == 409
    assert await book(world, tables, at("12:00"), at("13:00"), quantity=2) == 409
    assert await book(world, tables, at("08:00"), at("09:00"), quantity=2) == 201
    assert await book(world, tables, at("09:00"), at("13:00"), quantity=1) == 201


def _cells(html: str, row: str) -> list[str]:
    found = re.findall(rf'<tr>\s*<th scope="row">{row}</th>(.*?)</tr>', html, re.S)[0]
    return re.findall(r'<td class="cal-(\w+)"', found)


async def test_week_calendar__free_cells_book_and_busy_cells_are_refused(world):
    room = world["room"]
    with clock.frozen_at(NOW):
        html = (await world["pages"].get(f"/assets/{room.id}?week={DAY}")).text
    tuesday = 1
    states = {row: _cells(html, row)[tuesday] for row in ("08:30", "09:00", "12:00", "12:30", "13:00")}
    assert states == {"08:30": "free", "09:00": "booking", "12:00": "booking", "12:30": "booking",
                      "13:00": "free"}
    links = [parse_qs(unescape(q)) for q in re.findall(r'href="/bookings/new\?([^"]+)"', html)]
    starts = {q["start"][0]: q["end"][0] for q in links if q["start"][0].startswith(DAY)}
    assert f"{DAY}T09:00:00+02:00" not in starts and f"{DAY}T12:30:00+02:00" not in starts
    for start in (f"{DAY}T08:30:00+02:00", f"{DAY}T13:00:00+02:00"):
        end = datetime.fromisoformat(starts[start])
        assert await book(world, room, datetime.fromisoformat(start), end) == 201
    assert await book(world, room, at("09:00"), at("09:30")) == 409
    assert await book(world, room, at("12:30"), at("13:00")) == 409
