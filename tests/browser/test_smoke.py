"""The landing page renders in a real browser and the language switch works by keyboard."""


async def test_landing__switches_to_english_by_keyboard(page, screenshot):
    await page.goto("/")
    assert await page.get_attribute("html", "lang") == "de"
    await page.focus("button[name=language][value=en]")
    async with page.expect_navigation():
        await page.keyboard.press("Enter")
    assert await page.get_attribute("html", "lang") == "en"
    await screenshot(page, "landing-en")
