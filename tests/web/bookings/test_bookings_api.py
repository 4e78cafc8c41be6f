"""The booking API: idempotent retries, bad input as 4xx with nothing changed, lists."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from resourcepool import clock
from resourcepool.db import sql
from tests.fixtures.bookings import tomorrow_at
from tests.db_state import database_state


def body(asset_id, **kw):
    data = {"asset_id": asset_id, "start": tomorrow_at(10).isoformat(),
            "end": tomorrow_at(12).isoformat(), "purpose": "Probe"}
    data.update(kw)
    return data


async def _counts():
    return (await sql.fetch_value("SELECT count(*) FROM booking"),
            await sql.fetch_value("SELECT count(*) FROM booking_event"),
            await sql.fetch_value("SELECT count(*) FROM booking_series"))


async def test_a_retried_post_with_the_same_key__creates_one_booking(booked_world, api_as):
    world = await booked_world()
    http = await api_as(world["booker"])
    headers = {"Idempotency-Key": "7f1c2a9e-retry"}
    first = await http.post("/api/v1/bookings", json=body(world["asset"].id), headers=headers)
    again = await http.post("/api/v1/bookings", json=body(world["asset"].id), headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert await sql.fetch_value("SELECT count(*) FROM booking") == 1
    # Another body under the same key is refused; another key books afresh (here: a clash).
    other = await http.post("/api/v1/bookings", json=body(world["asset"].id, purpose="Anders"),
                            headers=headers)
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    fresh = await http.post("/api/v1/bookings", json=body(world["asset"].id),
                            headers={"Idempotency-Key": "another"})
    assert fresh.status_code == 409
    # The refusal is remembered too: the same key gets the same 409.
    replay = await http.post("/api/v1/bookings", json=body(world["asset"].id),
                             headers={"Idempotency-Key": "another"})
    assert replay.status_code == 409 and replay.json() == fresh.json()
    assert await sql.fetch_value("SELECT count(*) FROM booking") == 1


async def test_concurrent_retries_with_one_key__book_once(booked_world, api_as):
    world = await booked_world()
    http = await api_as(world["booker"])
    headers = {"Idempotency-Key": "same-key"}
    responses = await asyncio.gather(*(http.post("/api/v1/bookings", json=body(world["asset"].id),
                                                 headers=headers) for _ in range(10)))
    codes = [r.status_code for r in responses]
    assert set(codes) <= {201, 409} and 201 in codes
    in_flight = [r.json()["code"] for r in responses if r.status_code == 409]
    assert set(in_flight) <= {"idempotency_in_flight"}
    assert await sql.fetch_value("SELECT count(*) FROM booking") == 1


async def test_keys_are_per_user(booked_world, api_as, make_user):
    world = await booked_world()
    a = await api_as(world["booker"])
    b = await api_as(await make_user(organisation=world["booker_org"]))
    headers = {"Idempotency-Key": "k"}
    assert (await a.post("/api/v1/bookings", json=body(world["asset"].id), headers=headers)).status_code == 201
    before = await database_state()
    assert (await b.post("/api/v1/bookings", json=body(world["asset"].id), headers=headers)).status_code == 409
    assert await database_state() == before


async def test_old_keys_are_purged_by_the_sweeper(booked_world, api_as):
    from resourcepool.bookings.sweeper import sweep_once

    world = await booked_world()
    http = await api_as(world["booker"])
    await http.post("/api/v1/bookings", json=body(world["asset"].id), headers={"Idempotency-Key": "k"})
    with clock.frozen_at(clock.now() + timedelta(hours=24)):
        assert (await sweep_once())["idempotency_keys_purged"] == 0
    with clock.frozen_at(clock.now() + timedelta(hours=49)):
        assert (await sweep_once())["idempotency_keys_purged"] == 1


BAD = {
    "malformed json": (None, 400),
    "missing purpose": ({"purpose": None}, 400),
    "start not a time": ({"start": "tomorrow"}, 400),
    "no offset": ({"start": "2030-01-01T10:00:00", "end": "2030-01-01T11:00:00"}, 422),
    "end before start": ({"end": "START-1h"}, 422),
    "end equals start": ({"end": "START"}, 422),
    "start in the past": ({"start": "PAST", "end": "PAST+1h"}, 422),
    "zero quantity": ({"quantity": 0}, 400),
    "negative quantity": ({"quantity": -3}, 400),
    "too many units": ({"quantity": 2}, 422),
    "huge rrule": ({"recurrence": "FREQ=DAILY;COUNT=10000"}, 422),
    "rrule without end": ({"recurrence": "FREQ=WEEKLY"}, 422),
    "bad rrule": ({"recurrence": "FREQ=SECONDLY;COUNT=2"}, 422),
    "bad on_conflict": ({"on_conflict": "maybe"}, 400),
    "foreign organisation": ({"organisation_id": "THIRD"}, 403),
    "unknown organisation": ({"organisation_id": 999999}, 403),
    # Retired assets are seen by their owners only: to anyone else it does not exist.
    "retired asset": ({"asset_id": "RETIRED"}, 404),
    "unknown asset": ({"asset_id": 999999}, 404),
    "huge asset id": ({"asset_id": 2**70}, 400),
    "unknown field": ({"colour": "red"}, 400),
    "too long purpose": ({"purpose": "x" * 501}, 400),
    "blank purpose": ({"purpose": "   "}, 422),
    "min duration": ({"end": "START+10m"}, 422),
    "off the slot grid": ({"start": "START+7m"}, 422),
    "too long idempotency key": ({"_key": "k" * 300}, 422),
    "year 1": ({"start": "0001-01-01T00:00:00+00:00", "end": "0001-01-01T01:00:00+00:00"}, 422),
    "year 9999": ({"start": "9999-12-31T22:00:00+00:00", "end": "9999-12-31T23:00:00+00:00"}, 422),
    "until the end of time": ({"recurrence": "FREQ=DAILY;UNTIL=99991231T235959Z"}, 422),
    "year 9999 west of UTC": ({"start": "9999-12-31T22:00:00-05:00", "end": "9999-12-31T23:00:00-05:00"}, 422),
    "NUL in purpose": ({"purpose": "Probe\x00"}, 422),
    "control character in purpose": ({"purpose": "Pro\x1bbe"}, 422),
    "NUL in rrule": ({"recurrence": "FREQ=WEEKLY;COUNT=2;WKST=\x00"}, 422),
}
# Where the use case must name the field itself (a generic safety net would not).
BAD_FIELD = {"NUL in purpose": "purpose", "control character in purpose": "purpose",
             "NUL in rrule": "recurrence", "year 9999 west of UTC": "start"}


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
async def test_bad_input__is_a_clear_4xx_and_changes_nothing(case, booked_world, make_asset, api_as):
    world = await booked_world()
    retired = await make_asset(organisation=world["owner"], networks=[world["network"]], status="retired")
    http = await api_as(world["booker"])
    start = tomorrow_at(10)
    subs = {"START": start, "START-1h": start - timedelta(hours=1), "START+10m": start + timedelta(minutes=10),
            "START+7m": start + timedelta(minutes=7), "PAST": start - timedelta(days=3),
            "PAST+1h": start - timedelta(days=3) + timedelta(hours=1)}
    change, status = BAD[case]
    before = await _counts()
    headers = {}
    if change is None:
        response = await http.post("/api/v1/bookings", content=b'{"asset_id": 1, "start": ',
                                   headers={"content-type": "application/json"})
    else:
        data = body(world["asset"].id)
        for key, value in change.items():
            if key == "_key":
                headers["Idempotency-Key"] = value
                continue
            if isinstance(value, str) and value in subs:
                value = subs[value].isoformat()
            value = {"THIRD": world["third_org"].id, "RETIRED": retired.id}.get(value, value) \
                if isinstance(value, str) else value
            if value is None:
                data.pop(key)
            else:
                data[key] = value
        response = await http.post("/api/v1/bookings", json=data, headers=headers)
    assert response.status_code == status, response.text
    problem = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    assert problem["code"] and problem["detail"]
    if case in BAD_FIELD:
        assert problem["field"] == BAD_FIELD[case]
    assert await _counts() == before


async def test_list_mine_and_incoming_with_filters(booked_world, make_booking, api_as):
    world = await booked_world()
    for hour, status in ((8, "requested"), (10, "confirmed"), (12, "cancelled")):
        await make_booking(asset=world["asset"], organisation=world["booker_org"],
                           start=tomorrow_at(hour), end=tomorrow_at(hour + 1), status=status)
    booker, manager, third = [await api_as(world[k]) for k in ("booker", "manager", "third")]
    mine = (await booker.get("/api/v1/bookings")).json()
    assert mine["total"] == 3 and [b["status"] for b in mine["items"]] == ["requested", "confirmed", "cancelled"]
    incoming = (await manager.get("/api/v1/bookings", params={"scope": "incoming", "status": "requested"})).json()
    assert incoming["total"] == 1
    assert (await third.get("/api/v1/bookings", params={"scope": "incoming"})).json()["total"] == 0
    # Incoming requests are the managers' business, as on the page: a plain member sees none.
    owner_member = await api_as(world["owner_member"])
    assert (await owner_member.get("/api/v1/bookings", params={"scope": "incoming"})).json() == {
        "items": [], "total": 0}
    assert (await manager.get("/api/v1/bookings", params={"scope": "incoming"})).json()["total"] == 3
    page = (await booker.get("/api/v1/bookings", params={"limit": 1, "offset": 1})).json()
    assert page["total"] == 3 and len(page["items"]) == 1
    window = (await booker.get("/api/v1/bookings", params={
        "from": (tomorrow_at(8) + timedelta(minutes=30)).isoformat(), "to": tomorrow_at(11).isoformat()})).json()
    assert window["total"] == 2
    for bad in ({"scope": "all"}, {"status": "lost"}, {"limit": 0}, {"from": "yesterday"},
                {"from": "9999-12-31T23:00:00-05:00"}, {"to": "9999-12-31T23:00:00-05:00"},
                {"from": "0001-01-01T00:00:00+01:00"}, {"to": "2030-01-01T10:00:00"}):
        response = await booker.get("/api/v1/bookings", params=bad)
        assert 400 <= response.status_code < 500, (bad, response.text)
        if "from" in bad or "to" in bad:
            assert response.status_code == 400 or response.json()["field"] in ("from", "to"), bad
    # Times carry the asset's offset.
    assert mine["items"][0]["start"].endswith(("+01:00", "+02:00"))


async def test_a_retried_transition_with_the_same_key__happens_once(booked_world, make_booking, api_as):
    world = await booked_world()
    booking = await make_booking(asset=world["asset"], organisation=world["booker_org"],
                                 user=world["booker"], status="requested")
    manager = await api_as(world["manager"])
    headers = {"Idempotency-Key": "approve-1"}
    first = await manager.post(f"/api/v1/bookings/{booking.id}/approve", headers=headers)
    again = await manager.post(f"/api/v1/bookings/{booking.id}/approve", headers=headers)
    assert first.status_code == again.status_code == 200 and first.json() == again.json()
    without = await manager.post(f"/api/v1/bookings/{booking.id}/approve")
    assert without.status_code == 409 and without.json()["code"] == "invalid_state"
    assert await sql.fetch_value(
        "SELECT count(*) FROM booking_event WHERE booking_id = $1 AND to_status = 'confirmed'", booking.id) == 1


async def test_the_booking_api_is_in_the_openapi_document(client):
    paths = (await client.get("/schema/openapi.json")).json()["paths"]
    for path in ("/api/v1/bookings", "/api/v1/bookings/{booking_id}", "/api/v1/bookings/{booking_id}/cancel",
                 "/api/v1/bookings/{booking_id}/approve", "/api/v1/bookings/{booking_id}/decline",
                 "/api/v1/bookings/{booking_id}/no-show"):
        assert path in paths


@pytest.mark.parametrize("action", ["decline", "cancel", "no-show"])
@pytest.mark.parametrize("reason", ["Belegt\x00", "Bel\x07egt"])
async def test_a_reason_with_nul_or_control_characters__is_refused_and_changes_nothing(
        action, reason, booked_world, make_booking, api_as):
    world = await booked_world()
    start = clock.now().replace(microsecond=0) - timedelta(hours=1) if action == "no-show" else tomorrow_at(10)
    booking = await make_booking(asset=world["asset"], organisation=world["booker_org"],
                                 user=world["booker"], start=start, end=start + timedelta(hours=2),
                                 status="requested" if action == "decline" else "confirmed")
    manager = await api_as(world["manager"])
    before = await _counts(), await sql.fetch_value("SELECT status FROM booking")
    response = await manager.post(f"/api/v1/bookings/{booking.id}/{action}", json={"reason": reason})
    assert response.status_code == 422, response.text
    assert response.json()["field"] == "reason"
    assert (await _counts(), await sql.fetch_value("SELECT status FROM booking")) == before
