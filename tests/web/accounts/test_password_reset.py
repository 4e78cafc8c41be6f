"""Forgotten password: a link by email, the same answer for unknown addresses, one use, one hour."""

from datetime import timedelta

from resourcepool import clock
from resourcepool.accounts.sessions import create_session, touch_session
from resourcepool.db import sql
from tests.fixtures.platform import PASSWORD, post_form
from tests.web.accounts.support import field_error, sign_in_with_form
from tests.web.accounts.support_links import mails_to, reset_link
from tests.db_state import database_state

NEW_PASSWORD = "Neues-Passwort-2026"


async def _ask(client, email: str):
    await client.get("/password/forgot")
    return await post_form(client, "/password/forgot", {"email": email})


async def test_password_reset__works_end_to_end_through_the_email(client, new_client, make_user):
    user = await make_user(locale="en")
    old_session = await create_session(user.id)

    answer = await _ask(client, user.email)
    assert answer.status_code == 200
    mails = await mails_to(user.email)
    assert len(mails) == 1 and "password" in mails[0]["subject"].lower()
    link = await reset_link(user.email)

    form = await client.get(link)
    assert form.status_code == 200 and user.email in form.text
    done = await post_form(client, link, {"password": NEW_PASSWORD})
    assert done.status_code == 303 and done.headers["location"] == "/login?done=reset"

    assert await touch_session(old_session) is None  # every old session ended
    assert (await sign_in_with_form(new_client(), user.email, NEW_PASSWORD)).status_code == 303
    assert (await sign_in_with_form(new_client(), user.email, PASSWORD)).status_code == 422


async def test_password_reset__email_is_in_the_users_language(client, make_user):
    user = await make_user(locale="de")
    await _ask(client, user.email)
    (mail,) = await mails_to(user.email)
    assert "Passwort" in mail["subject"] and "Hallo" in mail["body_text"]


async def test_password_reset__answers_the_same_for_an_unknown_address(new_client, make_user):
    user = await make_user()
    known = await _ask(new_client(), user.email)
    unknown = await _ask(new_client(), "nobody@example.org")
    assert known.status_code == unknown.status_code == 200
    assert known.text.replace(user.email, "X") == unknown.text.replace("nobody@example.org", "X").replace(
        *_csrf_pair(unknown.text, known.text))
    assert await sql.fetch_value("SELECT count(*) FROM outbox_message") == 1


def _csrf_pair(a: str, b: str) -> tuple[str, str]:
    import re

    pick = lambda t: re.search(r'name="_csrf_token" value="([^"]+)"', t).group(1)  # noqa: E731
    return pick(a), pick(b)


async def test_password_reset__link_works_only_once(client, make_user):
    user = await make_user()
    await _ask(client, user.email)
    link = await reset_link(user.email)
    assert (await post_form(client, link, {"password": NEW_PASSWORD})).status_code == 303

    before = await database_state()
    again = await post_form(client, link, {"password": "Noch-ein-Passwort-9"})

    assert again.status_code == 410
    assert (await client.get(link)).status_code == 410
    assert await database_state() == before


async def test_password_reset__link_expires_after_an_hour(client, make_user):
    user = await make_user()
    await _ask(client, user.email)
    link = await reset_link(user.email)
    clock.travel(timedelta(hours=1, seconds=1))
    before = await database_state()
    response = await post_form(client, link, {"password": NEW_PASSWORD})
    assert response.status_code == 410
    assert await database_state() == before
    assert (await sign_in_with_form(client, user.email, PASSWORD)).status_code == 303


async def test_password_reset__unknown_link_is_404(client):
    assert (await client.get("/password/reset/not-a-real-token")).status_code == 404


async def test_password_reset__refuses_weak_passwords_next_to_the_field(client, make_user):
    user = await make_user()
    await _ask(client, user.email)
    link = await reset_link(user.email)
    before = await database_state()
    for weak in ("Kurz-12", "password123"):
        response = await post_form(client, link, {"password": weak})
        assert response.status_code == 422
        assert field_error(response.text, "password")
    assert await database_state() == before
    # The refused attempts did not use the link up.
    assert (await post_form(client, link, {"password": NEW_PASSWORD})).status_code == 303


async def test_password_reset__at_most_three_emails_per_hour(client, make_user):
    user = await make_user()
    for _ in range(5):
        assert (await _ask(client, user.email)).status_code == 200
    assert len(await mails_to(user.email)) == 3
    clock.travel(timedelta(hours=1, seconds=1))
    await _ask(client, user.email)
    assert len(await mails_to(user.email)) == 4


async def test_password_reset__a_newer_link_replaces_the_older(client, make_user):
    user = await make_user()
    await _ask(client, user.email)
    first = await reset_link(user.email)
    await _ask(client, user.email)
    assert (await client.get(first)).status_code == 410
    assert (await client.get(await reset_link(user.email))).status_code == 200


async def test_password_reset__invalid_address_is_shown_next_to_the_field(client):
    before = await database_state()
    response = await _ask(client, "not-an-address")
    assert response.status_code == 422
    assert field_error(response.text, "email")
    assert await database_state() == before


async def test_password_reset__revokes_the_users_api_tokens(client, make_user):
    from resourcepool.accounts.api_tokens import create_api_token

    user = await make_user()
    token, _ = await create_api_token(user.id, "script")
    headers = {"Authorization": f"Bearer {token}"}
    assert (await client.get("/api/v1/auth/me", headers=headers)).status_code == 200

    await _ask(client, user.email)
    assert (await post_form(client, await reset_link(user.email), {"password": NEW_PASSWORD})).status_code == 303

    assert (await client.get("/api/v1/auth/me", headers=headers)).status_code == 401
    assert await sql.fetch_value(
        "SELECT count(*) FROM api_token WHERE user_id = $1 AND revoked_at IS NULL", user.id) == 0
