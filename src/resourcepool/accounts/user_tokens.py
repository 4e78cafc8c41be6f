"""One-time links (invitation, password reset): random, stored hashed, expiring, used once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from resourcepool import clock
from resourcepool.accounts.sessions import hash_token, new_token
from resourcepool.db import sql
from resourcepool.errors import N_, NotFound, ValidationFailed

PURPOSES = ("invitation", "password_reset")


@dataclass(frozen=True)
class UserTokenInfo:
    id: int
    purpose: str
    user_id: int
    organisation_id: int | None


async def issue_user_token(
    user_id: int,
    purpose: str,
    ttl: timedelta,
    *,
    organisation_id: int | None = None,
    created_by: int | None = None,
) -> str:
    """Create a token for a link; earlier unused tokens of the same purpose stop working."""
    assert purpose in PURPOSES
    now = clock.now()
    await sql.execute(
        "UPDATE user_token SET used_at = $3 WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL",
        user_id, purpose, now,
    )
    token = new_token()
    await sql.execute(
        """
        INSERT INTO user_token (purpose, token_hash, user_id, organisation_id, created_by, created_at, expires_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
        """,
        purpose, hash_token(token), user_id, organisation_id, created_by, now, now + ttl,
    )
    return token


async def use_up_user_tokens(user_id: int) -> None:
    """Every live link of the user stops working (their password has just been set)."""
    await sql.execute(
        "UPDATE user_token SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL", user_id, clock.now()
    )


async def peek_user_token(token: str, purpose: str) -> UserTokenInfo:
    """The live token's data without using it up (to show the form behind the link)."""
    row = await sql.fetch_one(
        """
        SELECT id, purpose, user_id, organisation_id, expires_at, used_at FROM user_token
        WHERE token_hash = $1 AND purpose = $2
        """,
        hash_token(token), purpose,
    )
    _check(row)
    return UserTokenInfo(row["id"], row["purpose"], row["user_id"], row["organisation_id"])  # type: ignore[index]


async def consume_user_token(token: str, purpose: str) -> UserTokenInfo:
    """Use the token up (call inside the transaction that acts on it); raises if not live."""
    row = await sql.fetch_one(
        """
        SELECT id, purpose, user_id, organisation_id, expires_at, used_at FROM user_token
        WHERE token_hash = $1 AND purpose = $2 FOR UPDATE
        """,
        hash_token(token), purpose,
    )
    _check(row)
    await sql.execute("UPDATE user_token SET used_at = $2 WHERE id = $1", row["id"], clock.now())  # type: ignore[index]
    return UserTokenInfo(row["id"], row["purpose"], row["user_id"], row["organisation_id"])  # type: ignore[index]


def _check(row: dict | None) -> None:
    if row is None:
        raise NotFound(N_("This link is not valid."), field="token")
    if row["used_at"] is not None:
        raise ValidationFailed(N_("This link has already been used."), field="token")
    if row["expires_at"] <= clock.now():
        raise ValidationFailed(N_("This link has expired. Please ask for a new one."), field="token")
