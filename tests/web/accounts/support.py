"""Small helpers shared by the account web tests."""

from __future__ import annotations

import re

import httpx

from resourcepool.web.auth import session_cookie_name
from tests.fixtures.platform import post_form


async def sign_in_with_form(client: httpx.AsyncClient, email: str, password: str,
                            next_path: str | None = None) -> httpx.Response:
    await client.get("/login")
    data = {"email": email, "password": password}
    if next_path is not None:
        data["next"] = next_path
    return await post_form(client, "/login", data)


def session_of(client: httpx.AsyncClient) -> str | None:
    return client.cookies.get(session_cookie_name())


def like_a_browser(client: httpx.AsyncClient) -> httpx.AsyncClient:
    """Put the session cookie of the `sign_in` fixture where the server's own cookies go.

    `sign_in` sets it without a domain; httpx keeps server cookies under "testserver.local",
    so a replacement from the server would sit beside it instead of replacing it.
    """
    token = client.cookies.get(session_cookie_name())
    client.cookies.delete(session_cookie_name())
    client.cookies.set(session_cookie_name(), token, domain="testserver.local", path="/")
    return client


def field_error(html: str, field: str) -> str | None:
    match = re.search(rf'<p class="field-error" id="f-{field}-error">([^<]*)</p>', html)
    return match.group(1) if match else None


async def is_signed_in(client: httpx.AsyncClient) -> bool:
    response = await client.get("/account")
    return response.status_code == 200
