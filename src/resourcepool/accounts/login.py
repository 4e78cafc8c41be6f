"""Signing in with email and password, throttled per account and per client address.

Attempts live in the `login_attempt` table, so the limit holds across any number of app
processes. An attempt is written as a failure *before* the password is checked and turned
into a success afterwards: parallel guesses therefore count at once and cannot slip past the
limit while argon2 is busy.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from resourcepool import clock
from resourcepool.accounts.passwords import hash_password_async, needs_rehash, verify_password_async
from resourcepool.db import sql
from resourcepool.db.engine import DB
from resourcepool.errors import N_, NotAuthenticated, RateLimited, ValidationFailed
from resourcepool.settings import get_settings
from resourcepool.textrules import has_control_characters

# Beyond the short window: an account cannot be guessed at more than this per hour, ever.
HOURLY_CEILING = 100
MAX_EMAIL_KEY = 254


def email_key(email: str) -> str:
    """The account an attempt is counted against: trimmed, lower-cased, bounded."""
    return (email or "").strip().lower()[:MAX_EMAIL_KEY]


async def _retry_after(column: str, key: str, limit: int, window: timedelta, now: datetime) -> int | None:
    """Seconds until fewer than `limit` failures remain in the window, or None if not limited."""
    # The limit-th most recent failure is the one whose ageing-out frees the next attempt.
    row = await sql.fetch_one(
        f"""
        SELECT attempted_at FROM login_attempt
        WHERE {column} = $1 AND NOT succeeded AND attempted_at > $2
        ORDER BY attempted_at DESC OFFSET $3 LIMIT 1
        """,
        key,
        now - window,
        limit - 1,
    )
    if row is None:
        return None
    return max(1, math.ceil((row["attempted_at"] + window - now).total_seconds()))


async def check_login_allowed(key: str, ip: str) -> None:
    """Raise RateLimited when the account or the address has failed too often lately."""
    settings = get_settings()
    now = clock.now()
    window = timedelta(minutes=settings.login_window_minutes)
    waits = [
        await _retry_after("email_key", key, settings.login_max_failures, window, now),
        await _retry_after("email_key", key, HOURLY_CEILING, timedelta(hours=1), now),
    ]
    if ip:
        waits.append(await _retry_after("ip", ip, settings.login_max_failures_per_ip, window, now))
    wait = max((w for w in waits if w is not None), default=None)
    if wait is not None:
        raise RateLimited(
            # "min" reads right for 1 and for 15 in both languages (no plural forms in domain errors).
            N_("Too many failed sign-in attempts. Please try again in %(minutes)s min."),
            retry_after=wait,
            minutes=max(1, math.ceil(wait / 60)),
        )


async def _begin_attempt(key: str, ip: str) -> int:
    """Check the limits and note the attempt as a failure, atomically per account and address."""
    ip = ip[:64]
    async with DB.transaction():
        # Advisory locks serialise check-and-insert for one account / one address only; they
        # are taken in a fixed order (account, then address) so two attempts cannot deadlock.
        await sql.execute("SELECT pg_advisory_xact_lock(hashtextextended('login:' || $1, 0))", key)
        if ip:
            await sql.execute("SELECT pg_advisory_xact_lock(hashtextextended('login-ip:' || $1, 0))", ip)
        await check_login_allowed(key, ip)
        return await sql.fetch_value(
            "INSERT INTO login_attempt (email_key, ip, attempted_at, succeeded) VALUES ($1, $2, $3, false) RETURNING id",
            key,
            ip,
            clock.now(),
        )


async def _mark_succeeded(attempt_id: int) -> None:
    await sql.execute("UPDATE login_attempt SET succeeded = true WHERE id = $1", attempt_id)


async def authenticate(email: str, password: str, *, ip: str = "") -> int:
    """The user id for a correct email and password; raises NotAuthenticated or RateLimited.

    Unknown addresses cost the same time as known ones and get the same message, so the
    answer does not tell which accounts exist.
    """
    if has_control_characters(email or ""):
        # No account has such an address; refused before it is counted (it cannot be stored).
        raise ValidationFailed(N_("Please enter a valid email address."), field="email")
    key = email_key(email)
    attempt_id = await _begin_attempt(key, ip)
    row = await sql.fetch_one(
        "SELECT id, password_hash, is_active FROM app_user WHERE lower(email) = $1", key
    )
    password_hash = row["password_hash"] if row else None
    if not await verify_password_async(password_hash, password):
        raise NotAuthenticated(N_("The email address or the password is not correct."), field="password")
    assert row is not None and password_hash is not None
    if not row["is_active"]:
        # Only someone who knows the password learns that the account is switched off.
        raise NotAuthenticated(N_("This account has been deactivated."), field="email")
    await _mark_succeeded(attempt_id)
    if needs_rehash(password_hash):
        # Hashing parameters were raised since this password was set: upgrade it now that we
        # have the plain password in hand.
        await sql.execute(
            "UPDATE app_user SET password_hash = $2 WHERE id = $1", row["id"],
            await hash_password_async(password),
        )
    return row["id"]


async def verify_current_password(user_id: int, password: str, *, ip: str = "") -> None:
    """Check a signed-in user's password (before changing it), under the sign-in limits."""
    email = await sql.fetch_value("SELECT email FROM app_user WHERE id = $1", user_id)
    key = email_key(email or "")
    attempt_id = await _begin_attempt(key, ip)
    password_hash = await sql.fetch_value("SELECT password_hash FROM app_user WHERE id = $1", user_id)
    if not await verify_password_async(password_hash, password):
        raise ValidationFailed(N_("The current password is not correct."), field="current_password")
    await _mark_succeeded(attempt_id)


async def purge_old_attempts(older_than: timedelta = timedelta(days=2)) -> int:
    """Attempts only matter for an hour; keep a little longer for investigating abuse.
    Returns how many were deleted."""
    status = await sql.execute("DELETE FROM login_attempt WHERE attempted_at < $1",
                               clock.now() - older_than)
    return int(status.split()[-1])
