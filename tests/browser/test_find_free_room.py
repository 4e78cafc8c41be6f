"""A manager offers a room with opening hours through /our-assets/new; a member of another
organisation finds it with the free-time search and opens its week calendar.

Screenshots of the catalogue and the asset page, German and English, desktop and 390 px wide,
go to screenshots/ (catalogue-*.png, asset-*.png).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from resourcepool import clock
from tests.fixtures.platform import PASSWORD

pytestmark = pytest.mark.browser


async def _sign_in(page, email: str, next_path: str = "/") -> None:
    await page.goto(f"/login?next={next_path}")
    await page.fill("#f-email", email)
    await page.fill("#f-password", PASSWORD)
    async with page.expect_navigation():
        await page.click("form[action='/login'] button[type=submit]")


async def _language(page, code: str) -> None:
    if await page.get_attribute("html", "lang") != code:
        async with page.expect_navigation():
            await page.click(f"button[name=language][value={code}]")


async def test_member_finds_a_free_room_and_sees_its_week(
        page, browser, live_server, screenshot, make_network, make_organisation, make_user, make_asset):
    network = await make_network(slug="herten-mitte", name="Quartiersnetz Herten-Mitte")
    owner = await make_organisation(network=network, name="Bürgerhaus Herten")
    neighbour = await make_organisation(network=network, name="Werkstatt Süd", sector="business")
    choir = await make_organisation(network=network, name="Chor am Markt")
    await make_user(organisation=owner, role="manager", email="anna@buergerhaus.example", name="Anna Wolf")
    await make_user(organisation=choir, email="tom@chor.example", name="Tom Berger")
    # Some neighbours in the catalogue, so the search has something to leave out.
    await make_asset(organisation=neighbour, title="Kleiner Besprechungsraum", capacity=8, district="Süd",
                     opening_hours=[(d, "09:00", "17:00") for d in range(5)])
    await make_asset(organisation=neighbour, kind="vehicle", title="Kleinbus mit 9 Sitzen", seats=9,
                     district="Süd", description="Für Ausflüge und Transporte")
    await make_asset(organisation=neighbour, kind="device", title="Biertischgarnituren", quantity=10,
                     district="Mitte", category="Möbel")
    await make_asset(organisation=owner, title="Gruppenraum", capacity=50, district="Herten-Mitte",
                     opening_hours=[(d, "08:00", "17:00") for d in range(5)])

    # 1. The manager creates the room with opening hours on the assets page.
    await _sign_in(page, "anna@buergerhaus.example", "/our-assets/new?kind=room")
    await page.goto("/our-assets/new?kind=room")
    await page.fill("#f-title", "Saal im Bürgerhaus")
    await page.fill("#f-capacity", "80")
    await page.fill("#f-district", "Herten-Mitte")
    if await page.locator("#f-description").count():
        await page.fill("#f-description", "Heller Saal mit Bühne, Beamer und Küche.")
    await page.check("#f-accessibility-step_free")
    for weekday in range(5):
        await page.fill(f"#h{weekday}_0_from", "08:00")
        await page.fill(f"#h{weekday}_0_until", "22:00")
    async with page.expect_navigation():
        await page.click("form.asset-form button[type=submit]")
    assert "/our-assets/" in page.url and "done=created" in page.url, page.url

    # 2. A member of another organisation searches: 40 people, next Tuesday 18:00–21:00.
    member = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE",
                                       base_url=live_server)
    tom = await member.new_page()
    await _sign_in(tom, "tom@chor.example", "/catalogue")
    await tom.goto("/catalogue")
    today = clock.now().date()
    tuesday = today + timedelta(days=(1 - today.weekday()) % 7 or 7)
    await tom.fill("#f-min_capacity", "40")
    await tom.fill("#f-date", tuesday.isoformat())
    await tom.fill("#f-from", "18:00")
    await tom.fill("#f-to", "21:00")
    async with tom.expect_navigation():
        await tom.press("#f-to", "Enter")  # plain GET form: no JavaScript involved
    titles = await tom.locator(".asset-card h3").all_inner_texts()
    assert titles == ["Saal im Bürgerhaus"]  # the Gruppenraum closes at 17:00, the others are too small
    assert "1 Angebot frei" in await tom.inner_text("#results")
    await screenshot(tom, "catalogue-free-search-de")

    # 3. The room's page shows the week of that Tuesday with free evening slots.
    async with tom.expect_navigation():
        await tom.click(".asset-card h3 a")
    assert f"week={tuesday.isoformat()}" in tom.url
    assert await tom.locator("h1").inner_text() == "Saal im Bürgerhaus"
    free_links = tom.locator("td.cal-free a")
    assert await free_links.count() > 0
    href = await free_links.first.get_attribute("href")
    assert href.startswith("/bookings/new?asset_id=")
    assert await tom.locator("td.cal-closed").count() > 0  # the weekend: "Nicht geöffnet"
    assert "Nicht geöffnet" in await tom.inner_text("table.calendar")
    # Keyboard: the calendar's free slots are links reachable with Tab.
    await free_links.first.focus()
    assert await tom.evaluate("document.activeElement.closest('td').className") == "cal-free"
    await screenshot(tom, "asset-week-de")

    # 4. The same pages in English.
    await _language(tom, "en")
    assert "Free" in await tom.inner_text("table.calendar")
    await screenshot(tom, "asset-week-en")
    await tom.goto(f"/catalogue?min_capacity=40&date={tuesday.isoformat()}&from=18:00&to=21:00")
    assert "1 asset free" in await tom.inner_text("#results")
    await screenshot(tom, "catalogue-free-search-en")
    await member.close()

    # 5. On a phone (390 px): both pages in both languages, nothing wider than the screen.
    phone = await browser.new_context(viewport={"width": 390, "height": 844}, locale="de-DE",
                                      base_url=live_server, is_mobile=True, has_touch=True)
    small = await phone.new_page()
    await _sign_in(small, "tom@chor.example", "/catalogue")
    asset_path = href.split("asset_id=")[1].split("&")[0]
    for code in ("de", "en"):
        await small.goto(f"/catalogue?min_capacity=40&date={tuesday.isoformat()}&from=18:00&to=21:00")
        await _language(small, code)
        assert await small.evaluate("document.documentElement.scrollWidth") <= 390
        await screenshot(small, f"catalogue-free-search-{code}-390")
        await small.goto(f"/assets/{asset_path}?week={tuesday.isoformat()}")
        assert await small.evaluate("document.documentElement.scrollWidth") <= 390
        await screenshot(small, f"asset-week-{code}-390")
    await phone.close()
