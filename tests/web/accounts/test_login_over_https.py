"""Behind HTTPS the session cookie is Secure and host-only (__Host- prefix)."""

import httpx
import pytest

from resourcepool.settings import reset_settings
from tests.fixtures.platform import PASSWORD, post_form


@pytest.fixture
def https(monkeypatch):
    monkeypatch.setenv("RESOURCEPOOL_HTTPS", "1")
    reset_settings()
    yield
    monkeypatch.undo()
    reset_settings()


async def test_login_over_https__sets_a_secure_host_only_cookie(app, https, make_user):
    user = await make_user()
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 40002))
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as client:
        await client.get("/login")
        response = await post_form(client, "/login", {"email": user.email, "password": PASSWORD})
        assert response.status_code == 303
        cookie = response.headers["set-cookie"]
        assert cookie.startswith("__Host-rp_session=")
        assert "Secure" in cookie and "HttpOnly" in cookie and "Path=/" in cookie and "Domain" not in cookie
        assert (await client.get("/account")).status_code == 200
