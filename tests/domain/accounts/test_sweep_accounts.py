"""The accounts sweeper forgets ended sessions and old sign-in attempts, and nothing live."""

from datetime import timedelta

from resourcepool import clock
from resourcepool.accounts.sessions import create_session, touch_session
from resourcepool.accounts.sweeper import sweep_once
from resourcepool.db import sql
from resourcepool.settings import get_settings


async def _attempt(days_ago: float) -> None:
    await sql.execute(
        "INSERT INTO login_attempt (email_key, ip, attempted_at, succeeded) VALUES ('k', '1.2.3.4', $1, false)",
        clock.now() - timedelta(days=days_ago))


async def test_sweep__purges_idle_and_expired_sessions_and_old_attempts_only(make_user):
    user = await make_user()
    idle = await create_session(user.id)
    expired = await create_session(user.id)
    live = await create_session(user.id)
    idle_minutes = get_settings().session_idle_minutes
    await sql.execute("UPDATE web_session SET last_seen_at = $1 WHERE token_hash = encode(sha256($2::bytea), 'hex')",
                      clock.now() - timedelta(minutes=idle_minutes + 1), idle.encode())
    await sql.execute("UPDATE web_session SET expires_at = $1 WHERE token_hash = encode(sha256($2::bytea), 'hex')",
                      clock.now() - timedelta(seconds=1), expired.encode())
    await _attempt(days_ago=3)
    await _attempt(days_ago=0.5)

    assert await sweep_once() == {"sessions_purged": 2, "sign_in_attempts_purged": 1}

    assert await touch_session(live) == user.id
    assert await sql.fetch_value("SELECT count(*) FROM web_session") == 1
    assert await sql.fetch_value("SELECT count(*) FROM login_attempt") == 1
    assert await sweep_once() == {"sessions_purged": 0, "sign_in_attempts_purged": 0}


def test_the_app__runs_the_accounts_sweeper_in_the_background():
    from resourcepool.accounts.sweeper import run_account_sweeper_forever
    from resourcepool.worker import LOOPS

    assert run_account_sweeper_forever in LOOPS
