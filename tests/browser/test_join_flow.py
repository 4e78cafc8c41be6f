"""Apply to join → the manager sees the waiting notice → the coordinator verifies → the manager
reloads, switches to English and invites a member. Screenshots of each page go to screenshots/."""

import pytest

from tests.fixtures.platform import PASSWORD

pytestmark = pytest.mark.browser


async def _sign_in(page, email: str, password: str, next_path: str) -> None:
    await page.goto(f"/login?next={next_path}")
    await page.fill("#f-email", email)
    await page.fill("#f-password", password)
    async with page.expect_navigation():
        await page.click("form[action='/login'] button[type=submit]")


async def test_apply_verify_sign_in_and_switch_to_english(page, browser, live_server, screenshot,
                                                          make_network, make_user):
    network = await make_network(slug="herten-mitte", name="Quartiersnetz Herten-Mitte")
    await make_user(coordinator_of=network, email="qm@herten.example", name="Miriam Quartier")

    # 1. A new organisation applies (keyboard-friendly labelled form, German by default).
    await page.goto("/apply")
    await page.select_option("#f-network", "herten-mitte")
    await page.fill("#f-name", "Repair-Café Herten")
    await page.select_option("#f-sector", "informal")
    await page.fill("#f-description", "Ehrenamtliche reparieren jeden zweiten Samstag Elektrogeräte.")
    await page.fill("#f-district", "Mitte")
    await page.fill("#f-manager_name", "Jörg Lindner")
    await page.fill("#f-email", "joerg@repaircafe.example")
    await page.fill("#f-password", PASSWORD)
    await screenshot(page, "apply-de")
    async with page.expect_navigation():
        await page.click("form.apply-form button[type=submit]")
    assert "Bewerbung wurde gesendet" in await page.inner_text("main")
    await screenshot(page, "apply-submitted-de")

    # 2. The new manager signs in and sees clearly that the organisation waits for verification.
    manager = await browser.new_context(base_url=live_server, locale="de-DE",
                                        viewport={"width": 390, "height": 844})
    manager_page = await manager.new_page()
    await _sign_in(manager_page, "joerg@repaircafe.example", PASSWORD, "/organisations")
    assert "/organisations/" in manager_page.url
    assert await manager_page.is_visible(".waiting-notice")
    await screenshot(manager_page, "organisation-waiting-de-phone")

    # 3. The coordinator verifies it.
    coordinator = await browser.new_context(base_url=live_server, locale="de-DE",
                                            viewport={"width": 1280, "height": 900})
    coordinator_page = await coordinator.new_page()
    await _sign_in(coordinator_page, "qm@herten.example", PASSWORD, "/coordinator")
    assert "Repair-Café Herten" in await coordinator_page.inner_text("main")
    await screenshot(coordinator_page, "coordinator-de")
    application = coordinator_page.locator("article.application", has_text="Repair-Café Herten")
    await application.locator("textarea[name=note]").fill("Willkommen im Quartiersnetz!")
    async with coordinator_page.expect_navigation():
        await application.locator("button", has_text="Bestätigen").click()
    assert "bestätigt" in await coordinator_page.inner_text("main")
    await screenshot(coordinator_page, "coordinator-after-verify-de")

    # 4. The manager reloads: verified, no waiting notice; switches to English by keyboard.
    await manager_page.set_viewport_size({"width": 1280, "height": 900})
    await manager_page.reload()
    assert not await manager_page.is_visible(".waiting-notice")
    assert "Bestätigt" in await manager_page.inner_text("main")
    await screenshot(manager_page, "organisation-de")
    await manager_page.focus("button[name=language][value=en]")
    async with manager_page.expect_navigation():
        await manager_page.keyboard.press("Enter")
    assert await manager_page.get_attribute("html", "lang") == "en"
    main = await manager_page.inner_text("main")
    assert "Verified" in main and "Invite a member" in main
    await screenshot(manager_page, "organisation-en")

    # 5. The manager invites a member and gets the link to pass on.
    await manager_page.fill("#f-invite_name", "Sabine Yilmaz")
    await manager_page.fill("#f-invite_email", "sabine@repaircafe.example")
    async with manager_page.expect_navigation():
        await manager_page.click("form.invite-form button[type=submit]")
    assert "/invitations/" in await manager_page.input_value("#invite-url")
    assert "Sabine Yilmaz" in await manager_page.inner_text("#members")
    await screenshot(manager_page, "organisation-invited-en")

    await manager.close()
    await coordinator.close()
