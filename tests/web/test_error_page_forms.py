"""The language switch and sign-out work from error pages (404, 405, a refused form post).

A 404 or 405 is answered before the CSRF middleware runs, so the page's forms used to carry an
empty token and failed with 403 — a visitor who followed a dead link could neither read on in
their language nor sign out.
"""

import pytest

from resourcepool.accounts.sessions import identify_session
from resourcepool.web.auth import LANGUAGE_COOKIE, session_cookie_name
from tests.fixtures.platform import hidden_csrf


async def _switch_language(browser, page_html: str, language: str):
    token = hidden_csrf(page_html)
    assert token, "the error page's forms carry no CSRF token"
    return await browser.post("/language", data={"_csrf_token": token, "language": language, "next": "/"},
                              headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"})


@pytest.mark.parametrize("method, url, status", [
    ("GET", "/no-such-page", 404),
    ("GET", "/assets/99999999", 404),
    ("GET", "/logout", 405),
    ("POST", "/organisations/1", 403),  # a form post without a token
])
async def test_language_switch__works_from_an_error_page_for_a_first_time_visitor(new_client, method, url, status):
    browser = new_client()  # no cookies at all yet
    page = await browser.request(method, url)
    assert page.status_code == status
    switched = await _switch_language(browser, page.text, "en")
    assert switched.status_code in (302, 303), switched.text
    assert switched.cookies.get(LANGUAGE_COOKIE) == "en"


async def test_error_page__reuses_the_browsers_valid_token(client):
    await client.get("/")
    cookie = client.cookies.get("rp_csrf")
    page = await client.get("/no-such-page")
    assert hidden_csrf(page.text) == cookie and "rp_csrf" not in page.cookies


async def test_error_page__replaces_a_forged_token(new_client):
    browser = new_client()
    browser.cookies.set("rp_csrf", "0" * 64 + "f" * 64)
    page = await browser.get("/no-such-page")
    assert hidden_csrf(page.text) != "0" * 64 + "f" * 64
    assert (await _switch_language(browser, page.text, "de")).status_code in (302, 303)


async def test_sign_out__works_from_a_404_page(make_user, sign_in):
    user = await make_user()
    browser = await sign_in(user)
    browser.cookies.delete("rp_csrf")  # e.g. the browser dropped it; the page must still work
    page = await browser.get("/no-such-page")
    assert page.status_code == 404 and 'action="/logout"' in page.text
    token = hidden_csrf(page.text)
    session = browser.cookies.get(session_cookie_name())
    response = await browser.post("/logout", data={"_csrf_token": token},
                                  headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"})
    assert response.status_code in (302, 303), response.text
    assert await identify_session(session) is None
