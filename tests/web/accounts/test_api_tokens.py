"""API tokens: create for a password, list, revoke (own only); a revoked token stops working."""

from resourcepool.db import sql
from tests.fixtures.platform import PASSWORD, post_form
from tests.db_state import database_state


async def _token(client, user, name: str | None = None) -> dict:
    body = {"email": user.email, "password": PASSWORD}
    if name:
        body["name"] = name
    response = await client.post("/api/v1/auth/token", json=body)
    assert response.status_code == 201, response.text
    return response.json()


async def test_api_token__created_listed_and_revoked(client, new_client, make_user):
    user = await make_user()
    created = await _token(client, user, "Kalender-Sync")
    assert created["token"].startswith("rp_") and created["name"] == "Kalender-Sync"
    api = new_client()
    api.headers["Authorization"] = f"Bearer {created['token']}"

    listed = (await api.get("/api/v1/auth/tokens")).json()
    assert listed["total"] == 1
    (item,) = listed["items"]
    assert item["id"] == created["id"] and item["name"] == "Kalender-Sync"
    assert created["token"].startswith(item["prefix"]) and "token" not in item
    assert item["last_used_at"] is not None

    assert (await api.delete(f"/api/v1/auth/tokens/{created['id']}")).status_code == 204
    after = await api.get("/api/v1/auth/tokens")
    assert after.status_code == 401 and after.json()["code"] == "not_authenticated"


async def test_api_token__is_stored_only_as_a_hash(client, make_user):
    user = await make_user()
    created = await _token(client, user)
    stored = await sql.fetch_value("SELECT token_hash FROM api_token WHERE id = $1", created["id"])
    assert created["token"] not in stored


async def test_api_token__another_users_token_id_is_404(api_as, make_user):
    owner, stranger = await make_user(), await make_user()
    api = await api_as(stranger)
    owner_token = await (await api_as(owner)).get("/api/v1/auth/tokens")
    owner_token_id = owner_token.json()["items"][0]["id"]

    response = await api.delete(f"/api/v1/auth/tokens/{owner_token_id}")

    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert await sql.fetch_value("SELECT revoked_at FROM api_token WHERE id = $1", owner_token_id) is None


async def test_api_token__wrong_password_is_401_problem(client, make_user):
    user = await make_user()
    before = await database_state()
    response = await client.post("/api/v1/auth/token", json={"email": user.email, "password": "wrong-password-1"})
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "not_authenticated"
    assert await database_state() == before


async def test_api_token__list_pages_with_limit_and_offset(api_as, make_user):
    user = await make_user()
    api = await api_as(user)
    for n in range(3):
        await _token(api, user, f"t{n}")
    page = (await api.get("/api/v1/auth/tokens?limit=2&offset=1")).json()
    assert page["total"] == 4 and len(page["items"]) == 2


async def test_api_tokens__need_a_bearer_token(client):
    for method, url in (("GET", "/api/v1/auth/tokens"), ("DELETE", "/api/v1/auth/tokens/1"), ("GET", "/api/v1/auth/me")):
        response = await client.request(method, url)
        assert response.status_code == 401, url
        assert response.json()["code"] == "not_authenticated"


async def test_account_page__creates_shows_once_and_revokes_a_token(sign_in, new_client, make_user):
    user = await make_user()
    client = await sign_in(user)

    created = await post_form(client, "/account/tokens", {"name": "Tabellen-Export"})

    assert created.status_code == 200
    token = created.text.split('class="token-value" tabindex="0">')[1].split("<")[0]
    assert token.startswith("rp_")
    assert token not in (await client.get("/account")).text  # shown only once
    api = new_client()
    api.headers["Authorization"] = f"Bearer {token}"
    assert (await api.get("/api/v1/auth/me")).status_code == 200

    token_id = await sql.fetch_value("SELECT id FROM api_token WHERE user_id = $1", user.id)
    revoked = await post_form(client, f"/account/tokens/{token_id}/revoke")
    assert revoked.status_code == 303
    assert (await api.get("/api/v1/auth/me")).status_code == 401


async def test_account_page__token_without_a_name_is_refused_next_to_the_field(sign_in, make_user):
    client = await sign_in(await make_user())
    response = await post_form(client, "/account/tokens", {"name": "  "})
    assert response.status_code == 422
    assert 'id="f-name-error"' in response.text
    assert await sql.fetch_value("SELECT count(*) FROM api_token") == 0


async def test_account_page__cannot_revoke_another_users_token(sign_in, api_as, make_user):
    owner = await make_user()
    await api_as(owner)
    token_id = await sql.fetch_value("SELECT id FROM api_token WHERE user_id = $1", owner.id)
    stranger = await sign_in(await make_user())
    response = await post_form(stranger, f"/account/tokens/{token_id}/revoke")
    assert response.status_code == 404
    assert await sql.fetch_value("SELECT revoked_at FROM api_token WHERE id = $1", token_id) is None
