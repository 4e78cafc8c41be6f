"""Bad input to the auth API is a 4xx problem document, never a 500, and changes nothing."""

import pytest

from resourcepool.db import sql
from tests.fixtures.platform import PASSWORD
from tests.db_state import database_state


def _is_problem(response, status: int | tuple[int, ...]) -> None:
    statuses = status if isinstance(status, tuple) else (status,)
    assert response.status_code in statuses, (response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] and body["detail"]


async def test_token__malformed_json_is_400(client):
    response = await client.post("/api/v1/auth/token", content=b'{"email": "a@b.c", "password": ',
                                 headers={"content-type": "application/json"})
    _is_problem(response, 400)


@pytest.mark.parametrize("body", [
    {"email": 5, "password": "x"},
    {"email": "a@example.org", "password": None},
    {"email": "a@example.org"},
    ["a@example.org", "x"],
    "just a string",
    {"email": "a@example.org", "password": "x", "is_admin": True},
    {"email": "a@example.org", "password": "x" * 129},
    {"email": "a@example.org", "password": "x", "name": ""},
])
async def test_token__wrong_shapes_and_types_are_400(client, body):
    _is_problem(await client.post("/api/v1/auth/token", json=body), 400)
    assert await sql.fetch_value("SELECT count(*) FROM login_attempt") == 0


async def test_token__a_10000_character_email_is_400(client):
    response = await client.post("/api/v1/auth/token", json={"email": "a" * 10_000 + "@example.org",
                                                             "password": PASSWORD})
    _is_problem(response, 400)
    assert "email" in response.json()["detail"]


async def test_login_form__a_10000_character_email_is_a_normal_refusal(client):
    await client.get("/login")
    before = await database_state()
    response = await client.post("/login", data={"email": "a" * 10_000, "password": "x" * 10_000,
                                                 "_csrf_token": client.cookies["rp_csrf"]})
    assert response.status_code == 422
    assert await database_state() == before


async def test_revoke__an_id_beyond_bigint_is_4xx(api_as, make_user):
    api = await api_as(await make_user())
    for bad in ("99999999999999999999999", "0", "-1", "abc"):
        response = await api.delete(f"/api/v1/auth/tokens/{bad}")
        assert 400 <= response.status_code < 500, (bad, response.status_code)


async def test_list__bad_paging_parameters_are_400(api_as, make_user):
    api = await api_as(await make_user())
    for query in ("limit=0", "limit=101", "offset=-1", "limit=abc"):
        _is_problem(await api.get(f"/api/v1/auth/tokens?{query}"), 400)


async def test_invitation__a_huge_token_or_wrong_body_is_4xx(client):
    _is_problem(await client.post("/api/v1/auth/invitations/" + "x" * 5000, json={"password": "Gut-genug-2026"}),
                (400, 404, 414))
    _is_problem(await client.post("/api/v1/auth/invitations/abc", json={"password": 12}), 400)


@pytest.mark.parametrize("body", [
    {"email": "a\x00@example.org", "password": PASSWORD},
    {"email": "\x00", "password": PASSWORD},
    {"email": "a@example.org", "password": PASSWORD, "name": "Skript\x00"},
])
async def test_token__nul_in_email_or_name_is_a_422_problem_and_counts_no_attempt(client, make_user, body):
    user = await make_user(email="a@example.org")
    response = await client.post("/api/v1/auth/token", json=body)
    _is_problem(response, 422)
    assert response.json()["field"] in ("email", "name")
    assert await sql.fetch_value("SELECT count(*) FROM login_attempt") == 0
    assert await sql.fetch_value("SELECT count(*) FROM api_token WHERE user_id = $1", user.id) == 0


async def test_login_form__nul_in_the_email_is_a_normal_refusal(client):
    from tests.fixtures.platform import post_form

    await client.get("/login")
    response = await post_form(client, "/login", {"email": "a\x00@example.org", "password": PASSWORD})
    assert response.status_code == 422
    assert await sql.fetch_value("SELECT count(*) FROM login_attempt") == 0


async def test_forms__nul_in_token_name_or_forgot_email_is_4xx_and_changes_nothing(client, sign_in, make_user):
    from tests.fixtures.platform import post_form

    user = await make_user()
    browser = await sign_in(user)
    assert (await post_form(browser, "/account/tokens", {"name": "Skript\x00"})).status_code == 422
    await client.get("/password/forgot")
    assert (await post_form(client, "/password/forgot", {"email": user.email + "\x00"})).status_code == 422
    assert await sql.fetch_value("SELECT count(*) FROM api_token") == 0
    assert await sql.fetch_value("SELECT count(*) FROM outbox_message") == 0
