"""Setting a password through a one-time link (password reset, invitation) or when signed in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from resourcepool import clock
from resourcepool.accounts.api_tokens import revoke_all_api_tokens
from resourcepool.accounts.login import verify_current_password
from resourcepool.accounts.passwords import validate_password
from resourcepool.accounts.service import find_user_by_email, set_password
from resourcepool.accounts.user_tokens import consume_user_token, issue_user_token, peek_user_token
from resourcepool.db import sql
from resourcepool.db.engine import DB
from resourcepool.errors import N_, ValidationFailed
from resourcepool.notifications import messages
from resourcepool.notifications.outbox import enqueue_message
from resourcepool.settings import get_settings

RESET_TTL = timedelta(hours=1)
# A reset link mails someone else's inbox on request: a few per hour stop that being abused.
RESETS_PER_HOUR = 3


@dataclass(frozen=True)
class LinkInfo:
    """What a page behind a one-time link shows before the user acts on it."""

    user_id: int
    email: str
    name: str
    has_password: bool
    organisation_name: str | None


async def request_password_reset(email: str, *, language: str = "de") -> None:
    """Mail a reset link if an active account has this address; silent either way.

    The caller shows the same answer whether or not the account exists (no enumeration).
    """
    user = await find_user_by_email((email or "")[:254])
    if user is None or not user.is_active:
        return
    async with DB.transaction():
        # Lock the user row so parallel requests count each other's tokens.
        await sql.execute("SELECT 1 FROM app_user WHERE id = $1 FOR UPDATE", user.id)
        recent = await sql.fetch_value(
            """SELECT count(*) FROM user_token
               WHERE user_id = $1 AND purpose = 'password_reset' AND created_at > $2""",
            user.id,
            clock.now() - timedelta(hours=1),
        )
        if recent >= RESETS_PER_HOUR:
            return
        token = await issue_user_token(user.id, "password_reset", RESET_TTL)
        lang = user.locale or language
        link = f"{get_settings().base_url}/password/reset/{token}"
        subject, body = messages.render("password_reset", lang, name=user.name, link=link)
        await enqueue_message(user.email, subject, body, to_name=user.name)


async def describe_link(token: str, purpose: str) -> LinkInfo:
    """The account behind a live link (raises NotFound / ValidationFailed when it is not live)."""
    info = await peek_user_token(token, purpose)
    row = await sql.fetch_one(
        """SELECT u.id, u.email, u.name, u.password_hash IS NOT NULL AS has_password,
                  (SELECT o.name FROM organisation o WHERE o.id = $2) AS organisation_name
           FROM app_user u WHERE u.id = $1""",
        info.user_id,
        info.organisation_id,
    )
    assert row is not None  # user_token.user_id cascades on delete
    if purpose == "invitation" and row["has_password"]:
        raise ValidationFailed(N_("This invitation has already been accepted. Please sign in."), field="token")
    return LinkInfo(row["id"], row["email"], row["name"], row["has_password"], row["organisation_name"])


async def _use_link(token: str, purpose: str, password: str) -> int:
    # Check the rules first so a refused password leaves the link usable.
    validate_password(password)
    async with DB.transaction():
        info = await consume_user_token(token, purpose)
        user = await sql.fetch_one(
            "SELECT is_active, password_hash IS NOT NULL AS has_password FROM app_user WHERE id = $1 FOR UPDATE",
            info.user_id,
        )
        assert user is not None  # user_token.user_id cascades on delete
        if not user["is_active"]:
            raise ValidationFailed(N_("This account has been deactivated."), field="token")
        if purpose == "invitation" and user["has_password"]:
            # The person chose a password another way (e.g. "forgot password"): the inviting
            # manager, who saw this link, must not be able to replace it.
            raise ValidationFailed(
                N_("This invitation has already been accepted. Please sign in."), field="token"
            )
        # Ends every session and every other live link: whoever held the old password is
        # signed out (ASVS 3.3.3).
        await set_password(info.user_id, password)
        if purpose == "password_reset":
            # Recovery means the account may have been in someone else's hands: their API
            # tokens must not outlive it.
            await revoke_all_api_tokens(info.user_id)
    return info.user_id


async def reset_password(token: str, password: str) -> int:
    """Set a new password through a reset link (revoking API tokens); returns the user id."""
    return await _use_link(token, "password_reset", password)


async def accept_invitation(token: str, password: str) -> int:
    """Accept an invitation by choosing a password (the membership already exists).

    Refused once the user has a password: the link then belongs to the past.
    """
    return await _use_link(token, "invitation", password)


async def change_password(
    user_id: int, current: str, new: str, *, keep_session: str | None = None, ip: str = ""
) -> None:
    """A signed-in user changes their password; their other sessions end."""
    await verify_current_password(user_id, current, ip=ip)
    validate_password(new, field="new_password")
    async with DB.transaction():
        await set_password(user_id, new, keep_session=keep_session)
