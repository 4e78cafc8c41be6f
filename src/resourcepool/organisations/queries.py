"""Named reads of networks and organisations, with the access checks inside the query.

A caller who may not see an organisation gets NotFound (no hint that it exists); one who may
see it but not its private side (contact, members, pending or rejected entries) gets the
public side only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from resourcepool.accounts.identity import Identity
from resourcepool.db import sql
from resourcepool.errors import N_, Forbidden, NotFound, ValidationFailed
from resourcepool.organisations import access
from resourcepool.textrules import has_control_characters

# The shape of a network's short name (also a CHECK in the database).
SLUG = re.compile(r"^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$")


@dataclass(frozen=True)
class NetworkInfo:
    id: int
    slug: str
    name: str
    timezone: str
    locale: str
    public_catalogue: bool
    description: str


@dataclass(frozen=True)
class NetworkEntry:
    """An organisation's place in one network."""

    network_id: int
    slug: str
    name: str
    status: str
    applied_at: datetime
    decided_at: datetime | None
    decision_note: str


@dataclass(frozen=True)
class OrganisationView:
    id: int
    name: str
    sector: str
    description: str
    address: str
    district: str
    website: str
    networks: list[NetworkEntry]
    # None unless the viewer may see the private side
    contact_email: str | None = None
    contact_phone: str | None = None
    private: bool = False
    my_role: str | None = None

    @property
    def is_verified(self) -> bool:
        return any(n.status == "verified" for n in self.networks)

    @property
    def pending_networks(self) -> list[NetworkEntry]:
        return [n for n in self.networks if n.status == "pending"]

    @property
    def waiting_for_verification(self) -> bool:
        """Pending somewhere and verified nowhere: it cannot book or offer yet."""
        return bool(self.pending_networks) and not self.is_verified


@dataclass(frozen=True)
class MemberInfo:
    user_id: int
    name: str
    email: str
    role: str
    has_password: bool


@dataclass
class CoordinatorNetwork:
    """What a coordinator sees of one network they coordinate."""

    network: NetworkInfo
    pending: list[dict[str, Any]] = field(default_factory=list)
    verified: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)


_NETWORK_COLUMNS = "id, slug, name, timezone, locale, public_catalogue, description"
_ORG_COLUMNS = """o.id, o.name, o.sector, o.description, o.address, o.district, o.website,
                  o.contact_email, o.contact_phone"""


async def list_networks() -> list[NetworkInfo]:
    """Every network (public facts only), by name."""
    rows = await sql.fetch(f"SELECT {_NETWORK_COLUMNS} FROM network ORDER BY name, id")
    return [NetworkInfo(**r) for r in rows]


async def get_network_by_slug(slug: str) -> NetworkInfo:
    if not SLUG.match(slug or ""):
        # No network has such a name; asking the database would fail on NUL bytes.
        raise NotFound(N_("No such network."), field="network")
    row = await sql.fetch_one(f"SELECT {_NETWORK_COLUMNS} FROM network WHERE slug = $1", slug)
    if row is None:
        raise NotFound(N_("No such network."), field="network")
    return NetworkInfo(**row)


async def get_network(network_id: int) -> NetworkInfo:
    row = await sql.fetch_one(f"SELECT {_NETWORK_COLUMNS} FROM network WHERE id = $1", network_id)
    if row is None:
        raise NotFound(N_("No such network."), field="network")
    return NetworkInfo(**row)


async def _entries(organisation_ids: list[int]) -> dict[int, list[NetworkEntry]]:
    rows = await sql.fetch(
        """
        SELECT no.organisation_id, n.id AS network_id, n.slug, n.name, no.status,
               no.applied_at, no.decided_at, no.decision_note
        FROM network_organisation no JOIN network n ON n.id = no.network_id
        WHERE no.organisation_id = ANY($1::bigint[])
        ORDER BY n.name, n.id
        """,
        organisation_ids,
    )
    found: dict[int, list[NetworkEntry]] = {i: [] for i in organisation_ids}
    for r in rows:
        org = r.pop("organisation_id")
        found[org].append(NetworkEntry(**r))
    return found


def _view(identity: Identity | None, row: dict[str, Any], entries: list[NetworkEntry]) -> OrganisationView:
    # A coordinator's right to the private side ends when their network turns it down.
    network_ids = [e.network_id for e in entries if e.status in access.OPEN_STATUSES]
    private = access.can_see_private(identity, row["id"], network_ids)
    if not (identity is not None and identity.is_member_of(row["id"])):
        # Outsiders see only the networks that admitted it. A coordinator sees their own
        # network's entry as well, but another network's waiting list, refusal or note to the
        # organisation is that network's business.
        entries = [e if identity is not None and identity.coordinates(e.network_id)
                   else replace(e, decision_note="")
                   for e in entries
                   if e.status == "verified" or (identity is not None and identity.coordinates(e.network_id))]
    return OrganisationView(
        id=row["id"], name=row["name"], sector=row["sector"], description=row["description"],
        address=row["address"], district=row["district"], website=row["website"],
        networks=entries,
        contact_email=row["contact_email"] if private else None,
        contact_phone=row["contact_phone"] if private else None,
        private=private,
        my_role=identity.roles.get(row["id"]) if identity else None,
    )


# Who sees an organisation at all: its members, its networks' coordinators, and anyone once a
# network has verified it. $1 = my organisations, $2 = my coordinated networks.
_VISIBLE = """
    (o.id = ANY($1::bigint[]) OR EXISTS (
        SELECT 1 FROM network_organisation v
        WHERE v.organisation_id = o.id AND (v.status = 'verified' OR v.network_id = ANY($2::bigint[]))))
"""


def _scope(identity: Identity | None) -> tuple[list[int], list[int]]:
    if identity is None:
        return [], []
    return identity.organisation_ids, sorted(identity.coordinated_networks)


async def list_organisations(
    identity: Identity | None,
    *,
    mine: bool = False,
    network_slug: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[OrganisationView], int]:
    """The organisations the identity may see (only its own with mine=True), and the total."""
    if network_slug and has_control_characters(network_slug):
        raise ValidationFailed(N_("This text contains characters that are not allowed."), field="network")
    mine_ids, coordinated = _scope(identity)
    conditions = [_VISIBLE] + (["o.id = ANY($1::bigint[])"] if mine else [])
    args: list[Any] = [mine_ids, coordinated]
    if network_slug:
        args.append(network_slug[:100])
        conditions.append(
            f"""EXISTS (SELECT 1 FROM network_organisation f JOIN network fn ON fn.id = f.network_id
                       WHERE f.organisation_id = o.id AND fn.slug = ${len(args)}
                       AND (f.status = 'verified' OR f.network_id = ANY($2::bigint[])
                            OR o.id = ANY($1::bigint[])))"""
        )
    where = " AND ".join(conditions)
    total = await sql.fetch_value(f"SELECT count(*) FROM organisation o WHERE {where}", *args)
    rows = await sql.fetch(
        f"""SELECT {_ORG_COLUMNS} FROM organisation o WHERE {where}
            ORDER BY lower(o.name), o.id LIMIT ${len(args) + 1} OFFSET ${len(args) + 2}""",
        *args, limit, offset,
    )
    entries = await _entries([r["id"] for r in rows])
    return [_view(identity, r, entries[r["id"]]) for r in rows], int(total)


async def get_organisation(identity: Identity | None, organisation_id: int) -> OrganisationView:
    """One organisation as the identity may see it; NotFound if it may not see it at all."""
    mine_ids, coordinated = _scope(identity)
    row = await sql.fetch_one(
        f"SELECT {_ORG_COLUMNS} FROM organisation o WHERE o.id = $3 AND {_VISIBLE}",
        mine_ids, coordinated, organisation_id,
    )
    if row is None:
        raise NotFound(N_("No such organisation."))
    entries = await _entries([organisation_id])
    return _view(identity, row, entries[organisation_id])


async def network_entries(organisation_id: int) -> dict[int, str]:
    """network id → the organisation's status there, for every network it ever entered (no
    access check: for the use cases that decide who may act on it)."""
    rows = await sql.fetch(
        "SELECT network_id, status FROM network_organisation WHERE organisation_id = $1", organisation_id
    )
    return {r["network_id"]: r["status"] for r in rows}


_MEMBERS = """SELECT u.id AS user_id, u.name, u.email, m.role, u.password_hash IS NOT NULL AS has_password
               FROM membership m JOIN app_user u ON u.id = m.user_id"""


async def list_members(identity: Identity | None, organisation_id: int, *, limit: int = 1000,
                       offset: int = 0) -> tuple[list[MemberInfo], int]:
    """A page of an organisation's members and their total, for its members and its networks'
    coordinators only; managers first."""
    view = await get_organisation(identity, organisation_id)
    if not view.private:
        raise Forbidden(N_("Only members of this organisation may see its members."))
    total = await sql.fetch_value("SELECT count(*) FROM membership WHERE organisation_id = $1", organisation_id)
    rows = await sql.fetch(
        f"""{_MEMBERS} WHERE m.organisation_id = $1
            ORDER BY m.role = 'manager' DESC, lower(u.name), u.id LIMIT $2 OFFSET $3""",
        organisation_id, limit, offset,
    )
    return [MemberInfo(**r) for r in rows], int(total)


async def get_member(identity: Identity | None, organisation_id: int, user_id: int) -> MemberInfo:
    """One member, for those who may see the members; NotFound if not a member."""
    view = await get_organisation(identity, organisation_id)
    if not view.private:
        raise Forbidden(N_("Only members of this organisation may see its members."))
    row = await sql.fetch_one(f"{_MEMBERS} WHERE m.organisation_id = $1 AND m.user_id = $2",
                              organisation_id, user_id)
    if row is None:
        raise NotFound(N_("This person does not belong to your organisation."))
    return MemberInfo(**row)


async def organisation_names(ids: list[int]) -> dict[int, str]:
    """id → name of organisations (for labelling choices the identity already has)."""
    rows = await sql.fetch("SELECT id, name FROM organisation WHERE id = ANY($1::bigint[])", ids)
    return {r["id"]: r["name"] for r in rows}


async def coordinator_overview(identity: Identity) -> list[CoordinatorNetwork]:
    """Per network the identity coordinates: pending, verified and rejected organisations."""
    networks = await sql.fetch(
        f"SELECT {_NETWORK_COLUMNS} FROM network WHERE id = ANY($1::bigint[]) ORDER BY name, id",
        sorted(identity.coordinated_networks),
    )
    result = {n["id"]: CoordinatorNetwork(NetworkInfo(**n)) for n in networks}
    if not result:
        return []
    rows = await sql.fetch(
        """
        SELECT no.network_id, no.status, no.applied_at, no.decided_at, no.decision_note,
               o.id, o.name, o.sector, o.description, o.address, o.district,
               o.contact_email, o.contact_phone,
               (SELECT string_agg(u.name || ' <' || u.email || '>', ', ' ORDER BY u.id)
                  FROM membership m JOIN app_user u ON u.id = m.user_id
                 WHERE m.organisation_id = o.id AND m.role = 'manager') AS managers
        FROM network_organisation no JOIN organisation o ON o.id = no.organisation_id
        WHERE no.network_id = ANY($1::bigint[])
        ORDER BY no.applied_at, lower(o.name)
        """,
        list(result),
    )
    for r in rows:
        getattr(result[r["network_id"]], r["status"]).append(r)
    for entry in result.values():
        entry.verified.sort(key=lambda r: r["name"].lower())
    return list(result.values())


async def waiting_for_verification(user_id: int) -> list[dict[str, Any]]:
    """The user's organisations that wait for a network's verification: [{organisation, network}]."""
    return await sql.fetch(
        """
        SELECT o.id AS organisation_id, o.name AS organisation, n.name AS network, no.applied_at
        FROM membership m
        JOIN organisation o ON o.id = m.organisation_id
        JOIN network_organisation no ON no.organisation_id = o.id AND no.status = 'pending'
        JOIN network n ON n.id = no.network_id
        WHERE m.user_id = $1
        ORDER BY o.name, n.name
        """,
        user_id,
    )
