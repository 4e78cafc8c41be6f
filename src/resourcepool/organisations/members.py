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
from resourcepool.organisations import access
from resourcepool.settings import get_settings

ROLES = ("member", "manager")
INVITATION_TTL = timedelta(days=7)


@dataclass(frozen=True)
class Invitation:
    user_id: int
    # None when the user already had an account: they were added and told, no link needed.
    invite_url: str | None
    new_user: bool


def validate_role(role: str) -> str:
    if role not in ROLES:
        raise ValidationFailed(N_("Please choose a role."), field="role")
    return role


def _require_manager(identity: Identity, organisation_id: int) -> None:
    if not access.can_manage(identity, organisation_id):
        raise Forbidden(N_("Only managers of this organisation may do this."))


async def invite_member(identity: Identity, organisation_id: int, email: str, name: str,
                        role: str = "member") -> Invitation:
    """Add a person to the organisation; a new person gets an account and an invitation link."""
    _require_manager(identity, organisation_id)
    email = normalise_email(email)
    name = validate_name(name)
    role = validate_role(role)
    async with DB.transaction():
        organisation = await sql.fetch_value(
            "SELECT name FROM organisation WHERE id = $1 FOR SHARE", organisation_id
        )
        if organisation is None:
            raise NotFound(N_("No such organisation."))
        user = await find_user_by_email(email)
        new_user = user is None
        user_id = await create_user(email, name) if user is None else user.id
        inserted = await sql.fetch_value(
            """INSERT INTO membership (user_id, organisation_id, role, created_at) VALUES ($1, $2, $3, $4)
               ON CONFLICT (user_id, organisation_id) DO NOTHING RETURNING id""",
            user_id, organisation_id, role, clock.now(),
        )
        if inserted is None:
            raise Conflict(N_("This person already belongs to your organisation."), field="email")
        base = get_settings().base_url
        locale = user.locale if user else None
        to_name = user.name if user else name
        if user is None or not user.has_password:
            # No password yet (new, or invited earlier and never accepted): they need the link.
            token = await issue_user_token(user_id, "invitation", INVITATION_TTL,
                                           organisation_id=organisation_id, created_by=identity.user_id)
            url: str | None = f"{base}/invitations/{token}"
            subject, body = messages.render("invitation", locale, name=to_name, inviter=identity.name,
                                            organisation=organisation, url=url)
        else:
            url = None
            subject, body = messages.render("added", locale, name=to_name, inviter=identity.name,
                                            organisation=organisation, role=role,
                                            url=f"{base}/organisations/{organisation_id}")
        await enqueue_message(email, subject, body)
    return Invitation(user_id, url, new_user)


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
