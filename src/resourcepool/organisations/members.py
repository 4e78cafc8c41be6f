"""Use cases of membership: invite a member, change a role, remove a member."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from resourcepool import clock
from resourcepool.accounts.identity import Identity
from resourcepool.accounts.service import create_user, find_user_by_email, normalise_email, validate_name
from resourcepool.accounts.user_tokens import issue_user_token
from resourcepool.db import sql
from resourcepool.db.engine import DB
from resourcepool.errors import N_, Conflict, Forbidden, NotFound, ValidationFailed
from resourcepool.notifications import messages
from resourcepool.notifications.outbox import enqueue_message
from resourcepool.organisations import access, invitations
from resourcepool.settings import get_settings

ROLES = ("member", "manager")
INVITATION_TTL = timedelta(days=7)


@dataclass(frozen=True)
class Invitation:
    user_id: int
    # Only for a person this call created: the link sets their first password. Anyone else
    # gets nothing here; a link to an existing account would let the inviter take it over.
    invite_url: str | None
    new_user: bool
    # True when the person already had an account: they join only once they accept.
    pending: bool = False


def validate_role(role: str) -> str:
    if role not in ROLES:
        raise ValidationFailed(N_("Please choose a role."), field="role")
    return role


def _require_manager(identity: Identity, organisation_id: int) -> None:
    if not access.can_manage(identity, organisation_id):
        raise Forbidden(N_("Only managers of this organisation may do this."))


async def invite_member(identity: Identity, organisation_id: int, email: str, name: str,
                        role: str = "member") -> Invitation:
    """Invite a person: someone new gets an account, a membership and a link to set a password;
    someone with an account gets an invitation to accept (invitations.offer_membership).

    Managers invite, and so do coordinators whose networks hold the organisation wholly
    (access.can_invite).
    """
    async with DB.transaction():
        organisation = await sql.fetch_value(
            "SELECT name FROM organisation WHERE id = $1 FOR SHARE", organisation_id
        )
        if organisation is None:
            raise NotFound(N_("No such organisation."))
        # Who may invite before what: a stranger learns nothing from the input's rules.
        await invitations.require_inviter(identity, organisation_id)
        email = normalise_email(email)
        name = validate_name(name)
        role = validate_role(role)
        user = await find_user_by_email(email)
        if user is not None:
            member = await sql.fetch_value(
                "SELECT 1 FROM membership WHERE user_id = $1 AND organisation_id = $2", user.id, organisation_id
            )
            if member:
                raise Conflict(N_("This person already belongs to your organisation."), field="email")
            await invitations.offer_membership(identity, organisation_id, organisation, user, role)
            return Invitation(user.id, None, new_user=False, pending=True)
        user_id = await create_user(email, name)
        await sql.execute(
            "INSERT INTO membership (user_id, organisation_id, role, created_at) VALUES ($1, $2, $3, $4)",
            user_id, organisation_id, role, clock.now(),
        )
        token = await issue_user_token(user_id, "invitation", INVITATION_TTL,
                                       organisation_id=organisation_id, created_by=identity.user_id)
        url = f"{get_settings().base_url}/invitations/{token}"
        subject, body = messages.render("invitation", None, name=name, inviter=identity.name,
                                        organisation=organisation, url=url)
        await enqueue_message(email, subject, body, to_name=name)
    return Invitation(user_id, url, new_user=True)


async def _lock_members(organisation_id: int) -> dict[int, str]:
    rows = await sql.fetch(
        "SELECT user_id, role FROM membership WHERE organisation_id = $1 ORDER BY id FOR UPDATE",
        organisation_id,
    )
    return {r["user_id"]: r["role"] for r in rows}


async def change_member_role(identity: Identity, organisation_id: int, user_id: int, role: str) -> None:
    """A manager makes a member a manager or back; the last manager stays a manager."""
    _require_manager(identity, organisation_id)
    role = validate_role(role)
    async with DB.transaction():
        members = await _lock_members(organisation_id)
        if user_id not in members:
            raise NotFound(N_("This person does not belong to your organisation."))
        if role == "member" and members[user_id] == "manager" and list(members.values()).count("manager") == 1:
            raise Conflict(N_("An organisation needs at least one manager."), field="role")
        await sql.execute(
            "UPDATE membership SET role = $3 WHERE organisation_id = $1 AND user_id = $2",
            organisation_id, user_id, role,
        )


async def remove_member(identity: Identity, organisation_id: int, user_id: int) -> None:
    """A manager removes a member (themselves too, unless they are the last manager)."""
    _require_manager(identity, organisation_id)
    async with DB.transaction():
        members = await _lock_members(organisation_id)
        if user_id not in members:
            raise NotFound(N_("This person does not belong to your organisation."))
        if members[user_id] == "manager" and list(members.values()).count("manager") == 1:
            raise Conflict(N_("An organisation needs at least one manager."), field="user")
        await sql.execute(
            "DELETE FROM membership WHERE organisation_id = $1 AND user_id = $2", organisation_id, user_id
        )
