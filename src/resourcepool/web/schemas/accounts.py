"""API shapes of accounts and authentication (msgspec: constraints checked before any code runs)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

Email = Annotated[str, msgspec.Meta(min_length=1, max_length=254, description="Email address")]
Password = Annotated[str, msgspec.Meta(min_length=1, max_length=128)]
TokenName = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]


class TokenRequest(msgspec.Struct, forbid_unknown_fields=True):
    email: Email
    password: Password
    name: TokenName = "API"


class TokenCreated(msgspec.Struct):
    token: str
    id: int
    name: str


class ApiTokenOut(msgspec.Struct):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None


class InvitationAcceptance(msgspec.Struct, forbid_unknown_fields=True):
    password: Annotated[str, msgspec.Meta(max_length=128)]


class InvitationAccepted(msgspec.Struct):
    user_id: int
    email: str


class OrganisationRoleOut(msgspec.Struct):
    id: int
    name: str
    role: str


class NetworkOut(msgspec.Struct):
    id: int
    slug: str
    name: str


class MembershipOfferOut(msgspec.Struct):
    """An invitation to an organisation waiting for your answer (accept or decline it at
    /api/v1/organisations/{organisation_id}/invitation/accept|decline)."""

    organisation_id: int
    organisation_name: str
    role: str
    invited_by: str | None
    expires_at: datetime


class Me(msgspec.Struct):
    id: int
    email: str
    name: str
    locale: str | None
    organisations: list[OrganisationRoleOut]
    coordinated_networks: list[NetworkOut]
    invitations: list[MembershipOfferOut] = []
