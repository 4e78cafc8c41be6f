"""Calendar on the pages: subscribe from an asset's page, feeds on the account page (create,
see once, revoke), the booking page's .ics link — German and English."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from resourcepool.db import sql
from tests.calendar_support import parse_both
from tests.fixtures.platform import post_form


def _feed_path(html: str) -> str:
    url = re.search(r'<code class="token-value feed-url"[^>]*>([^<]+)</code>', html).group(1)
    return urlsplit(url).path


async def test_subscribing_from_the_asset_page__shows_the_feed_address_once(booked_world, sign_in, read_feed):
    world = await booked_world()
    page = await sign_in(world["booker"])
    asset_page = (await page.get(f"/assets/{world['asset'].id}")).text
    assert "Diesen Kalender abonnieren" in asset_page
    response = await post_form(page, "/account/calendar-feeds", {"scope": "asset", "id": str(world["asset"].id)})
    assert response.status_code == 200
    assert "Die Adresse Ihres Abos:" in response.text and 'href="webcal://testserver/calendar/' in response.text
    path = _feed_path(response.text)
    assert (await read_feed(path)).status_code == 200
    account = (await page.get("/account")).text
    assert f"Angebot: {world['asset'].title}" in account
    assert path.split("/")[-1] not in account  # the address is not shown again


async def test_the_account_page__creates_and_revokes_feeds_in_english(booked_world, sign_in, read_feed):
    world = await booked_world()
    await sql.execute("UPDATE app_user SET locale = 'en' WHERE id = $1", world["booker"].id)
    page = await sign_in(world["booker"])
    account = (await page.get("/account")).text
    assert "Calendar feeds" in account and "You have no calendar feeds." in account
    assert "New feed of Jugendtreff" in account and "New feed of my bookings" in account
    created = await post_form(page, "/account/calendar-feeds", {"scope": "organisation", "id": str(world["booker_org"].id)})
    assert "The address of your feed:" in created.text
    path = _feed_path(created.text)
    feed_id = await sql.fetch_value("SELECT id FROM calendar_feed")
    revoked = await post_form(page, f"/account/calendar-feeds/{feed_id}/revoke")
    assert revoked.status_code == 303
    assert "The calendar feed has been revoked." in (await page.get(revoked.headers["location"])).text
    assert (await read_feed(path)).status_code == 404


async def test_a_feed_of_someone_elses_organisation__cannot_be_made_with_a_form(booked_world, sign_in):
    world = await booked_world()
    page = await sign_in(world["booker"])
    response = await post_form(page, "/account/calendar-feeds", {"scope": "organisation", "id": str(world["third_org"].id)})
    assert response.status_code == 404
    for data in ({"scope": "asset"}, {"scope": "asset", "id": "x"}, {"scope": "bogus"}):
        assert (await post_form(page, "/account/calendar-feeds", data)).status_code in (404, 422)
    assert await sql.fetch_value("SELECT count(*) FROM calendar_feed") == 0


async def test_the_booking_page__links_its_ics(booked_world, make_booking, sign_in):
    world = await booked_world()
    booking = await make_booking(asset=world["asset"], organisation=world["booker_org"], user=world["booker"])
    page = await sign_in(world["booker"])
    html = (await page.get(f"/bookings/{booking.id}")).text
    assert f'href="/bookings/{booking.id}/calendar.ics"' in html
    response = await page.get(f"/bookings/{booking.id}/calendar.ics")
    assert response.headers["content-type"].startswith("text/calendar")
    assert response.headers["content-disposition"] == f'attachment; filename="booking-{booking.id}.ics"'
    method, [event] = parse_both(response.content)
    assert method is None and event.uid == f"booking-{booking.id}@testserver"
    assert event.summary == f"{world['asset'].title}: Treffen"
