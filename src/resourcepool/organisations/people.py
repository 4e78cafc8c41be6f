"""Creating the user behind an application or an invitation.

accounts.service.create_user is the intended entry point, but its INSERT currently fails on
PostgreSQL ("inconsistent types deduced for parameter $5": the CASE needs `$5::timestamptz`).
Until that is fixed in accounts, this does the same checks and the same insert with the cast.
"""

from __future__ import annotations

import asyncpg

from resourcepool import clock
from resourcepool.accounts.passwords import hash_password, validate_password
from resourcepool.accounts.service import LANGUAGES, normalise_email, validate_name
from resourcepool.db import sql
from resourcepool.errors import N_, Conflict


async def create_person(email: str, name: str, *, password: str | None = None, locale: str | None = None) -> int:
    """A new user (without a password: they set one by accepting an invitation)."""
    email = normalise_email(email)
    name = validate_name(name)
    if password is not None:
        validate_password(password)
    if locale not in LANGUAGES:
        locale = None
    now = clock.now()
    try:
        return await sql.fetch_value(
            """INSERT INTO app_user (email, name, password_hash, locale, created_at, password_changed_at)
               VALUES ($1, $2, $3, $4, $5, $6) RETURNING id""",
            email, name, hash_password(password) if password is not None else None, locale, now,
            now if password is not None else None,
        )
    except asyncpg.UniqueViolationError:
        raise Conflict(N_("An account with this email address already exists."), field="email") from None
