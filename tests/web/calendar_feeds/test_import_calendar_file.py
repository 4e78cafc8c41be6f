"""PUT text/calendar on /api/v1/assets/{id}/external-calendar: an uploaded .ics makes the asset
busy everywhere bookings are — availability, the search, the week calendar, the booking
service — and a re-import replaces it; a bad file changes nothing and says why."""

from __future__ import annotations

import threading

from resourcepool.calendar_feeds import imports
from resourcepool.db import sql
from tests.external_calendar_support import THURSDAYS, TUESDAYS, big_calendar, calendar, event

ICS = {"Content-Type": "text/calendar"}
TUESDAY = "2027-01-12"  # a Tuesday after the first rehearsal (5 January)


async def put_file(api, asset, body: bytes):
    return await api.put(f"/api/v1/assets/{asset.id}/external-calendar", content=body, headers=ICS)


async def busy_rows(asset) -> list[tuple]:
    return [tuple(r.values()) for r in await sql.fetch(
        "SELECT id, starts_at, ends_at FROM asset_busy WHERE asset_id = $1 AND source = 'external' ORDER BY id",
        asset.id)]


async def free_in_search(world, day: str, start: str, end: str) -> bool:
    response = await world["guest_api"].get("/api/v1/assets", params={
        "free_from": f"{day}T{start}:00+01:00", "free_to": f"{day}T{end}:00+01:00"})
    assert response.status_code == 200, response.text
    return world["room"].id in [item["id"] for item in response.json()["items"]]


async def book(world, day: str, start: str, end: str):
    return await world["guest_api"].post("/api/v1/bookings", json={
        "asset_id": world["room"].id, "start": f"{day}T{start}:00+01:00", "end": f"{day}T{end}:00+01:00",
        "purpose": "Probe"})


async def test_import_file__a_weekly_event_is_busy_in_availability_search_and_booking(world):
    response = await put_file(world["api"], world["room"], TUESDAYS)
    assert response.status_code == 200, response.text
    state = response.json()
    assert (state["source"], state["state"], state["event_count"], state["busy_count"]) == ("file", "ok", 1, 61)
    assert state["refreshed_at"].startswith("2027-01-01T09:00") and state["error"] is None

    availability = await world["guest_api"].get(
        f"/api/v1/assets/{world['room'].id}/availability",
        params={"from": f"{TUESDAY}T00:00:00+01:00", "to": "2027-01-13T00:00:00+01:00"})
    assert {"start": f"{TUESDAY}T18:00:00+01:00", "end": f"{TUESDAY}T20:00:00+01:00",
            "source": "external"} in availability.json()["busy"]

    assert not await free_in_search(world, TUESDAY, "19:00", "21:00")
    assert await free_in_search(world, TUESDAY, "16:00", "18:00")

    refused = await book(world, "2027-01-19", "19:30", "20:30")
    assert refused.status_code == 409, refused.text
    assert refused.json()["code"] == "slot_unavailable"
    assert refused.json()["detail"] == ("The asset is busy then in its owner's calendar: "
                                        "Tuesday, 19 January 2027, 18:00–20:00.")
    assert refused.json()["conflicts"] == [{"start": "2027-01-19T18:00:00+01:00",
                                            "end": "2027-01-19T20:00:00+01:00", "source": "external"}]
    assert (await book(world, "2027-01-19", "16:00", "18:00")).status_code == 201


async def test_import_file__a_series_skips_the_dates_the_calendar_holds(world):
    response = await world["guest_api"].post("/api/v1/bookings", json={
        "asset_id": world["room"].id, "start": "2027-01-11T19:00:00+01:00", "end": "2027-01-11T21:00:00+01:00",
        "purpose": "Probe", "recurrence": "FREQ=DAILY;COUNT=3", "on_conflict": "skip"})
    assert response.status_code == 201, response.text
    await sql.execute("DELETE FROM booking")
    await put_file(world["api"], world["room"], TUESDAYS)
    response = await world["guest_api"].post("/api/v1/bookings", json={
        "asset_id": world["room"].id, "start": "2027-01-18T19:00:00+01:00", "end": "2027-01-18T21:00:00+01:00",
        "purpose": "Probe", "recurrence": "FREQ=DAILY;COUNT=3", "on_conflict": "skip"})
    assert response.status_code == 201, response.text
    assert [s["reason"] for s in response.json()["skipped"]] == ["external"]
    assert response.json()["skipped"][0]["start"] == "2027-01-19T19:00:00+01:00"


async def test_import_file__the_week_calendar_shows_the_busy_times_as_busy_elsewhere(world, sign_in):
    await put_file(world["api"], world["room"], TUESDAYS)
    page = await (await sign_in(world["guest"])).get(f"/assets/{world['room'].id}?week=2027-01-11")
    assert page.status_code == 200
    assert page.text.count('<td class="cal-external">Busy elsewhere</td>') == 4  # 18:00–20:00, half hours
    assert "Busy elsewhere (the owner" in page.text  # the legend


async def test_import_file__a_second_import_replaces_the_first(world):
    await put_file(world["api"], world["room"], TUESDAYS)
    response = await put_file(world["api"], world["room"], THURSDAYS)
    assert response.status_code == 200 and response.json()["busy_count"] == 61
    assert not await free_in_search(world, "2027-01-14", "12:00", "13:00")
    assert await free_in_search(world, TUESDAY, "18:00", "20:00")
    assert await sql.fetch_value("SELECT count(*) FROM external_calendar") == 1
    starts = {r["starts_at"].isoweekday() for r in await sql.fetch("SELECT starts_at FROM asset_busy")}
    assert starts == {4}  # Thursdays only


async def test_import_file__a_broken_file_a_10_mb_file_and_an_endless_rule_change_nothing(world):
    await put_file(world["api"], world["room"], TUESDAYS)
    before = await busy_rows(world["room"])
    content = await sql.fetch_value("SELECT content FROM external_calendar")
    cases = [
        (b"Pfarrbrief 2027: Bitte vormerken!", 422, "validation_error", "This is not an iCalendar file (.ics)."),
        (big_calendar(10 * 1024 * 1024), 413, "payload_too_large", "The calendar is larger than 2 MB."),
        (calendar(event("20270105T180000", "20270105T180001", rrule="FREQ=SECONDLY")), 422, "validation_error",
         "The calendar has more than 10000 busy times in the next 427 days."),
        (calendar(event("20270105T180000", "20270105T190000", tz="Europe/Bärlin")), 422, "validation_error",
         "The calendar uses a time zone that is not known: Europe/Bärlin."),
    ]
    for body, status, code, detail in cases:
        response = await put_file(world["api"], world["room"], body)
        assert response.status_code == status, response.text
        assert (response.json()["code"], response.json()["detail"], response.json()["field"]) == (code, detail, "file")
    assert await busy_rows(world["room"]) == before
    assert await sql.fetch_value("SELECT content FROM external_calendar") == content


async def test_import_file__parses_in_a_worker_thread_not_on_the_event_loop(world, monkeypatch):
    threads = []
    original = imports.read_calendar

    def spy(*args):
        threads.append(threading.current_thread() is threading.main_thread())
        return original(*args)

    monkeypatch.setattr(imports, "read_calendar", spy)
    assert (await put_file(world["api"], world["room"], TUESDAYS)).status_code == 200
    assert threads == [False]


async def test_get_and_delete__tell_the_state_then_stop_blocking(world):
    url = f"/api/v1/assets/{world['room'].id}/external-calendar"
    missing = await world["api"].get(url)
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    await put_file(world["api"], world["room"], TUESDAYS)
    state = (await world["api"].get(url)).json()
    assert (state["source"], state["busy_count"], state["event_count"], state["url"]) == ("file", 61, 1, None)
    assert (await world["api"].delete(url)).status_code == 204
    assert await busy_rows(world["room"]) == []
    assert (await world["api"].get(url)).status_code == 404
    assert (await world["api"].delete(url)).status_code == 404


async def test_put__another_content_type_is_415_and_bad_json_422(world):
    url = f"/api/v1/assets/{world['room'].id}/external-calendar"
    response = await world["api"].put(url, content=b"<xml/>", headers={"Content-Type": "application/xml"})
    assert response.status_code == 415 and response.json()["code"] == "unsupported_media_type"
    for body in (b"{", b'{"url": 5}', b'{"link": "https://example.org/a.ics"}', b'"https://x"'):
        response = await world["api"].put(url, content=body, headers={"Content-Type": "application/json"})
        assert response.status_code == 422, (body, response.text)
        assert response.json()["field"] == "url"
    assert await sql.fetch_value("SELECT count(*) FROM external_calendar") == 0
