"""Account use cases: users, language, passwords."""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg

from resourcepool import clock
from resourcepool.accounts.passwords import hash_password_async, validate_password
from resourcepool.accounts.sessions import end_all_sessions
from resourcepool.accounts.user_tokens import use_up_user_tokens
from resourcepool.db import sql
from resourcepool.errors import N_, Conflict, NotFound, ValidationFailed
from resourcepool.textrules import check_characters, has_control_characters

LANGUAGES = ("de", "en")


@dataclass(frozen=True)
class UserInfo:
    id: int
    email: str
    name: str
    locale: str | None
    has_password: bool
    is_active: bool


def normalise_email(email: str) -> str:
    """Trimmed, and checked for a plausible shape; case is kept but ignored for uniqueness."""
    email = (email or "").strip()
    local, _, domain = email.rpartition("@")
    if (
        not local
        or "." not in domain
        or len(email) > 254
        or any(c.isspace() for c in email)
        or has_control_characters(email)
        or domain.startswith(".")
        or domain.endswith(".")
    ):
        raise ValidationFailed(N_("Please enter a valid email address."), field="email")
    return email


def validate_name(name: str, *, field: str = "name", max_length: int = 200) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(N_("Please enter a name."), field=field)
    # NUL cannot be stored, a line break in a name would break the headers of emails, and a
    # direction override would make one name look like another.
    check_characters(name, field)
    if len(name) > max_length:
        raise ValidationFailed(
            N_("The name may have at most %(max)s characters."), field=field, max=max_length
        )
    return name


async def find_user_by_email(email: str) -> UserInfo | None:
    if has_control_characters(email or ""):
        return None  # no stored address has one (normalise_email refuses them)
    row = await sql.fetch_one(
        """SELECT id, email, name, locale, password_hash IS NOT NULL AS has_password, is_active
           FROM app_user WHERE lower(email) = lower($1)""",
        email.strip(),
    )
    return UserInfo(**row) if row else None


async def get_user(user_id: int) -> UserInfo:
    row = await sql.fetch_one(
        """SELECT id, email, name, locale, password_hash IS NOT NULL AS has_password, is_active
           FROM app_user WHERE id = $1""",
        user_id,
    )
    if row is None:
        raise NotFound(N_("No such user."))
    return UserInfo(**row)


async def create_user(
    email: str, name: str, *, password: str | None = None, locale: str | None = None
) -> int:
    """Create a user; without a password it can only sign in after accepting an invitation."""
    email = normalise_email(email)
    name = validate_name(name)
    password_hash = None
    if password is not None:
        validate_password(password)
        password_hash = await hash_password_async(password)
    if locale is not None and locale not in LANGUAGES:
        locale = None
    try:
        return await sql.fetch_value(
            """INSERT INTO app_user (email, name, password_hash, locale, created_at, password_changed_at)
               VALUES ($1, $2, $3::text, $4, $5::timestamptz,
                       CASE WHEN $3::text IS NULL THEN NULL ELSE $5::timestamptz END) RETURNING id""",
            email,
            name,
            password_hash,
            locale,
            clock.now(),
        )
    except asyncpg.UniqueViolationError:
        raise Conflict(N_("An account with this email address already exists."), field="email") from None


async def set_password(user_id: int, password: str, *, keep_session: str | None = None) -> None:
    """Set a new password, end the user's other sessions (ASVS 7.4.3) and use up their links.

    Whatever path sets it (invitation, reset, change, admin), an older invitation or reset
    link must not set it again: whoever saw that link (the inviting manager) could take over
    the account.
    """
    validate_password(password)
    password_hash = await hash_password_async(password)
    done = await sql.fetch_value(
        "UPDATE app_user SET password_hash = $2, password_changed_at = $3 WHERE id = $1 RETURNING id",
        user_id,
        password_hash,
        clock.now(),
    )
    if done is None:
        raise NotFound(N_("No such user."))
    await end_all_sessions(user_id, except_token=keep_session)
    await use_up_user_tokens(user_id)


async def set_user_language(user_id: int, language: str) -> None:
    if language not in LANGUAGES:
        raise ValidationFailed(N_("Unknown language."), field="language")
    await sql.execute("UPDATE app_user SET locale = $2 WHERE id = $1", user_id, language)
