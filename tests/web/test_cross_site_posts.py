"""Unsafe form posts are checked for Origin and Sec-Fetch-Site as well as the CSRF token.

A post that another site's page made is refused even with a valid token (a leaked token, or a
sibling subdomain that can set our cookies); a post that names no site is left to the token; the
Bearer-token JSON API is exempt.
"""

import pytest

from resourcepool.accounts.sessions import identify_session
from resourcepool.db import sql
from resourcepool.web.auth import session_cookie_name
from resourcepool.web.origin import origin_of
from tests.fixtures.platform import PASSWORD, csrf_token

OWN = "http://testserver"


@pytest.fixture
async def manager_page(make_organisation, make_user, sign_in):
    org = await make_organisation(name="Bürgerhaus")
    manager = await make_user(organisation=org, role="manager")
    return org, await sign_in(manager)


async def _post(browser, url, data, **headers):
    return await browser.post(url, data={"_csrf_token": csrf_token(browser), **data}, headers=headers)


async def _description(org_id):
    return await sql.fetch_value("SELECT description FROM organisation WHERE id = $1", org_id)


@pytest.mark.parametrize("headers", [
    {"Origin": "https://evil.example"},
    {"Origin": "http://testserver.evil.example"},
    {"Origin": "https://testserver"},  # another scheme is another origin
    {"Origin": "null"},
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-site"},
    {"Sec-Fetch-Site": "cross-site", "Origin": OWN},
    {"Sec-Fetch-Site": "same-origin", "Origin": "https://evil.example"},
], ids=lambda h: ", ".join(f"{k}={v}" for k, v in h.items()))
async def test_form_post_from_another_site__is_refused_despite_a_valid_token_and_changes_nothing(
        manager_page, headers):
    org, browser = manager_page
    response = await _post(browser, f"/organisations/{org.id}", {"description": "Gekapert"}, **headers)
    assert response.status_code == 403
    assert "nicht von dieser Seite" in response.text or "not sent from this site" in response.text
    assert await _description(org.id) == ""


@pytest.mark.parametrize("headers", [
    {"Origin": OWN, "Sec-Fetch-Site": "same-origin"},
    {"Origin": "HTTP://TESTSERVER:80"},
    {"Sec-Fetch-Site": "none"},
    {},  # no browser: the token alone decides
], ids=["browser", "default port, upper case", "user-initiated", "no headers"])
async def test_form_post_from_our_own_page__goes_through(manager_page, headers):
    org, browser = manager_page
    response = await _post(browser, f"/organisations/{org.id}", {"description": "Offen für alle"}, **headers)
    assert response.status_code == 303, response.text
    assert await _description(org.id) == "Offen für alle"


async def test_the_token_is_still_required_with_a_matching_origin(manager_page):
    org, browser = manager_page
    response = await browser.post(f"/organisations/{org.id}", data={"description": "x"},
                                  headers={"Origin": OWN, "Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 403
    assert await _description(org.id) == ""


async def test_sign_in_and_sign_out_from_another_site__are_refused(client, manager_page, make_user):
    user = await make_user(email="login@example.org")
    await client.get("/login")
    login = await _post(client, "/login", {"email": user.email, "password": PASSWORD},
                        Origin="https://evil.example")
    assert login.status_code == 403 and session_cookie_name() not in login.cookies

    _, browser = manager_page
    logout = await _post(browser, "/logout", {}, **{"Sec-Fetch-Site": "cross-site"})
    assert logout.status_code == 403
    assert await identify_session(browser.cookies.get(session_cookie_name())) is not None


async def test_the_bearer_token_api__is_exempt(make_organisation, make_user, api_as):
    org = await make_organisation()
    manager = await make_user(organisation=org, role="manager")
    response = await (await api_as(manager)).patch(
        f"/api/v1/organisations/{org.id}", json={"description": "per API"},
        headers={"Origin": "https://tool.example", "Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 200
    assert await _description(org.id) == "per API"


def test_origin_of__normalises_scheme_host_and_default_port():
    assert origin_of("HTTP://Example.org:80/path?q") == "http://example.org"
    assert origin_of("https://example.org:443") == "https://example.org"
    assert origin_of("https://example.org:8443/") == "https://example.org:8443"
    assert origin_of("http://[::1]:8000") == "http://[::1]:8000"
