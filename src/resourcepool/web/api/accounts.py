"""Authentication API: tokens for a password, token list and revocation, who am I, invitations."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, delete, get, post
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import JSONBody, Parameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from resourcepool.accounts.api_tokens import revoke_api_token
from resourcepool.accounts.profile import (
    api_tokens_page,
    coordinated_networks_of,
    issue_api_token_for_password,
    organisations_of,
)
from resourcepool.accounts.recovery import accept_invitation
from resourcepool.accounts.service import get_user
from resourcepool.organisations.invitations import membership_offers
from resourcepool.web.auth import login_required, require_identity
from resourcepool.web.schemas.accounts import (
    ApiTokenOut,
    InvitationAccepted,
    InvitationAcceptance,
    Me,
    MembershipOfferOut,
    NetworkOut,
    OrganisationRoleOut,
    TokenCreated,
    TokenRequest,
)
from resourcepool.web.openapi import problems
from resourcepool.web.schemas.common import Page
from resourcepool.web.security import client_ip

BIGINT_MAX = 2**63 - 1
Limit = Annotated[int, Parameter(ge=1, le=100, description="page size")]
Offset = Annotated[int, Parameter(ge=0, le=1_000_000)]


def _problems(*statuses: int) -> dict[int, ResponseSpec]:
    """Document the problem responses an operation can give, in this API's words."""
    return problems(*statuses, described={
        401: "not_authenticated: no valid token, or wrong email or password",
        409: "conflict: too many live tokens",
        422: "validation_error: e.g. the password breaks the rules, or the link is used or expired",
        429: "rate_limited: too many failed attempts; see the Retry-After header",
    })


class AuthApi(Controller):
    path = "/auth"
    tags = ["auth"]

    @post("/token", status_code=HTTP_201_CREATED, summary="Exchange email and password for an API token",
          responses=_problems(401, 409, 422, 429))
    async def create_token(self, request: Request, data: JSONBody[TokenRequest]) -> TokenCreated:
        token, info = await issue_api_token_for_password(data.email, data.password, data.name,
                                                         ip=client_ip(request.scope))
        return TokenCreated(token=token, id=info.id, name=info.name)

    @get("/tokens", guards=[login_required], summary="Your live API tokens",
         responses=_problems(401))
    async def list_tokens(self, request: Request, limit: Limit = 50, offset: Offset = 0) -> Page[ApiTokenOut]:
        identity = require_identity(request)
        tokens, total = await api_tokens_page(identity.user_id, limit, offset)
        return Page(
            items=[ApiTokenOut(t.id, t.name, t.prefix, t.created_at, t.last_used_at) for t in tokens],
            total=total,
        )

    @delete("/tokens/{token_id:int}", guards=[login_required], status_code=HTTP_204_NO_CONTENT,
            summary="Revoke one of your API tokens", responses=_problems(401, 404))
    async def revoke_token(
        self, request: Request, token_id: Annotated[int, Parameter(ge=1, le=BIGINT_MAX)]
    ) -> None:
        identity = require_identity(request)
        await revoke_api_token(identity.user_id, token_id)

    @get("/me", guards=[login_required], summary="The signed-in user, their organisations and networks",
         responses=_problems(401))
    async def me(self, request: Request) -> Me:
        identity = require_identity(request)
        user = await get_user(identity.user_id)
        organisations = await organisations_of(identity.user_id)
        networks = await coordinated_networks_of(identity.user_id)
        return Me(
            id=user.id,
            email=user.email,
            name=user.name,
            locale=user.locale,
            organisations=[OrganisationRoleOut(o.id, o.name, o.role) for o in organisations],
            coordinated_networks=[NetworkOut(n.id, n.slug, n.name) for n in networks],
            invitations=[MembershipOfferOut(o.organisation_id, o.organisation_name, o.role, o.invited_by,
                                            o.expires_at) for o in await membership_offers(identity.user_id)],
        )

    @post("/invitations/{token:str}", status_code=HTTP_200_OK, summary="Accept an invitation by choosing a password",
          responses=_problems(404, 422))
    async def accept(
        self, token: Annotated[str, Parameter(max_length=200)], data: JSONBody[InvitationAcceptance]
    ) -> InvitationAccepted:
        user_id = await accept_invitation(token, data.password)
        user = await get_user(user_id)
        return InvitationAccepted(user_id=user.id, email=user.email)
