"""JSON API of networks and organisations: /api/v1/networks, /api/v1/organisations."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, delete, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody, PathParameter, QueryParameter

from resourcepool.organisations import invitations, queries, service
from resourcepool.organisations import members as members_service
from resourcepool.organisations.queries import MemberInfo, OrganisationView
from resourcepool.web.auth import coordinator_required, login_required, require_identity
from resourcepool.web.schemas.organisations import (
    Decision,
    InvitationOut,
    MemberInvite,
    MemberOut,
    MemberPage,
    MemberRoleChange,
    MembershipOut,
    NetworkApplication,
    NetworkEntryOut,
    NetworkOut,
    NetworkPage,
    OpenInvitationOut,
    OpenInvitationPage,
    OrganisationCreate,
    OrganisationOut,
    OrganisationPage,
    OrganisationPatch,
)

MAX_ID = 2**63 - 1
Id = Annotated[int, PathParameter(ge=1, le=MAX_ID)]
Limit = Annotated[int, QueryParameter(ge=1, le=200)]
Offset = Annotated[int, QueryParameter(ge=0, le=10_000_000)]


def organisation_out(view: OrganisationView) -> OrganisationOut:
    return OrganisationOut(
        id=view.id, name=view.name, sector=view.sector, description=view.description,  # type: ignore[arg-type]
        address=view.address, district=view.district, website=view.website,
        verified=view.is_verified,
        networks=[
            NetworkEntryOut(network=e.slug, name=e.name, status=e.status, applied_at=e.applied_at,  # type: ignore[arg-type]
                            decided_at=e.decided_at, decision_note=e.decision_note if view.private else "")
            for e in view.networks
        ],
        contact_email=view.contact_email, contact_phone=view.contact_phone,
        my_role=view.my_role,  # type: ignore[arg-type]
    )


def member_out(member: MemberInfo) -> MemberOut:
    return MemberOut(user_id=member.user_id, name=member.name, email=member.email, role=member.role,  # type: ignore[arg-type]
                     active=member.has_password)


def _given(struct: Any) -> dict[str, Any]:
    return {k: getattr(struct, k) for k in struct.__struct_fields__ if getattr(struct, k) is not None}


class NetworksApi(Controller):
    path = "/networks"
    tags = ["networks"]

    @get("/", summary="List networks")
    async def list_networks(self, limit: Limit = 50, offset: Offset = 0) -> NetworkPage:
        networks = await queries.list_networks()
        items = [NetworkOut(**n.__dict__) for n in networks[offset:offset + limit]]
        return NetworkPage(items=items, total=len(networks))

    @post("/{slug:str}/organisations/{organisation_id:int}/verify", guards=[coordinator_required],
          status_code=200, summary="Verify an organisation (coordinators of the network)")
    async def verify(self, request: Request, slug: FromPath[str], organisation_id: Id,
                     data: JSONBody[Decision | None] = None) -> OrganisationOut:
        identity = require_identity(request)
        network = await queries.get_network_by_slug(slug)
        await service.verify_organisation(identity, network.id, organisation_id, data.note if data else "")
        return organisation_out(await queries.get_organisation(identity, organisation_id))

    @post("/{slug:str}/organisations/{organisation_id:int}/reject", guards=[coordinator_required],
          status_code=200, summary="Reject an organisation's application, with a reason")
    async def reject(self, request: Request, slug: FromPath[str], organisation_id: Id,
                     data: JSONBody[Decision | None] = None) -> OrganisationOut:
        identity = require_identity(request)
        network = await queries.get_network_by_slug(slug)
        await service.reject_organisation(identity, network.id, organisation_id, data.note if data else "")
        return organisation_out(await queries.get_organisation(identity, organisation_id))


class OrganisationsApi(Controller):
    path = "/organisations"
    tags = ["organisations"]
    guards = [login_required]

    @get("/", summary="List the organisations you may see")
    async def list_organisations(self, request: Request, limit: Limit = 50, offset: Offset = 0,
                                 network: Annotated[str | None, QueryParameter(max_length=64)] = None,
                                 mine: FromQuery[bool] = False) -> OrganisationPage:
        views, total = await queries.list_organisations(
            require_identity(request), mine=mine, network_slug=network, limit=limit, offset=offset
        )
        return OrganisationPage(items=[organisation_out(v) for v in views], total=total)

    @post("/", guards=[coordinator_required], summary="Create an organisation (coordinators; verified at once)")
    async def create(self, request: Request, data: JSONBody[OrganisationCreate]) -> OrganisationOut:
        identity = require_identity(request)
        details = _given(data)
        network = details.pop("network")
        organisation_id = await service.create_organisation(identity, network, details)
        return organisation_out(await queries.get_organisation(identity, organisation_id))

    @get("/{organisation_id:int}", summary="One organisation (private fields for its members)")
    async def read(self, request: Request, organisation_id: Id) -> OrganisationOut:
        return organisation_out(await queries.get_organisation(require_identity(request), organisation_id))

    @patch("/{organisation_id:int}", summary="Change an organisation's details (its managers)",
           description="The name and sector are verified: once a network has verified the organisation "
                       "or is deciding about it, only a coordinator of such a network changes them, and "
                       "the other networks that had verified it verify it again (its bookings stay).")
    async def update(self, request: Request, organisation_id: Id, data: JSONBody[OrganisationPatch]) -> OrganisationOut:
        identity = require_identity(request)
        await queries.get_organisation(identity, organisation_id)  # 404 before 403 for strangers
        await service.update_organisation(identity, organisation_id, _given(data))
        return organisation_out(await queries.get_organisation(identity, organisation_id))

    @post("/{organisation_id:int}/networks", summary="Apply with the organisation to a further network")
    async def apply_to_network(self, request: Request, organisation_id: Id,
                               data: JSONBody[NetworkApplication]) -> OrganisationOut:
        identity = require_identity(request)
        await queries.get_organisation(identity, organisation_id)
        await service.apply_to_network(identity, organisation_id, data.network)
        return organisation_out(await queries.get_organisation(identity, organisation_id))

    @get("/{organisation_id:int}/members", summary="Members (for members and coordinators)")
    async def list_members(self, request: Request, organisation_id: Id, limit: Limit = 50,
                           offset: Offset = 0) -> MemberPage:
        members, total = await queries.list_members(require_identity(request), organisation_id,
                                                    limit=limit, offset=offset)
        return MemberPage(items=[member_out(m) for m in members], total=total)

    @post("/{organisation_id:int}/members",
          summary="Invite a member (managers, and coordinators of every network it is in)",
          description="A new person gets an account and `invite_url`, the link that sets their password. "
                      "A person who already has an account is invited by email and becomes a member only "
                      "once they accept (`pending: true`, no link).")
    async def invite(self, request: Request, organisation_id: Id, data: JSONBody[MemberInvite]) -> InvitationOut:
        identity = require_identity(request)
        await queries.get_organisation(identity, organisation_id)
        invitation = await members_service.invite_member(identity, organisation_id, data.email, data.name, data.role)
        return InvitationOut(user_id=invitation.user_id, invite_url=invitation.invite_url,
                             pending=invitation.pending)

    @get("/{organisation_id:int}/invitations", summary="Invitations waiting for an answer (those who may invite)")
    async def list_invitations(self, request: Request, organisation_id: Id, limit: Limit = 50,
                               offset: Offset = 0) -> OpenInvitationPage:
        identity = require_identity(request)
        await queries.get_organisation(identity, organisation_id)
        waiting = await invitations.open_invitations(identity, organisation_id)
        return OpenInvitationPage(
            items=[OpenInvitationOut(user_id=i.user_id, email=i.email, role=i.role,  # type: ignore[arg-type]
                                     created_at=i.created_at, expires_at=i.expires_at)
                   for i in waiting[offset:offset + limit]],
            total=len(waiting),
        )

    @delete("/{organisation_id:int}/invitations/{user_id:int}", summary="Withdraw an unanswered invitation")
    async def withdraw_invitation(self, request: Request, organisation_id: Id, user_id: Id) -> None:
        identity = require_identity(request)
        await queries.get_organisation(identity, organisation_id)
        await invitations.withdraw_invitation(identity, organisation_id, user_id)

    @post("/{organisation_id:int}/invitation/accept", status_code=200,
          summary="Accept your invitation to this organisation")
    async def accept_invitation(self, request: Request, organisation_id: Id) -> MembershipOut:
        # No visibility check first: an invitation may come from an organisation still waiting
        # for verification, which the invited person cannot see yet.
        role = await invitations.accept_membership(require_identity(request), organisation_id)
        return MembershipOut(organisation_id=organisation_id, role=role)  # type: ignore[arg-type]

    @post("/{organisation_id:int}/invitation/decline", status_code=204,
          summary="Decline your invitation to this organisation")
    async def decline_invitation(self, request: Request, organisation_id: Id) -> None:
        await invitations.decline_membership(require_identity(request), organisation_id)

    @patch("/{organisation_id:int}/members/{user_id:int}", summary="Change a member's role (managers)")
    async def change_role(self, request: Request, organisation_id: Id, user_id: Id,
                          data: JSONBody[MemberRoleChange]) -> MemberOut:
        identity = require_identity(request)
        await queries.get_organisation(identity, organisation_id)
        await members_service.change_member_role(identity, organisation_id, user_id, data.role)
        return member_out(await queries.get_member(identity, organisation_id, user_id))

    @delete("/{organisation_id:int}/members/{user_id:int}", summary="Remove a member (managers)")
    async def remove(self, request: Request, organisation_id: Id, user_id: Id) -> None:
        identity = require_identity(request)
        await queries.get_organisation(identity, organisation_id)
        await members_service.remove_member(identity, organisation_id, user_id)
