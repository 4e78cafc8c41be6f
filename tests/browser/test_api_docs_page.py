"""The API docs page (/schema) renders in Chromium from the app alone: no request leaves for a CDN
(its favicon used to come from jsDelivr) and the CSP blocks nothing it needs."""

from urllib.parse import urlsplit

from tests.browser.conftest import SCREENSHOTS


async def test_api_docs__render_with_nothing_from_another_host(page, live_server):
    requested: list[str] = []
    blocked: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("console", lambda message: blocked.append(message.text)
            if "Content Security Policy" in message.text or "Refused" in message.text else None)

    response = await page.goto("/schema")
    assert response is not None and response.status == 200
    await page.get_by_role("heading", name="Exchange email and password for an API token").wait_for(timeout=20000)
    await page.wait_for_load_state("networkidle")
    SCREENSHOTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(SCREENSHOTS / "api-docs.png"))  # the first screen; the page is long

    own = urlsplit(live_server).netloc
    foreign = [u for u in requested if urlsplit(u).scheme in ("http", "https") and urlsplit(u).netloc != own]
    assert not foreign, foreign
    assert any(u.endswith("/static/favicon.svg") for u in requested) or await page.locator(
        'link[rel="icon"][href="/static/favicon.svg"]').count() == 1
    assert not blocked, blocked
