"""The account page and its forms are for the signed-in user only."""

from resourcepool.db import sql
from tests.fixtures.platform import post_form


async def test_account_forms__anonymous_posts_go_to_sign_in_and_change_nothing(client):
    for url, data in (("/account/tokens", {"name": "x"}), ("/account/language", {"language": "en"}),
                      ("/account/password", {"current_password": "a", "new_password": "Neu-Genug-2026"}),
                      ("/account/tokens/1/revoke", {})):
        response = await post_form(client, url, data)
        assert response.status_code in (302, 303), url
        assert response.headers["location"].startswith("/login"), url
    assert await sql.fetch_value("SELECT count(*) FROM api_token") == 0


async def test_account_page__shows_only_my_own_tokens(sign_in, api_as, make_user):
    me, other = await make_user(), await make_user()
    await api_as(other)
    page = await (await sign_in(me)).get("/account")
    other_prefix = await sql.fetch_value("SELECT prefix FROM api_token WHERE user_id = $1", other.id)
    assert other_prefix not in page.text
