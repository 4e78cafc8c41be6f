"""Error responses: unchecked input is a 4xx, never a 500; error pages speak the user's language.

Each use case names the offending field itself; these tests show what happens when one does
not — PostgreSQL refuses the value, the transaction is rolled back and the client hears 4xx.
"""

from datetime import date, timedelta

import httpx
import pytest
from litestar import Litestar, get, post
from litestar.params import FromQuery
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template import TemplateConfig

from resourcepool.db import sql
from resourcepool.web.errors import EXCEPTION_HANDLERS
from resourcepool.web.templating import build_environment
from tests.fixtures.platform import post_form


@get("/api/v1/probe/text")
async def store_text(value: FromQuery[str]) -> dict[str, str]:
    return {"value": await sql.fetch_value("SELECT $1::text", value)}


@get("/api/v1/probe/date")
async def impossible_date(year: FromQuery[int]) -> dict[str, str]:
    return {"value": str(await sql.fetch_value("SELECT make_date($1, 1, 1)", year))}


@get("/api/v1/probe/overflow")
async def overflowing_date() -> dict[str, str]:
    return {"value": str(date(9999, 12, 31) + timedelta(days=1))}


@get("/api/v1/probe/integer")
async def huge_integer() -> dict[str, int]:
    return {"value": await sql.fetch_value("SELECT $1::int", 2**40)}


@post("/probe/page")
async def page_probe(value: FromQuery[str]) -> str:
    return await sql.fetch_value("SELECT $1::text", value)


@pytest.fixture
async def probe_client(app):
    probe = Litestar([store_text, impossible_date, overflowing_date, huge_integer, page_probe],
                     exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
                     template_config=TemplateConfig(
                         engine=JinjaTemplateEngine.from_environment(build_environment())))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=probe),
                                 base_url="http://testserver") as c:
        yield c


@pytest.mark.parametrize("url", [
    "/api/v1/probe/text?value=a%00b",
    "/api/v1/probe/date?year=0",
    "/api/v1/probe/overflow",
    "/api/v1/probe/integer",
])
async def test_a_value_the_database_refuses__is_a_422_problem(probe_client, url):
    response = await probe_client.get(url)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "validation_error"


async def test_a_value_the_database_refuses_on_a_page__is_a_422_page(probe_client):
    response = await probe_client.post("/probe/page?value=a%00b")
    assert response.status_code == 422, response.text
    assert "text/html" in response.headers["content-type"]


async def test_json_nested_thousands_deep__is_a_400_problem(client):
    body = "[" * 5000 + "]" * 5000
    response = await client.post("/api/v1/auth/token", content=body,
                                 headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"


async def test_a_form_field_with_nul__is_refused_and_nothing_is_stored(client):
    before = await sql.fetch_value("SELECT count(*) FROM network_organisation")
    response = await post_form(client, "/apply", {"organisation_name": "Verein\x00", "email": "a@b.example"})
    assert response.status_code == 422
    assert "nicht erlaubt" in response.text
    assert await sql.fetch_value("SELECT count(*) FROM network_organisation") == before


async def test_unknown_page__says_so_in_the_users_language(client):
    german = await client.get("/no-such-page")
    english = await client.get("/no-such-page", headers={"Accept-Language": "en"})
    assert german.status_code == english.status_code == 404
    assert "Unter dieser Adresse gibt es keine Seite." in german.text
    assert "Not Found" not in german.text
    assert "There is no page at this address." in english.text


async def test_unknown_page__keeps_a_signed_in_users_navigation_and_language(sign_in, make_user):
    user = await make_user()
    await sql.execute("UPDATE app_user SET locale = 'en' WHERE id = $1", user.id)
    browser = await sign_in(user)
    response = await browser.get("/no-such-page", headers={"Accept-Language": "de"})
    assert response.status_code == 404
    assert 'lang="en"' in response.text
    assert "There is no page at this address." in response.text
    assert "/logout" in response.text and 'href="/login"' not in response.text
