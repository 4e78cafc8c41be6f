"""/organisations/{id}: details, networks, the waiting notice, members and the invite form."""

from resourcepool.db import sql
from tests.fixtures.platform import post_form
from tests.db_state import database_state


async def test_members_of_an_unverified_organisation__see_that_they_wait(make_organisation, make_user, sign_in):
    org = await make_organisation(status="pending")
    member = await make_user(organisation=org)
    page = await (await sign_in(member)).get(f"/organisations/{org.id}")
    assert page.status_code == 200
    assert "waiting-notice" in page.text
    assert "Warten auf Bestätigung" in page.text


async def test_members_of_a_verified_organisation__see_no_waiting_notice(make_organisation, make_user, sign_in):
    org = await make_organisation()
    member = await make_user(organisation=org)
    page = await (await sign_in(member)).get(f"/organisations/{org.id}")
    assert "waiting-notice" not in page.text


async def test_my_organisations__opens_the_only_one(make_organisation, make_user, sign_in):
    org = await make_organisation()
    browser = await sign_in(await make_user(organisation=org))
    response = await browser.get("/organisations")
    assert response.status_code in (302, 303)
    assert response.headers["location"] == f"/organisations/{org.id}"


async def test_manager__sees_the_invite_form_and_members_with_actions(make_organisation, make_user, sign_in):
    org = await make_organisation()
    manager = await make_user(organisation=org, role="manager")
    await make_user(organisation=org, name="Bernd Mitglied")
    page = await (await sign_in(manager)).get(f"/organisations/{org.id}")
    assert 'action="/organisations/%d/members"' % org.id in page.text
    assert "Bernd Mitglied" in page.text
    assert '<label for="f-invite_email"' in page.text


async def test_plain_member__sees_members_but_no_invite_form(make_organisation, make_user, sign_in):
    org = await make_organisation()
    member = await make_user(organisation=org)
    page = await (await sign_in(member)).get(f"/organisations/{org.id}")
    assert 'id="members"' in page.text
    assert 'action="/organisations/%d/members"' % org.id not in page.text


async def test_invite_by_form__creates_the_member_and_shows_the_link(make_organisation, make_user, sign_in):
    org = await make_organisation()
    browser = await sign_in(await make_user(organisation=org, role="manager"))
    response = await post_form(browser, f"/organisations/{org.id}/members",
                               {"invite_name": "Neue Person", "invite_email": "neu@verein.example",
                                "invite_role": "member"})
    assert response.status_code == 200
    assert "/invitations/" in response.text
    assert await sql.fetch_value("SELECT count(*) FROM membership WHERE organisation_id = $1", org.id) == 2


async def test_invite_with_a_bad_email__shows_the_error_next_to_the_field(make_organisation, make_user, sign_in):
    org = await make_organisation()
    browser = await sign_in(await make_user(organisation=org, role="manager"))
    before = await database_state()
    response = await post_form(browser, f"/organisations/{org.id}/members",
                               {"invite_name": "X", "invite_email": "nope", "invite_role": "member"})
    assert response.status_code == 422
    assert 'id="f-invite_email-error"' in response.text
    assert await database_state() == before


async def test_removing_the_last_manager_by_form__is_refused_with_a_message(make_organisation, make_user, sign_in):
    org = await make_organisation()
    manager = await make_user(organisation=org, role="manager")
    browser = await sign_in(manager)
    response = await post_form(browser, f"/organisations/{org.id}/members/{manager.id}/remove")
    assert response.status_code == 422
    assert "mindestens" in response.text
    assert await sql.fetch_value("SELECT count(*) FROM membership") == 1


async def test_role_change_by_form(make_organisation, make_user, sign_in):
    org = await make_organisation()
    browser = await sign_in(await make_user(organisation=org, role="manager"))
    member = await make_user(organisation=org)
    response = await post_form(browser, f"/organisations/{org.id}/members/{member.id}/role", {"role": "manager"})
    assert response.status_code == 303
    assert await sql.fetch_value("SELECT role FROM membership WHERE user_id = $1", member.id) == "manager"


async def test_page_in_english(make_organisation, make_user, sign_in):
    org = await make_organisation(status="pending")
    member = await make_user(organisation=org, locale="en")
    page = await (await sign_in(member)).get(f"/organisations/{org.id}")
    assert "Waiting for verification" in page.text


async def test_my_organisations__lists_several_with_their_status(make_network, make_organisation, make_user, sign_in):
    network = await make_network()
    first = await make_organisation(network=network, name="Erster Verein")
    second = await make_organisation(network=network, status="pending", name="Zweiter Verein")
    person = await make_user(organisation=first)
    await sql.execute("INSERT INTO membership (user_id, organisation_id, role) VALUES ($1, $2, 'manager')",
                      person.id, second.id)
    page = await (await sign_in(person)).get("/organisations")
    assert page.status_code == 200
    assert "Erster Verein" in page.text and "Zweiter Verein" in page.text
    assert "Warten auf Bestätigung" in page.text


async def test_an_organisation_named_like_a_script__is_escaped_on_its_page_and_in_lists(
        make_network, make_organisation, make_user, sign_in):
    network = await make_network()
    org = await make_organisation(network=network, status="pending", name="<script>alert(1)</script>")
    second = await make_organisation(network=network)
    manager = await make_user(organisation=org, role="manager")
    await make_user(organisation=second, role="manager", email=manager.email + ".second")
    from resourcepool.db import sql

    await sql.execute("INSERT INTO membership (user_id, organisation_id, role) VALUES ($1, $2, 'member')",
                      manager.id, second.id)
    coordinator = await make_user(coordinator_of=network)
    pages = [
        await (await sign_in(manager)).get(f"/organisations/{org.id}"),
        await (await sign_in(manager)).get("/organisations"),
        await (await sign_in(manager)).get("/"),
        await (await sign_in(coordinator)).get("/coordinator"),
    ]
    for page in pages:
        assert page.status_code == 200
        assert "<script>alert(1)</script>" not in page.text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
