"""Use cases of managing assets: create, update, pause, activate, retire; the asset as a dict.

Only managers of the owning organisation change an asset; the check is part of every query
(`organisation_id = ANY(<managed organisations>)`), not only of the endpoint.
"""

from __future__ import annotations

from typing import Any

import asyncpg

from resourcepool import clock
from resourcepool.accounts.identity import Identity
from resourcepool.assets import queries, rules
from resourcepool.db import sql
from resourcepool.db.engine import DB
from resourcepool.errors import N_, Conflict, Forbidden, NotFound, ValidationFailed

ASSET_COLUMNS = (*rules.COMMON_FIELDS, *rules.ALL_KIND_FIELDS, *rules.POLICY_FIELDS)


async def _refuse(identity: Identity | None, asset_id: int) -> None:
    """Raise the right error for an asset this identity may not manage."""
    if await queries.visible_asset(identity, asset_id):
        raise Forbidden(N_("Only managers of the owning organisation may change this asset."))
    raise NotFound(N_("There is no such asset."))


async def _managed(identity: Identity | None, asset_id: int) -> dict[str, Any]:
    row = await queries.managed_asset(identity, asset_id, lock=True)
    if row is None:
        await _refuse(identity, asset_id)
    return row  # type: ignore[return-value]


async def _resolve_networks(organisation_id: int, slugs: list[str] | None) -> list[dict[str, Any]]:
    """The networks to offer in: the given slugs (each verified for the owner), else all of them."""
    offerable = await queries.offerable_networks(organisation_id)
    if not offerable:
        # Whatever networks were asked for: an organisation verified nowhere offers nothing.
        raise Forbidden(N_("Your organisation must be verified in a network before it can offer assets."))
    if slugs is None:
        return offerable
    if not isinstance(slugs, list) or not all(isinstance(s, str) for s in slugs):
        raise ValidationFailed(N_("Choose the networks by their short names."), field="networks")
    by_slug = {n["slug"]: n for n in offerable}
    chosen = []
    for slug in dict.fromkeys(slugs):
        if slug not in by_slug:
            raise ValidationFailed(
                N_("Your organisation is not verified in the network %(slug)s."), field="networks",
                slug=slug[:64])
        chosen.append(by_slug[slug])
    if not chosen:
        raise ValidationFailed(N_("Offer the asset in at least one network."), field="networks")
    return chosen


async def _write_networks(asset_id: int, networks: list[dict[str, Any]]) -> None:
    await sql.execute("DELETE FROM asset_network WHERE asset_id = $1", asset_id)
    for network in networks:
        await sql.execute("INSERT INTO asset_network (asset_id, network_id) VALUES ($1, $2)",
                          asset_id, network["id"])
    await sql.execute("UPDATE asset SET timezone = $2 WHERE id = $1", asset_id, networks[0]["timezone"])


async def write_opening_hours(asset_id: int, hours: list[tuple[int, int, int]]) -> None:
    """Replace the weekly hours (already cleaned by rules.clean_opening_hours)."""
    await sql.execute("DELETE FROM opening_hours WHERE asset_id = $1", asset_id)
    for weekday, start, end in hours:
        await sql.execute(
            "INSERT INTO opening_hours (asset_id, weekday, start_minute, end_minute) VALUES ($1, $2, $3, $4)",
            asset_id, weekday, start, end)


def _database_error(exc: asyncpg.PostgresError) -> Exception:
    if isinstance(exc, asyncpg.ExclusionViolationError):
        return Conflict(N_("Bookings overlap; the asset cannot be changed like this."), field="quantity")
    if isinstance(exc, asyncpg.CharacterNotInRepertoireError):
        return ValidationFailed(N_("This text contains characters that are not allowed."))
    if isinstance(exc, (asyncpg.CheckViolationError, asyncpg.NotNullViolationError, asyncpg.DataError)):
        return ValidationFailed(N_("A value is outside the allowed range."))
    return exc


async def create_asset(identity: Identity | None, data: dict[str, Any]) -> dict[str, Any]:
    """Create an asset for an organisation the identity manages; return it as get_asset does.

    `data`: organisation_id, kind, title, the other common/kind/policy fields (flat),
    `status` (draft or active, default active), `networks` (slugs; default all verified),
    `opening_hours` ([(weekday, "HH:MM", "HH:MM")]; none = always open).
    """
    data = dict(data)
    organisation_id = data.pop("organisation_id", None)
    if isinstance(organisation_id, bool) or not isinstance(organisation_id, int):
        raise ValidationFailed(N_("Choose the organisation that owns the asset."), field="organisation_id")
    if identity is None or not identity.is_manager_of(organisation_id):
        raise Forbidden(N_("Only managers of an organisation may add assets for it."),
                        field="organisation_id")
    kind = rules.check_kind(data.pop("kind", None))
    status = data.pop("status", None) or "active"
    if status not in ("draft", "active"):
        raise ValidationFailed(N_("A new asset is either a draft or active."), field="status")
    slugs = data.pop("networks", None)
    hours = rules.clean_opening_hours(data.pop("opening_hours", None) or [])
    if "title" not in data:
        raise ValidationFailed(N_("Give the asset a title."), field="title")
    fields = {**rules.policy_defaults(kind), **rules.clean_fields(kind, data)}
    rules.check_policy(fields)
    try:
        async with DB.transaction():
            # Re-checked inside the query: the identity could be stale.
            allowed = await sql.fetch_value(
                "SELECT EXISTS (SELECT 1 FROM membership WHERE user_id = $1 AND organisation_id = $2 AND role = 'manager')",
                identity.user_id, organisation_id)
            if not allowed:
                raise Forbidden(N_("Only managers of an organisation may add assets for it."))
            networks = await _resolve_networks(organisation_id, slugs)
            columns = ["organisation_id", "kind", "status", *fields]
            values = [organisation_id, kind, status, *fields.values()]
            marks = ", ".join(f"${i}" for i in range(1, len(values) + 1))
            asset_id = await sql.fetch_value(
                f"INSERT INTO asset ({', '.join(columns)}) VALUES ({marks}) RETURNING id", *values)
            await _write_networks(asset_id, networks)
            await write_opening_hours(asset_id, hours)
    except asyncpg.PostgresError as exc:
        raise _database_error(exc) from exc
    return await get_asset(identity, asset_id)


async def _apply_quantity(asset_id: int, quantity: int) -> None:
    """Keep the booking invariant when the number of units changes (asset row is locked)."""
    held = await queries.max_units_held(asset_id)
    if held > quantity:
        raise Conflict(
            N_("Bookings hold %(held)s units at the same time; the quantity cannot go below that."),
            field="quantity", held=held)
    # The exclusion constraint guards single units; several units are guarded by the sum check.
    await sql.execute(
        """UPDATE booking SET exclusive = $2
           WHERE asset_id = $1 AND status IN ('requested', 'confirmed') AND exclusive <> $2""",
        asset_id, quantity == 1)


async def update_asset(identity: Identity | None, asset_id: int, changes: dict[str, Any]) -> dict[str, Any]:
    """Change some fields (any subset, incl. `status`, `networks`, `opening_hours`)."""
    changes = dict(changes)
    if "kind" in changes:
        raise ValidationFailed(N_("The kind of an asset cannot be changed."), field="kind")
    if "organisation_id" in changes:
        raise ValidationFailed(N_("The owner of an asset cannot be changed."), field="organisation_id")
    try:
        async with DB.transaction():
            current = await _managed(identity, asset_id)
            status = changes.pop("status", None)
            if status is not None:
                rules.check_transition(current["status"], status)
            slugs = changes.pop("networks", None)
            hours = changes.pop("opening_hours", None)
            fields = rules.clean_fields(current["kind"], changes)
            merged = {**current, **fields}
            rules.check_policy(merged)
            if status is not None and status != current["status"]:
                await _check_status_change(asset_id, status)
                fields["status"] = status
            if "quantity" in fields and fields["quantity"] != current["quantity"]:
                await _apply_quantity(asset_id, fields["quantity"])
            if fields:
                sets = ", ".join(f"{name} = ${i}" for i, name in enumerate(fields, start=2))
                await sql.execute(
                    f"UPDATE asset SET {sets}, updated_at = now() WHERE id = $1", asset_id, *fields.values())
            if slugs is not None:
                await _write_networks(asset_id, await _resolve_networks(current["organisation_id"], slugs))
            if hours is not None:
                await write_opening_hours(asset_id, rules.clean_opening_hours(hours))
    except asyncpg.PostgresError as exc:
        raise _database_error(exc) from exc
    return await get_asset(identity, asset_id)


async def _check_status_change(asset_id: int, status: str) -> None:
    if status == "retired":
        # clock.now(), not the database's now(): the one clock tests and the app agree on.
        future = await sql.fetch_value(
            """SELECT count(*) FROM booking WHERE asset_id = $1
               AND status IN ('requested', 'confirmed') AND ends_at > $2""", asset_id, clock.now())
        if future:
            raise Conflict(N_("%(count)s bookings are still to come; cancel them before retiring the asset."),
                           field="status", count=future)
    if status == "active":
        offered = await sql.fetch_value("SELECT count(*) FROM asset_network WHERE asset_id = $1", asset_id)
        if not offered:
            raise ValidationFailed(N_("Offer the asset in at least one network."), field="networks")


async def change_status(identity: Identity | None, asset_id: int, status: str) -> dict[str, Any]:
    return await update_asset(identity, asset_id, {"status": status})


async def pause_asset(identity: Identity | None, asset_id: int) -> dict[str, Any]:
    """No new bookings for now; the existing ones stay."""
    return await change_status(identity, asset_id, "paused")


async def activate_asset(identity: Identity | None, asset_id: int) -> dict[str, Any]:
    return await change_status(identity, asset_id, "active")


async def retire_asset(identity: Identity | None, asset_id: int) -> dict[str, Any]:
    """For good: only when no bookings are still to come."""
    return await change_status(identity, asset_id, "retired")


async def get_asset(identity: Identity | None, asset_id: int) -> dict[str, Any]:
    """The asset with networks, opening hours, closures and policy, if the identity may see it.

    `usage_instructions` only reach members of the owner (bookers get them with a confirmed
    booking from the booking service); `can_manage` says whether the identity may edit.
    """
    row = await queries.visible_asset(identity, asset_id)
    if row is None:
        raise NotFound(N_("There is no such asset."))
    row.pop("search_document", None)
    is_owner = identity is not None and identity.is_member_of(row["organisation_id"])
    if not is_owner:
        row["usage_instructions"] = None
    row["can_manage"] = identity is not None and identity.is_manager_of(row["organisation_id"])
    row["networks"] = await queries.asset_networks(asset_id)
    row["opening_hours"] = await queries.opening_hours(asset_id)
    row["closures"] = await queries.closures(asset_id)
    row["has_photo"] = await queries.has_photo(asset_id)
    return row


async def get_managed_asset(identity: Identity | None, asset_id: int) -> dict[str, Any]:
    """The asset as get_asset returns it, for a manager of its owner only (edit pages)."""
    if await queries.managed_asset(identity, asset_id) is None:
        await _refuse(identity, asset_id)
    asset = await get_asset(identity, asset_id)
    asset["offerable_networks"] = await queries.offerable_networks(asset["organisation_id"])
    return asset
