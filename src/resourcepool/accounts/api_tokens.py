"""Personal API tokens: shown once, stored as SHA-256, listed and revoked by their owner."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from resourcepool import clock
from resourcepool.accounts.identity import Identity, load_identity_noting_use
from resourcepool.accounts.sessions import hash_token, new_token
from resourcepool.db import sql
from resourcepool.errors import N_, NotFound

TOKEN_PREFIX = "rp_"


@dataclass(frozen=True)
class ApiTokenInfo:
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None


async def create_api_token(user_id: int, name: str) -> tuple[str, ApiTokenInfo]:
    """Create a token; the plain token is returned only here."""
    token = TOKEN_PREFIX + new_token()
    row = await sql.fetch_one(
        """
        INSERT INTO api_token (user_id, name, token_hash, prefix, created_at)
        VALUES ($1, $2, $3, $4, $5)
        RETURNING id, name, prefix, created_at, last_used_at
        """,
        user_id,
        name,
        hash_token(token),
        token[:10],
        clock.now(),
    )
    assert row is not None
    return token, ApiTokenInfo(**row)


# A live token of an active user, noting its use.
_USE_SQL = """
    UPDATE api_token t SET last_used_at = $2
    FROM app_user u
    WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.id = t.user_id AND u.is_active
    RETURNING t.user_id
"""


async def identify_api_token(token: str) -> Identity | None:
    """The identity behind a live token, noting the token's use (one round trip)."""
    return await load_identity_noting_use(_USE_SQL, hash_token(token), clock.now())


async def list_api_tokens(user_id: int) -> list[ApiTokenInfo]:
    rows = await sql.fetch(
        """
        SELECT id, name, prefix, created_at, last_used_at FROM api_token
        WHERE user_id = $1 AND revoked_at IS NULL ORDER BY created_at DESC
        """,
        user_id,
    )
    return [ApiTokenInfo(**r) for r in rows]


async def revoke_api_token(user_id: int, token_id: int) -> None:
    """Revoke one of the user's own tokens; another user's id is simply not found."""
    done = await sql.fetch_value(
        """
        UPDATE api_token SET revoked_at = $3
        WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING id
        """,
        token_id,
        user_id,
        clock.now(),
    )
    if done is None:
        raise NotFound(N_("No such API token."))


async def revoke_all_api_tokens(user_id: int) -> None:
    """Revoke every live token of the user (after a password reset: the account may be compromised)."""
    await sql.execute(
        "UPDATE api_token SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL", user_id, clock.now()
    )
