"""Signing out ends the session on the server, not only in the browser."""

from resourcepool.accounts.sessions import touch_session
from resourcepool.web.auth import session_cookie_name
from tests.fixtures.platform import post_form
from tests.web.accounts.support import like_a_browser, session_of
from tests.db_state import database_state


async def test_logout__ends_the_session_server_side(sign_in, new_client, make_user):
    user = await make_user()
    client = like_a_browser(await sign_in(user))
    token = session_of(client)

    response = await post_form(client, "/logout")

    assert response.status_code == 303
    assert await touch_session(token) is None
    assert session_of(client) in (None, "")
    # Someone who kept a copy of the old cookie is not signed in with it.
    replay = new_client()
    replay.cookies.set(session_cookie_name(), token)
    answer = await replay.get("/account")
    assert answer.status_code in (302, 303)
    assert answer.headers["location"].startswith("/login")


async def test_logout__without_csrf_token_is_refused(sign_in, make_user):
    client = like_a_browser(await sign_in(await make_user()))
    token = session_of(client)
    before = await database_state()
    response = await client.post("/logout")
    assert response.status_code == 403
    assert await touch_session(token) is not None
    assert await database_state() == before


async def test_logout__is_not_possible_with_get(sign_in, make_user):
    client = like_a_browser(await sign_in(await make_user()))
    before = await database_state()
    response = await client.get("/logout")
    assert response.status_code == 405
    assert await database_state() == before
    assert (await client.get("/account")).status_code == 200
