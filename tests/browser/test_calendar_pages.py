"""Calendar on the pages in a real browser: subscribe from an asset's page, the feed address
page, the notification settings by keyboard — German and English, desktop and phone."""

from tests.browser.test_accounts_pages import _sign_in


async def _fits_a_phone(page) -> None:
    await page.set_viewport_size({"width": 390, "height": 800})
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 391, f"the page scrolls sideways on a phone ({width}px)"


async def test_subscribing_and_choosing_reminders__by_keyboard(page, screenshot, booked_world, live_server):
    world = await booked_world()
    await _sign_in(page, world["booker_manager"])
    await page.goto(f"/assets/{world['asset'].id}")
    await page.focus(".calendar-subscribe button")
    async with page.expect_navigation():
        await page.keyboard.press("Enter")
    url = await page.locator(".feed-url").inner_text()
    assert url.startswith(f"{live_server}/calendar/cal_") and url.endswith(".ics")
    assert (await page.locator("a[href^='webcal://']").count()) == 1
    await screenshot(page, "calendar-feed-created-de")
    await _fits_a_phone(page)
    await screenshot(page, "calendar-feed-created-phone-de")

    await page.set_viewport_size({"width": 1280, "height": 900})
    await page.goto("/account#notifications")
    await page.focus("#f-reminder-120")
    await page.keyboard.press("Space")
    await page.focus("#f-owner_emails")
    await page.keyboard.press("Space")
    async with page.expect_navigation():
        await page.click("#notifications button[type=submit]")
    assert "Ihre Benachrichtigungen wurden gespeichert." in await page.locator(".notice-ok").inner_text()
    assert await page.is_checked("#f-reminder-120") and not await page.is_checked("#f-owner_emails")
    assert await page.locator("#calendar-feeds tbody tr").count() == 1
    await screenshot(page, "calendar-account-de")
    await _fits_a_phone(page)
    await screenshot(page, "calendar-account-phone-de")

    await page.set_viewport_size({"width": 1280, "height": 900})
    async with page.expect_navigation():
        await page.click(".language-switch button[value=en]")
    await page.goto("/account#calendar-feeds")
    assert await page.locator("#h-notifications").inner_text() == "Email notifications"
    await screenshot(page, "calendar-account-en")
    await _fits_a_phone(page)
    await screenshot(page, "calendar-account-phone-en")
