"""Signing in through the form: a new session every time, errors next to the field."""

from resourcepool.accounts.sessions import touch_session
from resourcepool.db import sql
from resourcepool.web.auth import session_cookie_name
from tests.fixtures.platform import PASSWORD
from tests.web.accounts.support import like_a_browser, field_error, is_signed_in, session_of, sign_in_with_form
from tests.db_state import database_state


async def test_login__starts_a_new_session(sign_in, make_user):
    user = await make_user()
    client = like_a_browser(await sign_in(user))
    old = session_of(client)
    assert old and await touch_session(old) == user.id

    response = await sign_in_with_form(client, user.email, PASSWORD)

    assert response.status_code == 303
    new = session_of(client)
    assert new and new != old
    assert await touch_session(old) is None
    assert await touch_session(new) == user.id


async def test_login__sets_a_httponly_samesite_cookie_for_the_whole_site(client, make_user):
    user = await make_user()
    response = await sign_in_with_form(client, user.email, PASSWORD)
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(session_cookie_name() + "=")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert await is_signed_in(client)


async def test_login__goes_to_the_next_page_but_never_off_site(new_client, make_user):
    user = await make_user()
    response = await sign_in_with_form(new_client(), user.email, PASSWORD, "/account")
    assert response.headers["location"] == "/account"
    response = await sign_in_with_form(new_client(), user.email, PASSWORD, "//evil.example/x")
    assert response.headers["location"] == "/"


async def test_login__page_behind_a_guard_sends_back_with_next(client):
    response = await client.get("/account")
    assert response.status_code in (302, 303)
    assert response.headers["location"] == "/login?next=/account"
    page = await client.get(response.headers["location"])
    assert 'name="next" value="/account"' in page.text


async def test_login__wrong_password_is_shown_next_to_the_field(client, make_user):
    user = await make_user()
    before = await database_state()
    response = await sign_in_with_form(client, user.email, "not-the-password", "/account")
    assert response.status_code == 422
    assert field_error(response.text, "password")
    assert f'value="{user.email}"' in response.text
    assert 'name="next" value="/account"' in response.text
    assert session_of(client) is None
    assert await database_state() == before


async def test_login__unknown_email_gets_the_same_answer_as_a_wrong_password(new_client, make_user):
    user = await make_user()
    wrong = await sign_in_with_form(new_client(), user.email, "not-the-password")
    unknown = await sign_in_with_form(new_client(), "nobody@example.org", "not-the-password")
    assert wrong.status_code == unknown.status_code
    assert field_error(wrong.text, "password") == field_error(unknown.text, "password")


async def test_login__email_is_not_case_sensitive(client, make_user):
    user = await make_user(email="Anna.Schmidt@Example.org")
    response = await sign_in_with_form(client, "  anna.schmidt@example.ORG ", PASSWORD)
    assert response.status_code == 303


async def test_login__deactivated_user_cannot_sign_in(client, make_user):
    user = await make_user()
    await sql.execute("UPDATE app_user SET is_active = false WHERE id = $1", user.id)
    response = await sign_in_with_form(client, user.email, PASSWORD)
    assert response.status_code == 422
    assert session_of(client) is None
    assert await sql.fetch_value("SELECT count(*) FROM web_session") == 0


async def test_login__page_speaks_german_and_english(client):
    assert "Anmelden" in (await client.get("/login")).text
    english = await client.get("/login", headers={"Accept-Language": "en"})
    assert "Email address" in english.text and 'for="f-email"' in english.text


async def test_login__signed_in_visitor_is_sent_on(sign_in, make_user):
    client = like_a_browser(await sign_in(await make_user()))
    response = await client.get("/login?next=/account")
    assert response.headers["location"] == "/account"


async def test_login__empty_fields_are_named_and_not_counted_as_attempts(client):
    await client.get("/login")
    response = await sign_in_with_form(client, " ", "")
    assert response.status_code == 422
    assert field_error(response.text, "email") and field_error(response.text, "password")
    assert await sql.fetch_value("SELECT count(*) FROM login_attempt") == 0
