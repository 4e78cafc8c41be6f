"""Signing in and the account page in a real browser: keyboard only, desktop and phone."""

from tests.fixtures.platform import PASSWORD


async def test_login__works_by_keyboard_and_lands_on_the_account_page(page, screenshot, make_organisation, make_user):
    organisation = await make_organisation(name="Bürgerhaus Süd")
    user = await make_user(organisation=organisation, role="manager", name="Anna Schmidt")

    await page.goto("/login?next=/account")
    await page.focus("#f-email")
    await page.keyboard.type(user.email)
    await page.keyboard.press("Tab")
    await page.keyboard.type("falsch-geraten-1")
    async with page.expect_navigation():
        await page.keyboard.press("Enter")
    assert await page.locator("#f-password-error").is_visible()
    assert await page.get_attribute("#f-password", "aria-invalid") == "true"
    await screenshot(page, "accounts-login-error-de")

    await page.fill("#f-password", PASSWORD)
    async with page.expect_navigation():
        await page.keyboard.press("Enter")
    assert page.url.endswith("/account")
    assert await page.locator("h1").inner_text() == "Ihr Konto"
    await page.fill("#f-name", "Tabellen-Export")
    async with page.expect_navigation():
        await page.keyboard.press("Enter")
    assert (await page.locator(".token-value").inner_text()).startswith("rp_")
    await screenshot(page, "accounts-account-de")

    await page.set_viewport_size({"width": 375, "height": 740})
    await page.goto("/account")
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375 + 1, f"the page scrolls sideways on a phone ({width}px)"
    await screenshot(page, "accounts-account-phone")
