"""Who is asking: the signed-in user with their organisation roles and coordinated networks."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from resourcepool.db import sql


@dataclass(frozen=True)
class Identity:
    user_id: int
    email: str
    name: str
    locale: str | None
    # organisation id -> "member" | "manager"
    roles: dict[int, str] = field(default_factory=dict)
    coordinated_networks: frozenset[int] = frozenset()

    @property
    def organisation_ids(self) -> list[int]:
        return sorted(self.roles)

    @property
    def managed_organisation_ids(self) -> list[int]:
        return sorted(org for org, role in self.roles.items() if role == "manager")

    @property
    def is_coordinator(self) -> bool:
        return bool(self.coordinated_networks)

    def is_member_of(self, organisation_id: int) -> bool:
        return organisation_id in self.roles

    def is_manager_of(self, organisation_id: int) -> bool:
        return self.roles.get(organisation_id) == "manager"

    def coordinates(self, network_id: int) -> bool:
        return network_id in self.coordinated_networks


_IDENTITY_COLUMNS = """
    u.id, u.email, u.name, u.locale,
    coalesce((SELECT json_object_agg(m.organisation_id, m.role) FROM membership m
              WHERE m.user_id = u.id), '{}') AS roles,
    coalesce((SELECT array_agg(c.network_id) FROM coordinator c
              WHERE c.user_id = u.id), '{}') AS coordinated
"""


def _identity(row: dict) -> Identity:
    roles = row["roles"]
    if isinstance(roles, str):
        roles = json.loads(roles)
    return Identity(
        user_id=row["id"],
        email=row["email"],
        name=row["name"],
        locale=row["locale"],
        roles={int(k): v for k, v in roles.items()},
        coordinated_networks=frozenset(row["coordinated"]),
    )


async def load_identity(user_id: int) -> Identity | None:
    """The identity of an active user, or None."""
    row = await sql.fetch_one(
        f"SELECT {_IDENTITY_COLUMNS} FROM app_user u WHERE u.id = $1 AND u.is_active", user_id
    )
    return _identity(row) if row else None


async def load_identity_noting_use(update_sql: str, *args: object) -> Identity | None:
    """Run `update_sql` — the UPDATE … RETURNING user_id by which a session or API token notes
    its use — and load that user's identity in the same round trip (every request does this)."""
    row = await sql.fetch_one(
        f"""WITH seen AS ({update_sql})
            SELECT {_IDENTITY_COLUMNS} FROM seen JOIN app_user u ON u.id = seen.user_id
            WHERE u.is_active""",
        *args,
    )
    return _identity(row) if row else None
