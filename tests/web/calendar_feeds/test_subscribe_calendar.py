"""PUT {"url"} on /api/v1/assets/{id}/external-calendar subscribes; the refresh job reads the
calendar again with its ETag. Fetching never reaches into private networks unless the setting
RESOURCEPOOL_CALENDAR_FETCH_ALLOW names them (the local test server needs it)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from resourcepool import clock
from resourcepool.calendar_feeds.external import refresh_due
from resourcepool.calendar_feeds.fetch import check_url
from resourcepool.db import sql
from resourcepool.errors import ValidationFailed
from tests.external_calendar_support import THURSDAYS, TUESDAYS

PRIVATE = "This address leads into a private network; calendars are only fetched from the internet."


async def subscribe(world, url: str):
    return await world["api"].put(f"/api/v1/assets/{world['room'].id}/external-calendar", json={"url": url})


async def busy_weekdays(world) -> set[int]:
    rows = await sql.fetch("SELECT starts_at FROM asset_busy WHERE asset_id = $1", world["room"].id)
    return {r["starts_at"].isoweekday() for r in rows}


async def test_subscribe__reads_the_calendar_at_once_and_tells_the_state(world, served, allow_local_fetch):
    served.serve("/pfarrei.ics", TUESDAYS, etag='"v1"')
    response = await subscribe(world, served.url("/pfarrei.ics"))
    assert response.status_code == 200, response.text
    state = response.json()
    assert (state["source"], state["url"], state["busy_count"], state["state"]) == (
        "url", served.url("/pfarrei.ics"), 61, "ok")
    assert state["next_refresh_at"].startswith("2027-01-01T10:00")
    assert await busy_weekdays(world) == {2}
    assert served.hits["/pfarrei.ics"] == 1


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:{port}/pfarrei.ics", "https://127.0.0.1/pfarrei.ics", "http://localhost:{port}/pfarrei.ics",
    "http://[::1]:{port}/pfarrei.ics", "http://[::ffff:127.0.0.1]:{port}/pfarrei.ics",
    "https://169.254.169.254/latest/meta-data", "https://10.0.0.1/a.ics", "https://192.168.1.1/a.ics",
    "https://0.0.0.0/a.ics",
])
async def test_subscribe__refuses_loopback_private_and_link_local_addresses_without_the_setting(world, served, url):
    served.serve("/pfarrei.ics", TUESDAYS)
    response = await subscribe(world, url.format(port=served.port))
    assert response.status_code == 422, response.text
    assert (response.json()["field"], response.json()["detail"]) == ("url", PRIVATE)
    assert served.hits["/pfarrei.ics"] == 0  # never connected
    assert await sql.fetch_value("SELECT count(*) FROM external_calendar") == 0


async def test_subscribe__a_redirect_into_a_private_network_is_refused_too(world, served, allow_local_fetch):
    # The setting allows 127.0.0.1 only; the server sends us on to 127.0.0.2.
    served.serve("/next.ics", TUESDAYS)
    served.redirects["/moved.ics"] = f"http://127.0.0.2:{served.port}/next.ics"
    response = await subscribe(world, served.url("/moved.ics"))
    assert response.status_code == 422 and response.json()["detail"] == PRIVATE
    assert (served.hits["/moved.ics"], served.hits["/next.ics"]) == (1, 0)
    served.redirects["/moved.ics"] = served.url("/next.ics")  # an allowed address: followed
    assert (await subscribe(world, served.url("/moved.ics"))).status_code == 200


async def test_subscribe__what_cannot_be_read_is_refused_and_changes_nothing(world, served, allow_local_fetch):
    served.serve("/pfarrei.ics", TUESDAYS)
    assert (await subscribe(world, served.url("/pfarrei.ics"))).status_code == 200
    before = await sql.fetch("SELECT id, starts_at FROM asset_busy ORDER BY id")
    served.serve("/page.html", b"<html>Willkommen</html>")
    served.serve("/gone.ics", b"", status=500)
    cases = [
        (served.url("/page.html"), "This is not an iCalendar file (.ics)."),
        (served.url("/gone.ics"), "The calendar's server answered with status 500."),
        (served.url("/missing.ics"), "The calendar's server answered with status 404."),
        ("ftp://example.org/a.ics", "Enter the web address of the calendar (https://…)."),
        ("https://user:secret@example.org/a.ics", "Put no user name or password into the calendar's address."),
        ("https://name.invalid/a.ics", "The server's name cannot be found: name.invalid."),
    ]
    for url, detail in cases:
        response = await subscribe(world, url)
        assert response.status_code == 422, (url, response.text)
        assert response.json()["detail"] == detail
    assert await sql.fetch("SELECT id, starts_at FROM asset_busy ORDER BY id") == before
    assert await sql.fetch_value("SELECT url FROM external_calendar") == served.url("/pfarrei.ics")


def test_check_url__webcal_means_https_and_plain_http_is_kept_for_the_address_check():
    assert check_url(" webcal://kalender.example.org/pfarrei.ics ") == "https://kalender.example.org/pfarrei.ics"
    assert check_url("http://intranet.example/cal.ics") == "http://intranet.example/cal.ics"
    for bad in ("", "kalender.example.org", "https://", "https://a b/c", "https://x:99999/a", "https://x/\x00"):
        with pytest.raises(ValidationFailed):
            check_url(bad)


async def test_refresh__sends_the_etag_keeps_an_unchanged_calendar_and_replaces_a_changed_one(
        world, served, allow_local_fetch):
    served.serve("/pfarrei.ics", TUESDAYS, etag='"v1"')
    await subscribe(world, served.url("/pfarrei.ics"))
    assert await refresh_due() == 0  # not due for an hour
    clock.travel(timedelta(minutes=61))
    assert await refresh_due() == 1
    assert served.conditional_hits["/pfarrei.ics"] == 1 and await busy_weekdays(world) == {2}
    served.serve("/pfarrei.ics", THURSDAYS, etag='"v2"')
    clock.travel(timedelta(minutes=61))
    assert await refresh_due() == 1
    assert await busy_weekdays(world) == {4}
    state = (await world["api"].get(f"/api/v1/assets/{world['room'].id}/external-calendar")).json()
    assert state["state"] == "ok" and state["refreshed_at"].startswith("2027-01-01T11:0")


async def test_refresh__a_failing_server_keeps_the_busy_times_and_shows_the_error(world, served, allow_local_fetch,
                                                                                 sign_in):
    served.serve("/pfarrei.ics", TUESDAYS)
    await subscribe(world, served.url("/pfarrei.ics"))
    served.serve("/pfarrei.ics", b"down", status=503)
    clock.travel(timedelta(minutes=61))
    assert await refresh_due() == 0
    assert await busy_weekdays(world) == {2}
    state = (await world["api"].get(f"/api/v1/assets/{world['room'].id}/external-calendar")).json()
    assert state["state"] == "error"
    assert state["error"] == "The calendar's server answered with status 503."
    assert state["refreshed_at"].startswith("2027-01-01T09:0") and state["attempted_at"].startswith("2027-01-01T10:0")
    assert state["next_refresh_at"].startswith("2027-01-01T10:1")  # tried again in 15 minutes
    page = (await (await sign_in(world["manager"])).get(f"/our-assets/{world['room'].id}/edit")).text
    assert ("The last refresh failed (01/01/2027, 10:0" in page
            and "The calendar&#39;s server answered with status 503. The busy times of the last good read" in page)


async def test_refresh__two_workers_at_once_read_each_calendar_once(world, served, allow_local_fetch,
                                                                    make_asset):
    served.serve("/a.ics", TUESDAYS, etag='"a"')
    served.serve("/b.ics", THURSDAYS, etag='"b"')
    other = await make_asset(organisation=world["owner"], title="Kapelle")
    await subscribe(world, served.url("/a.ics"))
    response = await world["api"].put(f"/api/v1/assets/{other.id}/external-calendar", json={"url": served.url("/b.ics")})
    assert response.status_code == 200
    served.serve("/a.ics", THURSDAYS, etag='"a2"')
    clock.travel(timedelta(minutes=61))
    # Three workers taking one calendar each: the leases give each calendar to one of them.
    done = await asyncio.gather(*(refresh_due(limit=1) for _ in range(3)))
    assert sorted(done) == [0, 1, 1]
    assert served.hits["/a.ics"] == 2 and served.hits["/b.ics"] == 2  # the subscription, then one refresh each
    assert served.conditional_hits["/b.ics"] == 1
    assert await busy_weekdays(world) == {4}
    assert await sql.fetch_value("SELECT count(*) FROM external_calendar WHERE lease_token IS NOT NULL") == 0
