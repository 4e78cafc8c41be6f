"""Named reads about assets: who may see one, who may manage one, an asset with its parts.

**Visibility — reuse this, do not re-invent it** (catalogue search, availability, asset page):

    from resourcepool.assets.queries import visible_sql, visibility_params
    orgs, networks = visibility_params(identity)          # identity may be None (anonymous)
    rows = await sql.fetch(
        f"SELECT a.* FROM asset a WHERE {visible_sql('a', '$1', '$2')} AND a.kind = $3",
        orgs, networks, kind)

An asset is visible to
  * members (any role) of its owning organisation — in every status;
  * members of an organisation verified in one of the asset's networks, and coordinators of
    one of its networks — when it is `active` or `paused` (draft and retired: owners only);
  * anybody, signed in or not — when it is `active` and one of its networks has
    `public_catalogue` on.
`$orgs` is the identity's organisation ids (bigint[]), `$networks` the networks it coordinates.
"""

from __future__ import annotations

from typing import Any

from resourcepool.accounts.identity import Identity
from resourcepool.db import sql


def visibility_params(identity: Identity | None) -> tuple[list[int], list[int]]:
    """The two arrays `visible_sql` needs: (organisation ids, coordinated network ids)."""
    if identity is None:
        return [], []
    return identity.organisation_ids, sorted(identity.coordinated_networks)


def visible_sql(alias: str = "a", orgs: str = "$1", networks: str = "$2") -> str:
    """SQL condition: the asset row `alias` may be seen (see the module docstring)."""
    return f"""(
        {alias}.organisation_id = ANY({orgs}::bigint[])
        OR ({alias}.status IN ('active', 'paused') AND EXISTS (
              SELECT 1 FROM asset_network vis_an
              WHERE vis_an.asset_id = {alias}.id
                AND (vis_an.network_id = ANY({networks}::bigint[])
                     OR EXISTS (SELECT 1 FROM network_organisation vis_no
                                WHERE vis_no.network_id = vis_an.network_id
                                  AND vis_no.status = 'verified'
                                  AND vis_no.organisation_id = ANY({orgs}::bigint[])))))
        OR ({alias}.status = 'active' AND EXISTS (
              SELECT 1 FROM asset_network vis_pub JOIN network vis_n ON vis_n.id = vis_pub.network_id
              WHERE vis_pub.asset_id = {alias}.id AND vis_n.public_catalogue))
    )"""


def managed_org_ids(identity: Identity | None) -> list[int]:
    """Organisations whose assets this identity may create, edit and retire."""
    return identity.managed_organisation_ids if identity else []


async def visible_asset(identity: Identity | None, asset_id: int) -> dict[str, Any] | None:
    """The asset row if this identity may see it, else None (never says whether it exists)."""
    orgs, networks = visibility_params(identity)
    return await sql.fetch_one(
        f"SELECT a.* FROM asset a WHERE a.id = $3 AND {visible_sql('a', '$1', '$2')}",
        orgs, networks, asset_id,
    )


async def managed_asset(identity: Identity | None, asset_id: int, *, lock: bool = False) -> dict[str, Any] | None:
    """The asset row if this identity manages its owner (optionally locked FOR UPDATE)."""
    return await sql.fetch_one(
        "SELECT * FROM asset WHERE id = $1 AND organisation_id = ANY($2::bigint[])"
        + (" FOR UPDATE" if lock else ""),
        asset_id, managed_org_ids(identity),
    )


async def asset_networks(asset_id: int) -> list[dict[str, Any]]:
    return await sql.fetch(
        """SELECT n.id, n.slug, n.name, n.timezone FROM asset_network an
           JOIN network n ON n.id = an.network_id WHERE an.asset_id = $1 ORDER BY an.id""",
        asset_id,
    )


async def opening_hours(asset_id: int) -> list[dict[str, Any]]:
    return await sql.fetch(
        """SELECT weekday, start_minute, end_minute FROM opening_hours
           WHERE asset_id = $1 ORDER BY weekday, start_minute""",
        asset_id,
    )


async def closures(asset_id: int) -> list[dict[str, Any]]:
    return await sql.fetch(
        """SELECT id, starts_at, ends_at, rrule, reason FROM closure
           WHERE asset_id = $1 ORDER BY starts_at, id""",
        asset_id,
    )


async def has_photo(asset_id: int) -> bool:
    return bool(await sql.fetch_value("SELECT EXISTS (SELECT 1 FROM asset_photo WHERE asset_id = $1)",
                                      asset_id))


async def offerable_networks(organisation_id: int) -> list[dict[str, Any]]:
    """The networks in which the organisation is verified: where it may offer assets."""
    return await sql.fetch(
        """SELECT n.id, n.slug, n.name, n.timezone FROM network_organisation no
           JOIN network n ON n.id = no.network_id
           WHERE no.organisation_id = $1 AND no.status = 'verified' ORDER BY n.id""",
        organisation_id,
    )


async def assets_of(organisation_ids: list[int]) -> list[dict[str, Any]]:
    """The assets of these organisations with their network names, for the managers' list."""
    return await sql.fetch(
        """SELECT a.id, a.organisation_id, a.kind, a.title, a.status, a.district, a.quantity,
                  a.updated_at, o.name AS organisation_name,
                  coalesce((SELECT array_agg(n.name ORDER BY n.name) FROM asset_network an
                            JOIN network n ON n.id = an.network_id WHERE an.asset_id = a.id),
                           '{}') AS network_names
           FROM asset a JOIN organisation o ON o.id = a.organisation_id
           WHERE a.organisation_id = ANY($1::bigint[])
           ORDER BY o.name, a.status = 'retired', a.title""",
        organisation_ids,
    )


async def max_units_held(asset_id: int) -> int:
    """The most units held at any instant by requested/confirmed bookings (buffers included)."""
    value = await sql.fetch_value(
        """WITH edges AS (
               SELECT held_from AS at, quantity AS delta FROM booking
               WHERE asset_id = $1 AND status IN ('requested', 'confirmed')
               UNION ALL
               SELECT held_until, -quantity FROM booking
               WHERE asset_id = $1 AND status IN ('requested', 'confirmed'))
           -- Ends sort before starts at the same instant: the ranges are half-open.
           SELECT coalesce(max(running), 0) FROM (
               SELECT sum(delta) OVER (ORDER BY at, delta) AS running FROM edges) s""",
        asset_id,
    )
    return int(value or 0)
