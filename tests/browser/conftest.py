"""Browser tests: the app served by uvicorn in a subprocess, driven by Debian's Chromium.

Screenshots go to ./screenshots/ (ignored by git) so a person can look at them.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import AsyncIterator

import httpx
import pytest

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(app, database_url) -> str:
    """The real app on a free loopback port, on the test database."""
    port = _free_port()
    # No background loops: a sweeper or mail sender here would change rows under the other
    # tests on this database (and take their mail from the worker of tests/deploy).
    env = dict(os.environ, RESOURCEPOOL_DATABASE_URL=database_url,
               RESOURCEPOOL_BASE_URL=f"http://127.0.0.1:{port}", RESOURCEPOOL_SERVE_BACKGROUND="0")
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "resourcepool.serving:app_for_process",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/ready", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    else:
        proc.terminate()
        raise RuntimeError("the app did not start")
    yield url
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[object]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("RESOURCEPOOL_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing but browser tests are required")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        b = await pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield b
        await b.close()


@pytest.fixture
async def page(browser, live_server):
    """A fresh browser context (own cookies) at desktop size."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE",
                                        base_url=live_server)
    p = await context.new_page()
    yield p
    await context.close()


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(exist_ok=True)

    async def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        await page.screenshot(path=str(path), full_page=True)
        return path

    return take
