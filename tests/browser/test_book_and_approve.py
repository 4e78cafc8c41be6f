"""A member books a free slot from the asset page's week calendar, the owner's manager approves
it from /incoming, and the member sees it confirmed with the usage instructions.
Screenshots (desktop and phone) go to screenshots/."""

from __future__ import annotations

from datetime import timedelta

import pytest

from resourcepool import clock
from resourcepool.db import sql
from tests.fixtures.platform import PASSWORD

pytestmark = pytest.mark.browser


async def _sign_in(page, email: str, next_path: str) -> None:
    await page.goto(f"/login?next={next_path}")
    await page.fill("#f-email", email)
    await page.fill("#f-password", PASSWORD)
    async with page.expect_navigation():
        await page.click("form[action='/login'] button[type=submit]")


async def test_member_books_from_the_calendar_and_manager_approves(
        page, browser, live_server, screenshot, make_network, make_organisation, make_user, make_asset):
    network = await make_network(slug="herten-mitte", name="Quartiersnetz Herten-Mitte")
    owner = await make_organisation(network=network, name="Bürgerhaus Herten")
    booker_org = await make_organisation(network=network, name="Jugendtreff Mitte")
    await make_user(organisation=owner, role="manager", email="anna@buergerhaus.example", name="Anna Wolf")
    await make_user(organisation=booker_org, email="tom@jugendtreff.example", name="Tom Berger")
    asset = await make_asset(organisation=owner, networks=[network], title="Saal im Bürgerhaus",
                             approval_required=True, min_duration_minutes=60,
                             opening_hours=[(d, "08:00", "22:00") for d in range(7)],
                             usage_instructions="Den Schlüssel gibt es beim Hausmeister, Raum 1.")
    next_monday = (clock.now() + timedelta(days=7 - clock.now().weekday())).date()

    # 1. The member opens the asset page for next week and picks a free slot.
    await _sign_in(page, "tom@jugendtreff.example", f"/assets/{asset.id}?week={next_monday.isoformat()}")
    await page.goto(f"/assets/{asset.id}?week={next_monday.isoformat()}")
    await screenshot(page, "booking-1-asset-week")
    free = page.locator("td.cal-free a").first
    async with page.expect_navigation():
        await free.click()
    assert "/bookings/new" in page.url
    await page.fill("#f-purpose", "Elternabend des Jugendtreffs")
    if await page.locator("#f-end_time").count():
        start = await page.input_value("#f-start_time")
        hour = int(start[:2]) + 2
        await page.fill("#f-end_time", f"{hour:02d}:{start[3:]}")
    await screenshot(page, "booking-2-form-de")
    async with page.expect_navigation():
        await page.click("form.booking-form button[type=submit]")
    assert "/bookings/" in page.url
    main = await page.inner_text("main")
    assert "Angefragt" in main and "Ihre Anfrage wurde gesendet" in main
    await screenshot(page, "booking-3-requested-de")
    booking_id = await sql.fetch_value("SELECT id FROM booking")
    assert await sql.fetch_value("SELECT status FROM booking") == "requested"

    # 2. The owner's manager approves it from /incoming — on a phone.
    phone = await browser.new_context(viewport={"width": 390, "height": 844}, locale="de-DE",
                                      base_url=live_server, is_mobile=True, has_touch=True)
    manager = await phone.new_page()
    await _sign_in(manager, "anna@buergerhaus.example", "/incoming")
    assert "Elternabend des Jugendtreffs" in await manager.inner_text("main")
    await screenshot(manager, "booking-4-incoming-phone-de")
    async with manager.expect_navigation():
        await manager.click(f"#request-{booking_id} button:has-text('Annehmen')")
    assert "Die Anfrage wurde angenommen" in await manager.inner_text("main")
    await screenshot(manager, "booking-5-approved-phone-de")
    await phone.close()

    # 3. The member sees it confirmed, with the usage instructions.
    await page.goto(f"/bookings/{booking_id}")
    main = await page.inner_text("main")
    assert "Bestätigt" in main
    assert "Den Schlüssel gibt es beim Hausmeister, Raum 1." in main
    await screenshot(page, "booking-6-confirmed-de")
    await page.goto("/bookings")
    await screenshot(page, "booking-7-my-bookings-de")
