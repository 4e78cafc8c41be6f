"""Our organisation: details, networks and their verification, members and invitations."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import PathParameter
from litestar.response import Redirect, Template

from resourcepool.errors import N_, DomainError
from resourcepool.organisations import access, invitations, queries, service
from resourcepool.organisations import members as members_service
from resourcepool import i18n
from resourcepool.web.auth import login_required, require_identity
from resourcepool.web.errors import status_for
from resourcepool.web.forms import FormState, read_form

Id = Annotated[int, PathParameter(ge=1, le=2**63 - 1)]
DETAIL_FIELDS = ("name", "sector", "description", "address", "district", "contact_email",
                 "contact_phone", "website")

DONE_MESSAGES = {
    "role": N_("The role has been changed."),
    "removed": N_("The member has been removed."),
    "saved": N_("The details have been saved."),
    "applied": N_("Your application has been sent. The network's coordinators will verify it."),
    "withdrawn": N_("The invitation has been withdrawn."),
}


def _see(target: str) -> Redirect:
    return Redirect(target, status_code=303)


async def _organisation_page(request: Request, organisation_id: int, *, invite: FormState | None = None,
                             details: FormState | None = None, apply: FormState | None = None,
                             flash: dict[str, str] | None = None, status: int = 200,
                             invite_url: str | None = None) -> Template:
    identity = require_identity(request)
    view = await queries.get_organisation(identity, organisation_id)
    members = (await queries.list_members(identity, organisation_id))[0] if view.private else []
    can_invite = view.private and await invitations.may_invite(identity, view.id)
    waiting = await invitations.open_invitations(identity, organisation_id) if can_invite else []
    key = request.query_params.get("done")
    if flash is None and key in DONE_MESSAGES:
        flash = {"kind": "ok", "message": i18n.gettext(DONE_MESSAGES[key])}
    networks: list[Any] = []
    if view.my_role == "manager":
        joined = {n.network_id for n in view.networks if n.status != "rejected"}
        networks = [n for n in await queries.list_networks() if n.id not in joined]
    if details is None:
        details = FormState(values={k: getattr(view, k) or "" for k in DETAIL_FIELDS})
    # What the viewer may edit: its managers the details; the name and sector, once a network
    # verified it or is deciding, only that network's coordinators (service.update_organisation).
    statuses = {n.network_id: n.status for n in view.networks}
    vouched_locked = access.verified_fields_locked(statuses)
    may_change_vouched = access.can_change_verified(identity, statuses) or (
        view.my_role == "manager" and not vouched_locked)
    return Template("organisations/detail.html", status_code=status, context={
        "organisation": view, "members": members, "flash": flash,
        "invite": invite or FormState(values={"invite_role": "member"}), "details": details,
        "apply": apply or FormState(), "other_networks": networks,
        "is_manager": view.my_role == "manager", "invite_url": invite_url,
        "can_invite": can_invite, "open_invitations": waiting,
        "may_change_vouched": may_change_vouched, "vouched_locked": vouched_locked,
    })


class OrganisationPages(Controller):
    path = "/organisations"
    guards = [login_required]

    @get("/", name="organisations")
    async def mine(self, request: Request) -> Template | Redirect:
        identity = require_identity(request)
        views, _ = await queries.list_organisations(identity, mine=True, limit=200)
        if len(views) == 1:
            return Redirect(f"/organisations/{views[0].id}")
        return Template("organisations/index.html", context={"organisations": views})

    @get("/{organisation_id:int}", name="organisation")
    async def detail(self, request: Request, organisation_id: Id) -> Template:
        return await _organisation_page(request, organisation_id)

    @post("/{organisation_id:int}", name="organisation_update")
    async def update(self, request: Request, organisation_id: Id) -> Template | Redirect:
        identity = require_identity(request)
        await queries.get_organisation(identity, organisation_id)
        data = await read_form(request)
        # Only the fields the form showed: a coordinator's form has the name and sector alone,
        # a manager's lacks them once they are verified.
        values = {k: data[k] for k in DETAIL_FIELDS if k in data}
        try:
            await service.update_organisation(identity, organisation_id, values)
        except DomainError as exc:
            if status_for(exc) == 404 or (status_for(exc) == 403 and exc.field not in service.VERIFIED_FIELDS):
                raise
            form = FormState(values=values)
            form.add_error(exc)
            return await _organisation_page(request, organisation_id, details=form, status=status_for(exc))
        return _see(f"/organisations/{organisation_id}?done=saved")

    @post("/{organisation_id:int}/members", name="organisation_invite")
    async def invite(self, request: Request, organisation_id: Id) -> Template:
        identity = require_identity(request)
        await queries.get_organisation(identity, organisation_id)
        data = await read_form(request)
        form = FormState(values={k: data.get(k, "") for k in ("invite_email", "invite_name", "invite_role")})
        try:
            invitation = await members_service.invite_member(
                identity, organisation_id, form.values["invite_email"], form.values["invite_name"],
                form.values["invite_role"] or "member")
        except DomainError as exc:
            if status_for(exc) in (403, 404):
                raise
            # The invite form's fields carry a prefix so their ids differ from the details form's.
            key = f"invite_{exc.field}" if exc.field in ("email", "name", "role") else "_form"
            form.errors[key] = i18n.translate(exc.message, exc.params)
            return await _organisation_page(request, organisation_id, invite=form, status=422)
        if invitation.pending:
            message = i18n.translate(
                N_("%(email)s has an account already: they have been invited by email and become a "
                   "member once they accept."), {"email": form.values["invite_email"].strip()})
        else:
            message = i18n.translate(N_("%(name)s has been invited by email."),
                                     {"name": form.values["invite_name"].strip()})
        return await _organisation_page(request, organisation_id, flash={"kind": "ok", "message": message},
                                        invite_url=invitation.invite_url)

    @post("/{organisation_id:int}/members/{user_id:int}/role", name="organisation_member_role")
    async def change_role(self, request: Request, organisation_id: Id, user_id: Id) -> Template | Redirect:
        identity = require_identity(request)
        await queries.get_organisation(identity, organisation_id)
        data = await read_form(request)
        try:
            await members_service.change_member_role(identity, organisation_id, user_id, data.get("role", ""))
        except DomainError as exc:
            if status_for(exc) in (403, 404):
                raise
            return await _organisation_page(request, organisation_id, status=422, flash={
                "kind": "error", "message": i18n.translate(exc.message, exc.params)})
        return _see(f"/organisations/{organisation_id}?done=role#members")

    @post("/{organisation_id:int}/members/{user_id:int}/remove", name="organisation_member_remove")
    async def remove(self, request: Request, organisation_id: Id, user_id: Id) -> Template | Redirect:
        identity = require_identity(request)
        await queries.get_organisation(identity, organisation_id)
        try:
            await members_service.remove_member(identity, organisation_id, user_id)
        except DomainError as exc:
            if status_for(exc) in (403, 404):
                raise
            return await _organisation_page(request, organisation_id, status=422, flash={
                "kind": "error", "message": i18n.translate(exc.message, exc.params)})
        if user_id == identity.user_id:
            return _see("/")
        return _see(f"/organisations/{organisation_id}?done=removed#members")

    @post("/{organisation_id:int}/invitations/{user_id:int}/withdraw", name="organisation_invitation_withdraw")
    async def withdraw_invitation(self, request: Request, organisation_id: Id, user_id: Id) -> Redirect:
        identity = require_identity(request)
        await queries.get_organisation(identity, organisation_id)
        await invitations.withdraw_invitation(identity, organisation_id, user_id)
        return _see(f"/organisations/{organisation_id}?done=withdrawn#members")

    @post("/{organisation_id:int}/networks", name="organisation_apply_network")
    async def apply_to_network(self, request: Request, organisation_id: Id) -> Template | Redirect:
        identity = require_identity(request)
        await queries.get_organisation(identity, organisation_id)
        data = await read_form(request)
        try:
            await service.apply_to_network(identity, organisation_id, data.get("network", ""))
        except DomainError as exc:
            if status_for(exc) == 403:
                raise
            form = FormState(values={"network": data.get("network", "")})
            form.errors["network"] = i18n.translate(exc.message, exc.params)
            return await _organisation_page(request, organisation_id, apply=form, status=422)
        return _see(f"/organisations/{organisation_id}?done=applied")
