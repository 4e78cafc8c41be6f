"""Named reads for availability: an asset's rules in one statement, holds by the GiST index.

Holding bookings are found with exactly the expressions of the `booking_asset_span` index
(`int8range(asset_id, asset_id, '[]')`, `tstzrange(held_from, held_until, '[)')`, partial on
the holding statuses) — a plain `asset_id = $1` would not use it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Sequence

from resourcepool.accounts.identity import Identity
from resourcepool.assets.queries import visibility_params, visible_sql
from resourcepool.availability.rules import ClosureRule, Hold, WeeklyHours
from resourcepool.db import sql

HOLDING_STATUSES = ("requested", "confirmed")

HOLDS_OVERLAPPING_SQL = """
    int8range({a}.asset_id, {a}.asset_id, '[]') = int8range({id}, {id}, '[]')
    AND tstzrange({a}.held_from, {a}.held_until, '[)') && tstzrange({start}, {end}, '[)')
    AND {a}.status IN ('requested', 'confirmed')
"""


def holds_overlapping_sql(alias: str, asset_id: str, start: str, end: str) -> str:
    """SQL condition: booking `alias` holds asset `asset_id` somewhere in [start, end)."""
    return HOLDS_OVERLAPPING_SQL.format(a=alias, id=asset_id, start=start, end=end)


@dataclass(frozen=True)
class AssetRules:
    """What availability needs to know about one asset."""

    id: int
    organisation_id: int
    title: str
    kind: str
    status: str
    timezone: str
    quantity: int
    min_duration_minutes: int
    slot_minutes: int
    buffer_before_minutes: int
    buffer_after_minutes: int
    hours: tuple[WeeklyHours, ...]
    closures: tuple[ClosureRule, ...]

    @property
    def buffer_before(self) -> timedelta:
        return timedelta(minutes=self.buffer_before_minutes)

    @property
    def buffer_after(self) -> timedelta:
        return timedelta(minutes=self.buffer_after_minutes)

    @property
    def bookable(self) -> bool:
        """Only active assets take bookings (the booking service refuses the others)."""
        return self.status == "active"


def _closure(row: dict[str, Any]) -> ClosureRule:
    return ClosureRule(
        datetime.fromisoformat(row["starts_at"]),
        datetime.fromisoformat(row["ends_at"]),
        row.get("rrule") or None,
    )


def _rules(row: dict[str, Any]) -> AssetRules:
    hours = row["hours"]
    closures = row["closures"]
    if isinstance(hours, str):
        hours = json.loads(hours)
    if isinstance(closures, str):
        closures = json.loads(closures)
    return AssetRules(
        id=row["id"],
        organisation_id=row["organisation_id"],
        title=row["title"],
        kind=row["kind"],
        status=row["status"],
        timezone=row["timezone"],
        quantity=row["quantity"],
        min_duration_minutes=row["min_duration_minutes"],
        slot_minutes=row["slot_minutes"],
        buffer_before_minutes=row["buffer_before_minutes"],
        buffer_after_minutes=row["buffer_after_minutes"],
        hours=tuple(WeeklyHours(h[0], h[1], h[2]) for h in hours),
        closures=tuple(_closure(c) for c in closures),
    )


# Closures that may touch [start, end): one-offs overlapping it, recurring ones begun before its end.
_RULES_COLUMNS = """
    a.id, a.organisation_id, a.title, a.kind, a.status, a.timezone, a.quantity,
    a.min_duration_minutes, a.slot_minutes, a.buffer_before_minutes, a.buffer_after_minutes,
    coalesce((SELECT json_agg(json_build_array(h.weekday, h.start_minute, h.end_minute)
                              ORDER BY h.weekday, h.start_minute)
              FROM opening_hours h WHERE h.asset_id = a.id), '[]') AS hours,
    coalesce((SELECT json_agg(json_build_object(
                  'starts_at', c.starts_at, 'ends_at', c.ends_at,
                  'rrule', c.rrule) ORDER BY c.starts_at)
              FROM closure c
              WHERE c.asset_id = a.id AND c.starts_at < {end}
                AND (c.rrule IS NOT NULL OR c.ends_at > {start})), '[]') AS closures
"""


async def visible_asset_rules(
    identity: Identity | None, asset_id: int, start: datetime, end: datetime
) -> AssetRules | None:
    """The asset's hours and the closures touching [start, end), if the identity may see it."""
    orgs, networks = visibility_params(identity)
    row = await sql.fetch_one(
        f"""SELECT {_RULES_COLUMNS.format(start='$4', end='$5')}
            FROM asset a WHERE a.id = $3 AND {visible_sql('a', '$1', '$2')}""",
        orgs, networks, asset_id, start, end,
    )
    return _rules(row) if row else None


async def rules_for_assets(asset_ids: Sequence[int], start: datetime, end: datetime) -> dict[int, AssetRules]:
    """Hours and closures of several assets (already known to be visible), one statement."""
    if not asset_ids:
        return {}
    rows = await sql.fetch(
        f"SELECT {_RULES_COLUMNS.format(start='$2', end='$3')} FROM asset a WHERE a.id = ANY($1::bigint[])",
        list(asset_ids), start, end,
    )
    return {r["id"]: _rules(r) for r in rows}


@dataclass(frozen=True)
class HoldRow:
    asset_id: int
    organisation_id: int
    hold: Hold


async def holds_for_assets(asset_ids: Sequence[int], start: datetime, end: datetime) -> list[HoldRow]:
    """Holding bookings (requested/confirmed, buffers included) that can bar a booking inside
    [start, end): those overlapping it widened by each asset's own buffers, as the booking
    service widens a new booking (see rules.guarded_holds).

    One index probe per asset through a LATERAL join, so the GiST index serves each id.
    """
    if not asset_ids:
        return []
    lo = "$2::timestamptz - a.buffer_before_minutes * interval '1 minute'"
    hi = "$3::timestamptz + a.buffer_after_minutes * interval '1 minute'"
    rows = await sql.fetch(
        f"""SELECT a.id AS asset_id, b.organisation_id, b.held_from, b.held_until, b.quantity
            FROM asset a
            CROSS JOIN LATERAL (
                SELECT b.organisation_id, b.held_from, b.held_until, b.quantity FROM booking b
                WHERE {holds_overlapping_sql('b', 'a.id', lo, hi)}
            ) b
            WHERE a.id = ANY($1::bigint[])
            ORDER BY a.id, b.held_from""",
        list(asset_ids), start, end,
    )
    return [
        HoldRow(r["asset_id"], r["organisation_id"], Hold(r["held_from"], r["held_until"], r["quantity"]))
        for r in rows
    ]
