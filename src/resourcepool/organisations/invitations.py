"""Invitations of people who already have an account: they join an organisation only once they accept.

A new person cannot sign in before following their invitation link, so they become a member at
once (members.invite_member). Someone with an account, though, would otherwise be added to any
organisation — as its manager even — without being asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from resourcepool import clock
from resourcepool.accounts.identity import Identity
from resourcepool.accounts.service import UserInfo
from resourcepool.db import sql
from resourcepool.db.engine import DB
from resourcepool.errors import N_, Conflict, Forbidden, NotFound
from resourcepool.notifications import messages
from resourcepool.notifications.outbox import enqueue_message
from resourcepool.organisations import access
from resourcepool.organisations.queries import network_entries
from resourcepool.settings import get_settings

# Longer than a link's 7 days: nothing secret is in the email, and people are on holiday.
OFFER_TTL = timedelta(days=30)


@dataclass(frozen=True)
class MembershipOffer:
    """An invitation as the invited person sees it."""

    organisation_id: int
    organisation_name: str
    role: str
    invited_by: str | None
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class OpenInvitation:
    """An invitation as the inviting side sees it while the person has not answered."""

    user_id: int
    email: str
    role: str
    created_at: datetime
    expires_at: datetime


async def may_invite(identity: Identity, organisation_id: int) -> bool:
    """Whether the identity may invite into the organisation (access.can_invite)."""
    if access.can_manage(identity, organisation_id):
        return True
    return access.can_invite(identity, organisation_id, await network_entries(organisation_id))


async def require_inviter(identity: Identity, organisation_id: int) -> None:
    """Forbidden unless a manager, or a coordinator whose networks hold the organisation wholly."""
    if not await may_invite(identity, organisation_id):
        raise Forbidden(N_("Only managers of this organisation may do this."))


async def offer_membership(inviter: Identity, organisation_id: int, organisation_name: str, user: UserInfo,
                           role: str) -> None:
    """Invite an existing user and tell them by email (inside the caller's transaction)."""
    now = clock.now()
    live = await sql.fetch_value(
        """SELECT expires_at > $3 FROM membership_invitation
           WHERE user_id = $1 AND organisation_id = $2 FOR UPDATE""",
        user.id, organisation_id, now,
    )
    if live:
        # Asking again would only mail them again; they have the first invitation.
        raise Conflict(N_("This person has been invited already and has not answered yet."), field="email")
    await sql.execute(
        """INSERT INTO membership_invitation (user_id, organisation_id, role, invited_by, created_at, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (user_id, organisation_id) DO UPDATE
           SET role = $3, invited_by = $4, created_at = $5, expires_at = $6""",
        user.id, organisation_id, role, inviter.user_id, now, now + OFFER_TTL,
    )
    subject, body = messages.render(
        "membership_offer", user.locale, name=user.name, inviter=inviter.name, organisation=organisation_name,
        role=role, url=f"{get_settings().base_url}/account#invitations",
    )
    await enqueue_message(user.email, subject, body, to_name=user.name)


async def membership_offers(user_id: int) -> list[MembershipOffer]:
    """The live invitations a user has not answered yet, newest first."""
    rows = await sql.fetch(
        """SELECT i.organisation_id, o.name AS organisation_name, i.role, u.name AS invited_by,
                  i.created_at, i.expires_at
           FROM membership_invitation i
           JOIN organisation o ON o.id = i.organisation_id
           LEFT JOIN app_user u ON u.id = i.invited_by
           WHERE i.user_id = $1 AND i.expires_at > $2
           ORDER BY i.created_at DESC, i.id DESC""",
        user_id, clock.now(),
    )
    return [MembershipOffer(**r) for r in rows]


async def _take_offer(user_id: int, organisation_id: int) -> str:
    role = await sql.fetch_value(
        """DELETE FROM membership_invitation
           WHERE user_id = $1 AND organisation_id = $2 AND expires_at > $3 RETURNING role""",
        user_id, organisation_id, clock.now(),
    )
    if role is None:
        raise NotFound(N_("There is no open invitation to this organisation."))
    return role


async def accept_membership(identity: Identity, organisation_id: int) -> str:
    """The invited person joins the organisation with the offered role; returns the role."""
    async with DB.transaction():
        role = await _take_offer(identity.user_id, organisation_id)
        await sql.execute(
            """INSERT INTO membership (user_id, organisation_id, role, created_at) VALUES ($1, $2, $3, $4)
               ON CONFLICT (user_id, organisation_id) DO NOTHING""",
            identity.user_id, organisation_id, role, clock.now(),
        )
    return role


async def decline_membership(identity: Identity, organisation_id: int) -> None:
    """The invited person says no: the invitation is gone, nothing else changes."""
    await _take_offer(identity.user_id, organisation_id)


async def open_invitations(identity: Identity, organisation_id: int) -> list[OpenInvitation]:
    """Invitations of the organisation that wait for an answer (for those who may invite)."""
    await require_inviter(identity, organisation_id)
    rows = await sql.fetch(
        """SELECT i.user_id, u.email, i.role, i.created_at, i.expires_at
           FROM membership_invitation i JOIN app_user u ON u.id = i.user_id
           WHERE i.organisation_id = $1 AND i.expires_at > $2
           ORDER BY i.created_at, i.id""",
        organisation_id, clock.now(),
    )
    return [OpenInvitation(**r) for r in rows]


async def withdraw_invitation(identity: Identity, organisation_id: int, user_id: int) -> None:
    """Whoever may invite takes back an invitation that has not been answered."""
    await require_inviter(identity, organisation_id)
    done = await sql.fetch_value(
        "DELETE FROM membership_invitation WHERE organisation_id = $1 AND user_id = $2 RETURNING id",
        organisation_id, user_id,
    )
    if done is None:
        raise NotFound(N_("There is no open invitation to this organisation."))
