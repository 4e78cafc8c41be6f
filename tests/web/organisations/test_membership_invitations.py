"""A person who already has an account is invited, not added: they accept or decline it themselves."""

import pytest

from resourcepool.db import sql
from tests.fixtures.platform import post_form
from tests.db_state import database_state


@pytest.fixture
async def invited(make_organisation, make_user, api_as):
    """Anna (with an account) invited as manager to "TuS Herten" by its manager."""
    org = await make_organisation(name="TuS Herten")
    manager = await make_user(organisation=org, role="manager", name="Thomas Kowalski")
    anna = await make_user(email="anna@example.org", name="Anna Becker")
    response = await (await api_as(manager)).post(f"/api/v1/organisations/{org.id}/members",
                                                  json={"email": anna.email, "name": "A", "role": "manager"})
    assert response.status_code == 201 and response.json()["pending"] is True
    return org, manager, anna


async def _memberships(user_id: int) -> int:
    return await sql.fetch_value("SELECT count(*) FROM membership WHERE user_id = $1", user_id)


async def test_invited_person__is_not_a_member_before_accepting(invited, api_as):
    org, _, anna = invited
    api = await api_as(anna)
    assert await _memberships(anna.id) == 0
    me = (await api.get("/api/v1/auth/me")).json()
    assert me["organisations"] == []
    assert [(i["organisation_id"], i["organisation_name"], i["role"], i["invited_by"]) for i in me["invitations"]] \
        == [(org.id, "TuS Herten", "manager", "Thomas Kowalski")]
    # Nothing of the organisation's private side yet.
    assert (await api.get(f"/api/v1/organisations/{org.id}/members")).status_code == 403


async def test_invited_person__accepts_on_the_account_page_and_becomes_a_member_with_the_offered_role(
        invited, sign_in):
    org, _, anna = invited
    browser = await sign_in(anna)
    page = await browser.get("/account")
    assert 'id="invitations"' in page.text and "TuS Herten" in page.text and "Thomas Kowalski" in page.text
    assert "TuS Herten" in (await browser.get("/")).text  # the landing page points there too

    response = await post_form(browser, f"/account/invitations/{org.id}/accept")

    assert response.status_code == 303 and response.headers["location"] == f"/organisations/{org.id}"
    assert await sql.fetch_value("SELECT role FROM membership WHERE user_id = $1 AND organisation_id = $2",
                                 anna.id, org.id) == "manager"
    assert await sql.fetch_value("SELECT count(*) FROM membership_invitation") == 0
    assert 'id="invitations"' not in (await browser.get("/account")).text


async def test_invited_person__accepts_through_the_api(invited, api_as):
    org, _, anna = invited
    api = await api_as(anna)
    response = await api.post(f"/api/v1/organisations/{org.id}/invitation/accept")
    assert response.status_code == 200 and response.json() == {"organisation_id": org.id, "role": "manager"}
    assert (await api.get(f"/api/v1/organisations/{org.id}/members")).json()["total"] == 2
    before = await database_state()
    assert (await api.post(f"/api/v1/organisations/{org.id}/invitation/accept")).status_code == 404
    assert await database_state() == before


async def test_declining__leaves_nothing_behind(invited, sign_in, api_as):
    org, manager, anna = invited
    response = await post_form(await sign_in(anna), f"/account/invitations/{org.id}/decline")
    assert response.status_code == 303 and response.headers["location"] == "/account?done=declined"
    assert await _memberships(anna.id) == 0
    assert await sql.fetch_value("SELECT count(*) FROM membership_invitation") == 0
    waiting = await (await api_as(manager)).get(f"/api/v1/organisations/{org.id}/invitations")
    assert waiting.json() == {"items": [], "total": 0}


async def test_only_the_invited_person__can_accept(invited, make_user, sign_in, api_as):
    org, manager, anna = invited
    someone = await make_user()
    assert (await post_form(await sign_in(someone), f"/account/invitations/{org.id}/accept")).status_code == 404
    assert (await (await api_as(someone)).post(f"/api/v1/organisations/{org.id}/invitation/accept")).status_code == 404
    # Nor can the inviting manager accept in their place.
    assert (await (await api_as(manager)).post(f"/api/v1/organisations/{org.id}/invitation/decline")).status_code == 404
    assert await _memberships(someone.id) == 0
    assert await sql.fetch_value("SELECT count(*) FROM membership_invitation WHERE user_id = $1", anna.id) == 1


async def test_accepting__needs_a_post_with_the_csrf_token(invited, sign_in):
    org, _, anna = invited
    browser = await sign_in(anna)
    assert (await browser.get(f"/account/invitations/{org.id}/accept")).status_code in (404, 405)
    assert (await browser.post(f"/account/invitations/{org.id}/accept")).status_code == 403
    assert await _memberships(anna.id) == 0


async def test_the_manager__sees_the_invitation_as_pending_and_can_withdraw_it(invited, sign_in):
    org, manager, anna = invited
    browser = await sign_in(manager)
    page = await browser.get(f"/organisations/{org.id}")
    assert "open-invitations" in page.text and anna.email in page.text
    # The name the account holder chose is not shown to the inviter before they accept.
    assert "Anna Becker" not in page.text

    response = await post_form(browser, f"/organisations/{org.id}/invitations/{anna.id}/withdraw")

    assert response.status_code == 303
    assert await sql.fetch_value("SELECT count(*) FROM membership_invitation") == 0
    assert await _memberships(anna.id) == 0


async def test_inviting_again_while_pending__is_a_conflict_and_sends_nothing(invited, api_as):
    org, manager, anna = invited
    before = await sql.fetch_value("SELECT count(*) FROM outbox_message")
    response = await (await api_as(manager)).post(f"/api/v1/organisations/{org.id}/members",
                                                  json={"email": anna.email, "name": "A"})
    assert response.status_code == 409
    assert await sql.fetch_value("SELECT count(*) FROM outbox_message") == before


async def test_invite_form__says_an_existing_account_was_invited_not_added(make_organisation, make_user, sign_in):
    org = await make_organisation()
    browser = await sign_in(await make_user(organisation=org, role="manager", locale="en"))
    existing = await make_user(email="schon@da.example")
    response = await post_form(browser, f"/organisations/{org.id}/members",
                               {"invite_name": "X", "invite_email": existing.email, "invite_role": "member"})
    assert response.status_code == 200
    assert "become a member once they accept" in response.text
    assert 'id="invite-url"' not in response.text and "http://testserver/invitations/" not in response.text
    assert await _memberships(existing.id) == 0
