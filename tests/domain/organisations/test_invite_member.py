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


async def test_invite_member__someone_invited_elsewhere_gets_no_new_link_and_the_first_stays_the_way_in(
        make_organisation, make_user):
    first, second = await make_organisation(), await make_organisation()
    m1 = await load_identity((await make_user(organisation=first, role="manager")).id)
    m2 = await load_identity((await make_user(organisation=second, role="manager")).id)
    earlier = await invite_member(m1, first.id, "neu@verein.example", "Neu")

    again = await invite_member(m2, second.id, "NEU@verein.example", "Neu", "manager")

    # The second manager gets no link: with one they could set the password and become this
    # person, manager of the first organisation included.
    assert again.invite_url is None and again.pending and not again.new_user
    assert again.user_id == earlier.user_id
    assert await sql.fetch_value("SELECT count(*) FROM user_token WHERE user_id = $1", earlier.user_id) == 1
    info = await peek_user_token(earlier.invite_url.rsplit("/", 1)[1], "invitation")
    assert info.organisation_id == first.id
    # Not a member of the second organisation before they accept.
    assert await sql.fetch_value("SELECT count(*) FROM membership WHERE organisation_id = $1", second.id) == 1


async def test_a_member_cannot_invite(make_organisation, make_user):
    org = await make_organisation()
    member = await load_identity((await make_user(organisation=org)).id)
    with pytest.raises(Forbidden):
        await invite_member(member, org.id, "neu@verein.example", "Neu")
    assert await sql.fetch_value("SELECT count(*) FROM app_user WHERE email = 'neu@verein.example'") == 0


async def test_a_coordinator_of_a_network_that_verified_it_may_invite_its_first_manager(
        make_network, make_organisation, make_user):
    network = await make_network()
    org = await make_organisation(network=network)
    coordinator = await load_identity((await make_user(coordinator_of=network)).id)
    invitation = await invite_member(coordinator, org.id, "chefin@verein.example", "Chefin", "manager")
    assert invitation.new_user and invitation.invite_url
    assert await sql.fetch_value(
        "SELECT role FROM membership WHERE user_id = $1 AND organisation_id = $2", invitation.user_id, org.id
    ) == "manager"


async def test_a_coordinator_of_a_network_where_it_only_applied__may_not_invite(
        make_network, make_organisation, make_user):
    network = await make_network()
    org = await make_organisation(network=network, status="pending")
    coordinator = await load_identity((await make_user(coordinator_of=network)).id)
    with pytest.raises(Forbidden):
        await invite_member(coordinator, org.id, "chefin@verein.example", "Chefin", "manager")
    assert await sql.fetch_value("SELECT count(*) FROM app_user WHERE email = 'chefin@verein.example'") == 0
