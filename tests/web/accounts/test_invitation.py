"""Accepting an invitation: choose a password (page or API); the page signs the person in."""

from datetime import timedelta

import pytest

from resourcepool import clock
from resourcepool.accounts.user_tokens import issue_user_token
from resourcepool.db import sql
from tests.fixtures.platform import PASSWORD, post_form
from tests.web.accounts.support import field_error, session_of, sign_in_with_form
from tests.web.accounts.support_links import reset_link
from tests.db_state import database_state

CHOSEN = "Mein-Verein-2026"


@pytest.fixture
def invite(make_organisation, make_user):
    async def make(ttl: timedelta = timedelta(days=7)):
        organisation = await make_organisation(name="Tafel Mitte e.V.")
        user = await make_user(organisation=organisation)
        await sql.execute("UPDATE app_user SET password_hash = NULL WHERE id = $1", user.id)
        token = await issue_user_token(user.id, "invitation", ttl, organisation_id=organisation.id)
        return user, token

    return make


async def test_invitation_page__sets_the_password_and_signs_in(client, invite):
    user, token = await invite()
    page = await client.get(f"/invitations/{token}")
    assert page.status_code == 200
    assert "Tafel Mitte e.V." in page.text and user.email in page.text

    response = await post_form(client, f"/invitations/{token}", {"password": CHOSEN})

    assert response.status_code == 303
    assert session_of(client)
    me = await client.get("/account")
    assert me.status_code == 200 and user.email in me.text


async def test_invitation_page__refuses_weak_passwords_next_to_the_field(client, invite):
    _, token = await invite()
    before = await database_state()
    for weak in ("Kurz-12", "password123"):
        response = await post_form(client, f"/invitations/{token}", {"password": weak})
        assert response.status_code == 422
        assert field_error(response.text, "password")
        assert session_of(client) is None
    assert await database_state() == before
    assert (await post_form(client, f"/invitations/{token}", {"password": CHOSEN})).status_code == 303


async def test_invitation_page__used_or_expired_links_are_refused(client, new_client, invite):
    _, token = await invite()
    assert (await post_form(client, f"/invitations/{token}", {"password": CHOSEN})).status_code == 303
    other = new_client()
    assert (await other.get(f"/invitations/{token}")).status_code == 410
    assert (await post_form(other, f"/invitations/{token}", {"password": "Anderes-2026-x"})).status_code == 410

    _, late = await invite(ttl=timedelta(hours=1))
    clock.travel(timedelta(hours=2))
    assert (await new_client().get(f"/invitations/{late}")).status_code == 410


async def test_invitation_api__accepts_with_a_password(client, invite):
    user, token = await invite()
    response = await client.post(f"/api/v1/auth/invitations/{token}", json={"password": CHOSEN})
    assert response.status_code == 200
    assert response.json() == {"user_id": user.id, "email": user.email}
    token_response = await client.post("/api/v1/auth/token", json={"email": user.email, "password": CHOSEN})
    assert token_response.status_code == 201


async def test_invitation_api__weak_password_is_a_422_problem_and_keeps_the_link(client, invite):
    _, token = await invite()
    before = await database_state()
    for weak in ("Kurz-12", "password123"):
        response = await client.post(f"/api/v1/auth/invitations/{token}", json={"password": weak})
        assert response.status_code == 422
        assert response.json()["code"] == "validation_error" and response.json()["field"] == "password"
    assert await database_state() == before
    assert (await client.post(f"/api/v1/auth/invitations/{token}", json={"password": CHOSEN})).status_code == 200
    again = await client.post(f"/api/v1/auth/invitations/{token}", json={"password": CHOSEN})
    assert again.status_code == 422 and again.json()["field"] == "token"


async def test_invitation_api__unknown_token_is_404(client):
    before = await database_state()
    response = await client.post("/api/v1/auth/invitations/nope", json={"password": CHOSEN})
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert await database_state() == before


async def test_invitation__a_password_reset_link_is_not_an_invitation(client, make_user):
    user = await make_user()
    token = await issue_user_token(user.id, "password_reset", timedelta(hours=1))
    assert (await client.get(f"/invitations/{token}")).status_code == 404
    assert (await sign_in_with_form(client, user.email, CHOSEN)).status_code == 422


async def test_invitation__is_dead_once_the_password_was_set_through_forgot_password(client, new_client, invite):
    user, token = await invite()
    # The invitee ignores the invitation and uses "forgot password" instead.
    await client.get("/password/forgot")
    await post_form(client, "/password/forgot", {"email": user.email})
    assert (await post_form(client, await reset_link(user.email), {"password": CHOSEN})).status_code == 303

    # The manager who saw the invitation link cannot use it to replace that password.
    manager = new_client()
    assert (await manager.get(f"/invitations/{token}")).status_code == 410
    assert (await post_form(manager, f"/invitations/{token}", {"password": "Vom-Manager-2026"})).status_code == 410
    assert (await manager.post(f"/api/v1/auth/invitations/{token}", json={"password": "Vom-Manager-2026"})
            ).status_code == 422
    assert (await sign_in_with_form(new_client(), user.email, CHOSEN)).status_code == 303
    assert (await sign_in_with_form(new_client(), user.email, "Vom-Manager-2026")).status_code == 422


async def test_invitation__is_refused_when_the_user_already_has_a_password(client, make_organisation, make_user):
    # Data from before links were used up on every password change: a live link, a password set.
    organisation = await make_organisation()
    user = await make_user(organisation=organisation)
    token = await issue_user_token(user.id, "invitation", timedelta(days=7), organisation_id=organisation.id)

    page = await client.get(f"/invitations/{token}")
    response = await client.post(f"/api/v1/auth/invitations/{token}", json={"password": CHOSEN})

    assert page.status_code == 410 and "already been accepted" in (await client.get(
        f"/invitations/{token}", headers={"Accept-Language": "en"})).text
    assert response.status_code == 422 and response.json()["field"] == "token"
    assert (await sign_in_with_form(client, user.email, PASSWORD)).status_code == 303
