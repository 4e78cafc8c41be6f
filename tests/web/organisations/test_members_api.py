"""Managers invite members by email, change roles and remove members (never the last manager)."""

from resourcepool.db import sql
from tests.db_state import database_state


async def test_invite__creates_user_membership_token_and_email(make_organisation, make_user, api_as):
    org = await make_organisation(name="TuS Herten")
    manager = await make_user(organisation=org, role="manager")
    response = await (await api_as(manager)).post(
        f"/api/v1/organisations/{org.id}/members",
        json={"email": "neu@tus.example", "name": "Neue Person", "role": "member"})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["invite_url"].startswith("http://testserver/invitations/")
    user = await sql.fetch_one("SELECT id, name, password_hash FROM app_user WHERE email = 'neu@tus.example'")
    assert user["id"] == body["user_id"] and user["password_hash"] is None
    assert await sql.fetch_value(
        "SELECT role FROM membership WHERE user_id = $1 AND organisation_id = $2", user["id"], org.id) == "member"
    assert await sql.fetch_value(
        "SELECT count(*) FROM user_token WHERE user_id = $1 AND purpose = 'invitation' AND organisation_id = $2",
        user["id"], org.id) == 1
    mail = await sql.fetch_one("SELECT subject, body_text FROM outbox_message WHERE to_address = 'neu@tus.example'")
    assert "TuS Herten" in mail["subject"]
    assert body["invite_url"] in mail["body_text"]


async def test_invite_an_existing_user__invites_them_by_email_without_adding_them(make_organisation, make_user,
                                                                                   api_as):
    org = await make_organisation(name="TuS Herten")
    manager = await make_user(organisation=org, role="manager")
    existing = await make_user(email="schon@da.example", name="Echter Name")
    response = await (await api_as(manager)).post(
        f"/api/v1/organisations/{org.id}/members", json={"email": "SCHON@da.example", "name": "Egal"})
    assert response.status_code == 201
    assert response.json() == {"user_id": existing.id, "invite_url": None, "pending": True}
    mail = await sql.fetch_one("SELECT subject, body_text FROM outbox_message WHERE to_address = $1", existing.email)
    assert "TuS Herten" in mail["subject"] and "/account#invitations" in mail["body_text"]
    assert await sql.fetch_value("SELECT count(*) FROM user_token") == 0
    assert await sql.fetch_value("SELECT count(*) FROM membership WHERE user_id = $1", existing.id) == 0


async def test_invite_someone_already_in__is_a_conflict(make_organisation, make_user, api_as):
    org = await make_organisation()
    manager = await make_user(organisation=org, role="manager")
    await make_user(organisation=org, email="drin@verein.example")
    refusing = await api_as(manager)
    before = await database_state()
    response = await refusing.post(
        f"/api/v1/organisations/{org.id}/members", json={"email": "drin@verein.example", "name": "X"})
    assert response.status_code == 409
    assert await database_state() == before


async def test_members__are_listed_for_members(make_organisation, make_user, api_as):
    org = await make_organisation()
    manager = await make_user(organisation=org, role="manager", name="Anna")
    member = await make_user(organisation=org, name="Bernd")
    response = await (await api_as(member)).get(f"/api/v1/organisations/{org.id}/members")
    body = response.json()
    assert body["total"] == 2
    assert [(m["name"], m["role"]) for m in body["items"]] == [("Anna", "manager"), ("Bernd", "member")]
    assert manager.id == body["items"][0]["user_id"]


async def test_members__are_a_page_with_limit_and_offset(make_organisation, make_user, api_as):
    org = await make_organisation()
    await make_user(organisation=org, role="manager", name="Anna")
    for name in ("Bernd", "Clara", "Dora"):
        await make_user(organisation=org, name=name)
    api = await api_as(await make_user(organisation=org, name="Emil"))
    response = await api.get(f"/api/v1/organisations/{org.id}/members?limit=2&offset=1")
    assert response.status_code == 200
    assert response.json()["total"] == 5
    assert [m["name"] for m in response.json()["items"]] == ["Bernd", "Clara"]
    for query in ("limit=0", "limit=201", "offset=-1"):
        assert (await api.get(f"/api/v1/organisations/{org.id}/members?{query}")).status_code == 400


async def test_manager_promotes_a_member_and_removes_another(make_organisation, make_user, api_as):
    org = await make_organisation()
    manager = await make_user(organisation=org, role="manager")
    first = await make_user(organisation=org)
    second = await make_user(organisation=org)
    api = await api_as(manager)
    response = await api.patch(f"/api/v1/organisations/{org.id}/members/{first.id}", json={"role": "manager"})
    assert response.status_code == 200 and response.json()["role"] == "manager"
    assert (await api.delete(f"/api/v1/organisations/{org.id}/members/{second.id}")).status_code == 204
    assert await sql.fetch_value("SELECT count(*) FROM membership WHERE organisation_id = $1", org.id) == 2


async def test_the_last_manager__cannot_be_removed_or_demoted(make_organisation, make_user, api_as):
    org = await make_organisation()
    manager = await make_user(organisation=org, role="manager")
    api = await api_as(manager)
    assert (await api.delete(f"/api/v1/organisations/{org.id}/members/{manager.id}")).status_code == 409
    response = await api.patch(f"/api/v1/organisations/{org.id}/members/{manager.id}", json={"role": "member"})
    assert response.status_code == 409
    assert await sql.fetch_value("SELECT role FROM membership WHERE user_id = $1", manager.id) == "manager"
