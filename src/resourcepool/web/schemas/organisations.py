"""msgspec Structs of the organisations API (networks, organisations, members)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec

Sector = Literal["nonprofit", "business", "municipality", "informal"]
Role = Literal["member", "manager"]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Slug = Annotated[str, msgspec.Meta(min_length=1, max_length=64, pattern=r"^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$")]
Email = Annotated[str, msgspec.Meta(min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
OptionalEmail = Annotated[str, msgspec.Meta(max_length=254, pattern=r"^$|^[^@\s]+@[^@\s]+\.[^@\s]+$")]
Description = Annotated[str, msgspec.Meta(max_length=5000)]
Address = Annotated[str, msgspec.Meta(max_length=500)]
District = Annotated[str, msgspec.Meta(max_length=100)]
Phone = Annotated[str, msgspec.Meta(max_length=50)]
Website = Annotated[str, msgspec.Meta(max_length=500)]
Note = Annotated[str, msgspec.Meta(max_length=2000)]


class NetworkOut(msgspec.Struct):
    id: int
    slug: str
    name: str
    timezone: str
    locale: str
    public_catalogue: bool
    description: str


class NetworkEntryOut(msgspec.Struct):
    network: str
    name: str
    status: Literal["pending", "verified", "rejected"]
    applied_at: datetime
    decided_at: datetime | None
    decision_note: str


class OrganisationOut(msgspec.Struct):
    id: int
    name: str
    sector: Sector
    description: str
    address: str
    district: str
    website: str
    verified: bool
    networks: list[NetworkEntryOut]
    # Present only for members of the organisation and coordinators of its networks.
    contact_email: str | None = None
    contact_phone: str | None = None
    my_role: Role | None = None


class OrganisationCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: Name
    sector: Sector
    network: Slug
    description: Description = ""
    address: Address = ""
    district: District = ""
    contact_email: OptionalEmail = ""
    contact_phone: Phone = ""
    website: Website = ""


class OrganisationPatch(msgspec.Struct, forbid_unknown_fields=True):
    """Only the fields given change."""

    name: Name | None = None
    sector: Sector | None = None
    description: Description | None = None
    address: Address | None = None
    district: District | None = None
    contact_email: OptionalEmail | None = None
    contact_phone: Phone | None = None
    website: Website | None = None


class MemberOut(msgspec.Struct):
    user_id: int
    name: str
    email: str
    role: Role
    # False until an invited person has set a password
    active: bool


class MemberInvite(msgspec.Struct, forbid_unknown_fields=True):
    email: Email
    name: Name
    role: Role = "member"


class InvitationOut(msgspec.Struct):
    user_id: int
    # Only for a person this call created (the link sets their first password); null otherwise.
    invite_url: str | None
    # True when the person already had an account: invited by email, a member once they accept.
    pending: bool = False


class OpenInvitationOut(msgspec.Struct):
    """An invitation of a person with an account that waits for their answer."""

    user_id: int
    email: str
    role: Role
    created_at: datetime
    expires_at: datetime


class OpenInvitationPage(msgspec.Struct):
    items: list[OpenInvitationOut]
    total: int


class MembershipOut(msgspec.Struct):
    organisation_id: int
    role: Role


class MemberPage(msgspec.Struct):
    items: list[MemberOut]
    total: int


class MemberRoleChange(msgspec.Struct, forbid_unknown_fields=True):
    role: Role


class Decision(msgspec.Struct, forbid_unknown_fields=True):
    note: Note = ""


class NetworkApplication(msgspec.Struct, forbid_unknown_fields=True):
    network: Slug


class OrganisationPage(msgspec.Struct):
    items: list[OrganisationOut]
    total: int


class NetworkPage(msgspec.Struct):
    items: list[NetworkOut]
    total: int
