"""A manager closes a room every Monday with the form's choices (keyboard only) and imports the
parish office's calendar; the week calendar then shows both. Screenshots of the edit page and
the week, German and English, desktop and 390 px wide (busy-*.png in screenshots/)."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from resourcepool import clock
from tests.external_calendar_support import calendar, event
from tests.browser.test_find_free_room import _language, _sign_in

pytestmark = pytest.mark.browser
BERLIN = ZoneInfo("Europe/Berlin")


async def _shots(page, screenshot, path: str, name: str, sections: tuple[str, ...]) -> None:
    """Whole pages, and the sections this part added on their own (readable at a glance)."""
    for code in ("de", "en"):
        await page.goto(path)
        await _language(page, code)
        for width, label in ((1280, "desktop"), (390, "phone")):
            await page.set_viewport_size({"width": width, "height": 900})
            shot = await screenshot(page, f"busy-{name}-{code}-{label}")
            for section in sections:
                await page.locator(section).screenshot(
                    path=str(shot.with_name(f"busy-{name}-{section.strip('#.')}-{code}-{label}.png")))
    await page.set_viewport_size({"width": 1280, "height": 900})


async def test_manager_closes_mondays_and_imports_a_calendar_which_the_week_shows(
        page, screenshot, tmp_path, make_network, make_organisation, make_user, make_asset):
    network = await make_network()
    owner = await make_organisation(network=network, name="Ev. Kirchengemeinde")
    await make_user(organisation=owner, role="manager", email="pia@kirche.example", name="Pia Krause")
    room = await make_asset(organisation=owner, title="Gemeindesaal", opening_hours=[(d, "08:00", "22:00") for d in range(7)])
    today = clock.now().astimezone(BERLIN).date()
    monday = today + timedelta(days=7 - today.weekday())
    tuesday = monday + timedelta(days=1)
    ics = tmp_path / "pfarrbuero.ics"
    ics.write_bytes(calendar(event(f"{tuesday:%Y%m%d}T180000", f"{tuesday:%Y%m%d}T200000", rrule="FREQ=WEEKLY")))

    await _sign_in(page, "pia@kirche.example")
    await page.goto(f"/our-assets/{room.id}/edit#closures")
    await _language(page, "en")
    await page.fill("#f-start", f"{monday.isoformat()}T16:00")
    await page.fill("#f-end", f"{monday.isoformat()}T18:00")
    await page.fill("#f-reason", "Jugendgruppe")
    # The repeat is chosen and the form sent with the keyboard.
    await page.focus("#f-repeat")
    await page.keyboard.press("ArrowDown")  # every day
    await page.keyboard.press("ArrowDown")  # every week on the same weekday
    assert await page.input_value("#f-repeat") == "weekly"
    await page.focus("#closures form[action$='/closures'] button[type=submit]")
    async with page.expect_navigation():
        await page.keyboard.press("Enter")
    assert "every Monday" in await page.inner_text("#closures")

    await page.set_input_files("#f-calendar", str(ics))
    async with page.expect_navigation():
        await page.click("#external-calendar form[enctype] button[type=submit]")
    assert "Uploaded file" in await page.inner_text("#external-calendar")
    await _shots(page, screenshot, f"/our-assets/{room.id}/edit#closures", "edit", ("#closures", "#external-calendar"))

    await page.goto(f"/assets/{room.id}?week={monday.isoformat()}")
    cells = await page.locator("td.cal-external").count()
    assert cells == 4  # Tuesday 18:00–20:00 in half hours
    assert await page.locator("td.cal-closure").count() == 4  # Monday 16:00–18:00
    await _shots(page, screenshot, f"/assets/{room.id}?week={monday.isoformat()}#week-h", "week",
                 (".calendar-legend", ".calendar-wrap"))
