"""Five wrong passwords in the window: the sixth attempt is refused before the password is checked."""

from datetime import timedelta

from resourcepool import clock
from resourcepool.db import sql
from resourcepool.settings import get_settings
from tests.fixtures.platform import PASSWORD
from tests.web.accounts.support import sign_in_with_form
from tests.db_state import database_state


async def _fail(client, email: str, times: int) -> None:
    for _ in range(times):
        response = await sign_in_with_form(client, email, "wrong-password-1")
        assert response.status_code == 422


async def test_login_form__sixth_wrong_password_is_refused_with_429_and_retry_after(client, make_user):
    user = await make_user()
    await _fail(client, user.email, 5)

    before = await database_state()
    response = await sign_in_with_form(client, user.email, "wrong-password-1")

    assert response.status_code == 429
    retry_after = int(response.headers["retry-after"])
    assert 0 < retry_after <= 15 * 60
    assert "15" in response.text and 'role="alert"' in response.text
    assert await database_state() == before


async def test_login_form__refuses_even_the_right_password_while_limited(client, make_user):
    user = await make_user()
    await _fail(client, user.email, 5)
    response = await sign_in_with_form(client, user.email, PASSWORD)
    assert response.status_code == 429
    # Refused before checking: nothing recorded for the refused attempt.
    assert await sql.fetch_value("SELECT count(*) FROM login_attempt") == 5


async def test_login_form__works_again_when_the_window_has_passed(client, make_user):
    user = await make_user()
    await _fail(client, user.email, 5)
    clock.travel(timedelta(minutes=15, seconds=1))
    response = await sign_in_with_form(client, user.email, PASSWORD)
    assert response.status_code == 303


async def test_login__limit_counts_per_address_across_accounts(new_client, make_user):
    victims = [await make_user() for _ in range(get_settings().login_max_failures_per_ip)]
    attacker = new_client("203.0.113.9")
    for victim in victims:
        await _fail(attacker, victim.email, 1)
    other = await make_user()

    refused = await sign_in_with_form(attacker, other.email, PASSWORD)
    elsewhere = await sign_in_with_form(new_client("198.51.100.7"), other.email, PASSWORD)

    assert refused.status_code == 429 and "retry-after" in refused.headers
    assert elsewhere.status_code == 303


async def test_login__limit_counts_per_account_across_addresses(new_client, make_user):
    user = await make_user()
    for n in range(5):
        await _fail(new_client(f"203.0.113.{n + 1}"), user.email, 1)
    response = await sign_in_with_form(new_client("203.0.113.99"), user.email, PASSWORD)
    assert response.status_code == 429


async def test_api_token__sixth_wrong_password_is_429_problem_with_retry_after(client, make_user):
    user = await make_user()
    for _ in range(5):
        response = await client.post("/api/v1/auth/token", json={"email": user.email, "password": "wrong-password-1"})
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"

    before = await database_state()
    response = await client.post("/api/v1/auth/token", json={"email": user.email, "password": PASSWORD})

    assert response.status_code == 429
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == "rate_limited"
    assert int(response.headers["retry-after"]) == body["retry_after"] > 0
    assert "min" in body["detail"].lower() and str(-(-body["retry_after"] // 60)) in body["detail"]
    assert await database_state() == before


async def test_login__a_success_does_not_reset_the_count(client, make_user):
    user = await make_user()
    await _fail(client, user.email, 4)
    assert (await sign_in_with_form(client, user.email, PASSWORD)).status_code == 303
    await _fail(client, user.email, 1)
    assert (await sign_in_with_form(client, user.email, PASSWORD)).status_code == 429
