"""Signing in and the account page in a real browser: keyboard only, desktop and phone."""

from tests.fixtures.platform import PASSWORD


async def _sign_in(page, user) -> None:
    await page.goto("/login")
    await page.fill("#f-email", user.email)
    await page.fill("#f-password", PASSWORD)
    async with page.expect_navigation():
        await page.keyboard.press("Enter")


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


async def test_invitation_of_an_existing_account__pending_for_the_manager_accepted_by_the_person(
        page, screenshot, make_organisation, make_user):
    organisation = await make_organisation(name="TuS Herten 1911")
    manager = await make_user(organisation=organisation, role="manager", name="Thomas Kowalski")
    anna = await make_user(name="Anna Becker", email="anna@example.org")

    await _sign_in(page, manager)
    await page.goto(f"/organisations/{organisation.id}")
    await page.fill("#f-invite_name", "Anna")
    await page.fill("#f-invite_email", anna.email)
    await page.select_option("#f-invite_role", "member")
    async with page.expect_navigation():
        await page.click(".invite-form button[type=submit]")
    assert await page.locator(".open-invitations").is_visible()
    assert await page.locator("#invite-url").count() == 0  # no link for an existing account
    await screenshot(page, "organisations-invitation-pending-de")

    await page.context.clear_cookies()
    await _sign_in(page, anna)
    await page.goto("/account")
    invitation = page.locator("#invitations")
    assert "TuS Herten 1911" in await invitation.inner_text()
    await screenshot(page, "accounts-invitation-offer-de")
    await invitation.get_by_role("button", name="Annehmen").focus()
    async with page.expect_navigation():
        await page.keyboard.press("Enter")
    assert page.url.endswith(f"/organisations/{organisation.id}")
    assert "Anna Becker" in await page.locator("#members").inner_text()
