"""invite_member: new people get an account, a membership, a token and an email; others are added."""

import pytest

from resourcepool.accounts.identity import load_identity
from resourcepool.accounts.user_tokens import peek_user_token
from resourcepool.db import sql
from resourcepool.errors import Forbidden
from resourcepool.organisations.members import invite_member

pytestmark = pytest.mark.usefixtures("app")


async def test_invite_a_new_person__link_works_for_the_accept_page(make_organisation, make_user):
    org = await make_organisation()
    manager = await load_identity((await make_user(organisation=org, role="manager")).id)
    invitation = await invite_member(manager, org.id, "neu@verein.example", "Neue Person", "manager")
    assert invitation.new_user
    token = invitation.invite_url.rsplit("/", 1)[1]
    info = await peek_user_token(token, "invitation")
    assert info.user_id == invitation.user_id and info.organisation_id == org.id
    assert await sql.fetch_value("SELECT role FROM membership WHERE user_id = $1", invitation.user_id) == "manager"
    assert await sql.fetch_value("SELECT count(*) FROM outbox_message WHERE to_address = 'neu@verein.example'") == 1


async def test_reinviting_someone_who_never_accepted__into_another_organisation_gives_a_new_link(
        make_organisation, make_user):
    first, second = await make_organisation(), await make_organisation()
    m1 = await load_identity((await make_user(organisation=first, role="manager")).id)
    m2 = await load_identity((await make_user(organisation=second, role="manager")).id)
    await invite_member(m1, first.id, "neu@verein.example", "Neu")
    again = await invite_member(m2, second.id, "neu@verein.example", "Neu")
    assert again.invite_url is not None and not again.new_user


async def test_a_member_cannot_invite(make_organisation, make_user):
    org = await make_organisation()
    member = await load_identity((await make_user(organisation=org)).id)
    with pytest.raises(Forbidden):
        await invite_member(member, org.id, "neu@verein.example", "Neu")
    assert await sql.fetch_value("SELECT count(*) FROM app_user WHERE email = 'neu@verein.example'") == 0
