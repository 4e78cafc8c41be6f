"""The asset's edit page imports an external calendar without JavaScript: upload a file or
subscribe to an address, see what was read, stop it; refusals show next to the field."""

from __future__ import annotations

import re

from resourcepool.db import sql
from tests.external_calendar_support import TUESDAYS
from tests.fixtures.platform import csrf_token, post_form
from tests.web.accounts.support import field_error


async def _page(world, sign_in, language: str = "en"):
    from resourcepool.db import sql as db

    await db.execute("UPDATE app_user SET locale = $2 WHERE id = $1", world["manager"].id, language)
    page = await sign_in(world["manager"])
    await page.get(f"/our-assets/{world['room'].id}/edit")
    return page


async def _upload(page, asset_id: int, body: bytes, name: str = "pfarrei.ics"):
    return await page.post(f"/our-assets/{asset_id}/external-calendar/file",
                           data={"_csrf_token": csrf_token(page)},
                           files={"calendar": (name, body, "text/calendar")})


async def test_upload__imports_the_file_and_the_page_tells_what_was_read(world, sign_in):
    page = await _page(world, sign_in)
    response = await _upload(page, world["room"].id, TUESDAYS)
    assert response.status_code == 303
    assert response.headers["location"].endswith("edit?done=calendar#external-calendar")
    html = (await page.get(response.headers["location"])).text
    assert "The external calendar has been imported." in html
    assert "Uploaded file" in html and "61 busy times in the booking horizon" in html
    assert "1 event in the calendar" in html
    assert re.search(r"Last read</dt>\s*<dd>01/01/2027, 09:0\d</dd>", html)


async def test_upload__a_broken_file_shows_the_reason_next_to_the_field_in_german(world, sign_in):
    page = await _page(world, sign_in, "de")
    response = await _upload(page, world["room"].id, b"Gemeindebrief")
    assert response.status_code == 422
    assert field_error(response.text, "calendar") == "Das ist keine iCalendar-Datei (.ics)."
    assert 'lang="de"' in response.text and "Externer Kalender" in response.text
    response = await _upload(page, world["room"].id, b"")
    assert field_error(response.text, "calendar") == "Wählen Sie eine Kalenderdatei (.ics)."
    assert await sql.fetch_value("SELECT count(*) FROM external_calendar") == 0


async def test_subscribe__a_private_address_is_refused_next_to_the_field_and_stop_removes(world, sign_in, served):
    page = await _page(world, sign_in)
    url = served.url("/pfarrei.ics")
    response = await post_form(page, f"/our-assets/{world['room'].id}/external-calendar/url", {"url": url})
    assert response.status_code == 422
    assert field_error(response.text, "url") == ("This address leads into a private network; calendars are only "
                                                 "fetched from the internet.")
    assert f'value="{url}"' in response.text  # kept for correcting
    await _upload(page, world["room"].id, TUESDAYS)
    response = await post_form(page, f"/our-assets/{world['room'].id}/external-calendar/delete")
    assert response.status_code == 303
    html = (await page.get(response.headers["location"])).text
    assert "The external calendar is no longer imported." in html and "No external calendar." in html
    assert await sql.fetch_value("SELECT count(*) FROM asset_busy") == 0
