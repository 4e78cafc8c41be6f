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
from resourcepool import clock
from resourcepool.availability.materialise import MARGIN_DAYS
from resourcepool.availability.rules import Hold, Interval, WeeklyHours
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
    # Busy times overlapping the window asked for, merged (not clipped): closure occurrences,
    # and times imported from the asset's external calendar.
    closed: tuple[Interval, ...] = ()
    external: tuple[Interval, ...] = ()
    # Recurring closures not yet stored as far as the window needs (materialise.ensure_covered).
    needs_repair: bool = False

    @property
    def busy(self) -> tuple[Interval, ...]:
        return self.closed + self.external

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


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _busy(pieces: list[list[str]], source: str) -> tuple[Interval, ...]:
    return tuple(Interval(datetime.fromisoformat(p[1]), datetime.fromisoformat(p[2]))
                 for p in pieces if p[0] == source)


def _rules(row: dict[str, Any]) -> AssetRules:
    hours = _json(row["hours"])
    busy = _json(row["busy"])
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
        closed=_busy(busy, "closure"),
        external=_busy(busy, "external"),
        needs_repair=row["needs_repair"],
    )


BUSY_OVERLAPPING_SQL = """
    int8range({b}.asset_id, {b}.asset_id, '[]') = int8range({id}, {id}, '[]')
    AND tstzrange({b}.starts_at, {b}.ends_at, '[)') && tstzrange({start}, {end}, '[)')
"""


def busy_overlapping_sql(alias: str, asset_id: str, start: str, end: str) -> str:
    """SQL condition: busy row `alias` (asset_busy) of asset `asset_id` meets [start, end) —
    the expressions of the `asset_busy_asset_span` index."""
    return BUSY_OVERLAPPING_SQL.format(b=alias, id=asset_id, start=start, end=end)


# Whether the asset's recurring closures are stored up to `end`, as far as they are ever stored
# ahead (the booking horizon plus materialise.MARGIN_DAYS).
NEEDS_REPAIR_SQL = """
    coalesce((SELECT min(c.materialised_until) FROM closure c
              WHERE c.asset_id = {a}.id AND c.rrule IS NOT NULL), 'infinity')
        < least({end}::timestamptz, {now}::timestamptz + ({a}.horizon_days + {margin}) * interval '1 day')
"""

# The busy times meeting [start, end), merged per source in SQL: however many rows there are,
# Python gets the few disjoint stretches.
_RULES_COLUMNS = """
    a.id, a.organisation_id, a.title, a.kind, a.status, a.timezone, a.quantity,
    a.min_duration_minutes, a.slot_minutes, a.buffer_before_minutes, a.buffer_after_minutes,
    coalesce((SELECT json_agg(json_build_array(h.weekday, h.start_minute, h.end_minute)
                              ORDER BY h.weekday, h.start_minute)
              FROM opening_hours h WHERE h.asset_id = a.id), '[]') AS hours,
    (SELECT coalesce(json_agg(json_build_array(m.source, lower(m.r), upper(m.r)) ORDER BY lower(m.r)), '[]')
     FROM (SELECT b.source, unnest(range_agg(tstzrange(b.starts_at, b.ends_at, '[)'))) AS r
           FROM asset_busy b WHERE {busy}
           GROUP BY b.source) m) AS busy,
    {needs_repair} AS needs_repair
"""


def _rules_columns(start: str, end: str, now: str) -> str:
    return _RULES_COLUMNS.format(
        busy=busy_overlapping_sql("b", "a.id", start, end),
        needs_repair=NEEDS_REPAIR_SQL.format(a="a", end=end, now=now, margin=MARGIN_DAYS))


async def visible_asset_rules(
    identity: Identity | None, asset_id: int, start: datetime, end: datetime
) -> AssetRules | None:
    """The asset's hours and the busy times meeting [start, end), if the identity may see it."""
    orgs, networks = visibility_params(identity)
    row = await sql.fetch_one(
        f"""SELECT {_rules_columns('$4', '$5', '$6')}
            FROM asset a WHERE a.id = $3 AND {visible_sql('a', '$1', '$2')}""",
        orgs, networks, asset_id, start, end, clock.now(),
    )
    return _rules(row) if row else None


async def rules_for_assets(asset_ids: Sequence[int], start: datetime, end: datetime) -> dict[int, AssetRules]:
    """Hours and busy times of several assets (already known to be visible), one statement."""
    if not asset_ids:
        return {}
    rows = await sql.fetch(
        f"SELECT {_rules_columns('$2', '$3', '$4')} FROM asset a WHERE a.id = ANY($1::bigint[])",
        list(asset_ids), start, end, clock.now(),
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
