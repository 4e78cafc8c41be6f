"""The account page: who I am, my language, my password."""

from resourcepool.accounts.sessions import create_session, touch_session
from resourcepool.db import sql
from tests.fixtures.platform import PASSWORD, post_form
from tests.web.accounts.support import field_error, session_of, sign_in_with_form
from tests.web.accounts.support_links import reset_link
from tests.db_state import database_state

NEW_PASSWORD = "Neues-Passwort-2026"


async def test_account_page__shows_name_email_and_organisations(sign_in, make_organisation, make_user):
    organisation = await make_organisation(name="Bürgerhaus Süd")
    user = await make_user(organisation=organisation, role="manager", name="Anna Schmidt")
    page = await (await sign_in(user)).get("/account")
    assert page.status_code == 200
    for text in ("Anna Schmidt", user.email, "Bürgerhaus Süd"):
        assert text in page.text


async def test_account_page__saves_the_language(sign_in, make_user):
    user = await make_user()
    client = await sign_in(user)
    response = await post_form(client, "/account/language", {"language": "en"})
    assert response.status_code == 303
    assert await sql.fetch_value("SELECT locale FROM app_user WHERE id = $1", user.id) == "en"
    page = await client.get(response.headers["location"])
    assert 'lang="en"' in page.text and "Your language has been saved." in page.text


async def test_account_page__unknown_language_is_refused(sign_in, make_user):
    user = await make_user()
    response = await post_form(await sign_in(user), "/account/language", {"language": "fr"})
    assert response.status_code == 422
    assert await sql.fetch_value("SELECT locale FROM app_user WHERE id = $1", user.id) is None


async def test_change_password__keeps_this_session_and_ends_the_others(sign_in, new_client, make_user):
    user = await make_user()
    client = await sign_in(user)
    elsewhere = await create_session(user.id)

    response = await post_form(client, "/account/password",
                               {"current_password": PASSWORD, "new_password": NEW_PASSWORD})

    assert response.status_code == 303
    assert (await client.get("/account")).status_code == 200
    assert await touch_session(elsewhere) is None
    assert (await sign_in_with_form(new_client(), user.email, NEW_PASSWORD)).status_code == 303


async def test_change_password__uses_up_live_password_links(sign_in, client, make_user):
    user = await make_user()
    signed_in = await sign_in(user)
    await client.get("/password/forgot")
    await post_form(client, "/password/forgot", {"email": user.email})
    link = await reset_link(user.email)

    response = await post_form(signed_in, "/account/password",
                               {"current_password": PASSWORD, "new_password": NEW_PASSWORD})

    assert response.status_code == 303
    assert (await client.get(link)).status_code == 410
    assert (await post_form(client, link, {"password": "Von-Fremden-2026"})).status_code == 410


async def test_change_password__needs_the_current_password(sign_in, make_user):
    client = await sign_in(await make_user())
    before = await database_state()
    response = await post_form(client, "/account/password",
                               {"current_password": "wrong-password-1", "new_password": NEW_PASSWORD})
    assert response.status_code == 422
    assert field_error(response.text, "current_password")
    assert await database_state() == before


async def test_change_password__refuses_weak_passwords_next_to_the_field(sign_in, new_client, make_user):
    user = await make_user()
    client = await sign_in(user)
    before = await database_state()
    for weak in ("Kurz-12", "password123"):
        response = await post_form(client, "/account/password",
                                   {"current_password": PASSWORD, "new_password": weak})
        assert response.status_code == 422
        assert field_error(response.text, "new_password")
    assert await database_state() == before
    assert (await sign_in_with_form(new_client(), user.email, PASSWORD)).status_code == 303


async def test_change_password__guessing_the_current_password_is_throttled(sign_in, make_user):
    client = await sign_in(await make_user())
    for _ in range(5):
        await post_form(client, "/account/password",
                        {"current_password": "wrong-password-1", "new_password": NEW_PASSWORD})
    before = await database_state()
    response = await post_form(client, "/account/password",
                               {"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert response.status_code == 429 and "retry-after" in response.headers
    assert await database_state() == before


async def test_change_password_form__without_csrf_token_is_refused_and_changes_nothing(sign_in, new_client, make_user):
    user = await make_user()
    client = await sign_in(user)
    before = await sql.fetch_value("SELECT password_hash FROM app_user WHERE id = $1", user.id)

    response = await client.post("/account/password",
                                 data={"current_password": PASSWORD, "new_password": NEW_PASSWORD})

    assert response.status_code == 403
    assert await sql.fetch_value("SELECT password_hash FROM app_user WHERE id = $1", user.id) == before
    assert await touch_session(session_of(client)) == user.id
