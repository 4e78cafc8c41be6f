"""Server-side web sessions: a random token in the cookie, its SHA-256 in the table."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from resourcepool import clock
from resourcepool.accounts.identity import Identity, load_identity_noting_use
from resourcepool.db import sql
from resourcepool.settings import get_settings


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    """256 bits from the CSPRNG, URL-safe."""
    return secrets.token_urlsafe(32)


async def create_session(user_id: int, *, ip: str = "", user_agent: str = "") -> str:
    """Start a new session and return the token for the cookie (a new id on every login)."""
    settings = get_settings()
    token = new_token()
    now = clock.now()
    await sql.execute(
        """
        INSERT INTO web_session (token_hash, user_id, created_at, last_seen_at, expires_at, ip, user_agent)
        VALUES ($1, $2, $3, $3, $4, $5, $6)
        """,
        hash_token(token),
        user_id,
        now,
        now + timedelta(hours=settings.session_absolute_hours),
        ip[:64],
        user_agent[:300],
    )
    return token


# A live session (idle and absolute timeouts checked) kept alive by this request.
_TOUCH_SQL = """
    UPDATE web_session SET last_seen_at = $2
    WHERE token_hash = $1 AND expires_at > $2 AND last_seen_at > $2 - $3::interval
    RETURNING user_id
"""


def _touch_args(token: str) -> tuple[str, datetime, timedelta]:
    return hash_token(token), clock.now(), timedelta(minutes=get_settings().session_idle_minutes)


async def touch_session(token: str) -> int | None:
    """The user id of a live session (idle and absolute timeouts checked), keeping it alive."""
    return await sql.fetch_value(_TOUCH_SQL, *_touch_args(token))


async def identify_session(token: str) -> Identity | None:
    """touch_session and the user's identity in one round trip."""
    return await load_identity_noting_use(_TOUCH_SQL, *_touch_args(token))


async def end_session(token: str) -> None:
    await sql.execute("DELETE FROM web_session WHERE token_hash = $1", hash_token(token))


async def end_all_sessions(user_id: int, *, except_token: str | None = None) -> None:
    """End every session of a user (password change, deactivation), optionally keeping one."""
    keep = hash_token(except_token) if except_token else ""
    await sql.execute(
        "DELETE FROM web_session WHERE user_id = $1 AND token_hash <> $2", user_id, keep
    )


async def purge_expired_sessions() -> int:
    """Delete sessions past their absolute or idle timeout; returns how many."""
    settings = get_settings()
    now = clock.now()
    status = await sql.execute(
        "DELETE FROM web_session WHERE expires_at <= $1 OR last_seen_at <= $1 - $2::interval",
        now,
        timedelta(minutes=settings.session_idle_minutes),
    )
    return int(status.split()[-1])
