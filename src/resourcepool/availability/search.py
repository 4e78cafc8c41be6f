"""Catalogue search: filters, full text, and "free for the whole window", paginated exactly.

Free for the whole window [free_from, free_to) means: the asset is active, the window lies
inside its opening hours and outside every closure, and a booking of it would be taken by the
booking service as far as holds go — the units held anywhere in
[free_from − buffer_before, free_to + buffer_after) leave at least `min_quantity` (default 1).

How it stays exact *and* fast — two steps:
1. One SQL statement (availability/search_query.py) applies every filter and decides the free test
   exactly for nearly every asset; those it cannot decide — a window with a clock change inside
   (for assets with hours), pools with enough held units to matter, recurring closures not yet
   stored that far ahead — come back flagged (never dropped: every SQL condition is a
   necessary one).
2. The flagged assets are decided with `availability.rules` (two more statements for all of
   them, after storing the closures that were short). Only then is the list cut into the
   requested page, so `total` is exact.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from resourcepool.accounts.identity import Identity
from resourcepool.assets.queries import visibility_params, visible_sql
from resourcepool.assets.rules import ACCESSIBILITY_FEATURES, KINDS, SECTORS
from resourcepool.availability import rules
from resourcepool.availability.materialise import ensure_covered
from resourcepool.availability.queries import holds_for_assets, rules_for_assets
from resourcepool.availability.search_query import SUMMARY_COLUMNS, build_search
from resourcepool.db import sql
from resourcepool.errors import N_, ValidationFailed
from resourcepool.textrules import check_year, has_control_characters

MAX_FREE_WINDOW_DAYS = 31
MAX_LIMIT = 100
DEFAULT_LIMIT = 20
MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class SearchParams:
    kind: str | None = None
    q: str | None = None
    network: str | None = None
    district: str | None = None
    sector: str | None = None
    min_capacity: int | None = None
    min_quantity: int | None = None
    accessible: tuple[str, ...] = ()
    free_from: datetime | None = None
    free_to: datetime | None = None
    limit: int = DEFAULT_LIMIT
    offset: int = 0

    @property
    def has_window(self) -> bool:
        return self.free_from is not None and self.free_to is not None


@dataclass(frozen=True)
class AssetSummary:
    id: int
    kind: str
    title: str
    status: str
    organisation_id: int
    organisation_name: str
    sector: str
    district: str
    capacity: int | None
    quantity: int
    accessibility: list[str]
    timezone: str
    has_photo: bool
    description: str


@dataclass(frozen=True)
class SearchResult:
    items: list[AssetSummary]
    total: int
    params: SearchParams = field(default_factory=SearchParams)


MAX_NUMBER = 10_000_000


def _nonnegative(name: str, value: int | None, low: int = 0) -> None:
    if value is not None and value < low:
        raise ValidationFailed(N_("Enter a number of at least %(low)s."), field=name, low=low)
    if value is not None and value > MAX_NUMBER:
        raise ValidationFailed(N_("Enter a number from %(low)s to %(high)s."), field=name, low=low,
                               high=MAX_NUMBER)


def check_params(p: SearchParams) -> SearchParams:
    """Refuse what cannot be searched, with a message for the field; returns p cleaned."""
    if p.kind is not None and p.kind not in KINDS:
        raise ValidationFailed(N_("Choose one of the kinds: room, vehicle, device, expertise."),
                               field="kind")
    if p.sector is not None and p.sector not in SECTORS:
        raise ValidationFailed(
            N_("Choose one of the sectors: nonprofit, business, municipality, informal."), field="sector")
    unknown = [f for f in p.accessible if f not in ACCESSIBILITY_FEATURES]
    if unknown:
        raise ValidationFailed(N_("Unknown accessibility feature: %(feature)s."), field="accessible",
                               feature=unknown[0])
    _nonnegative("min_capacity", p.min_capacity)
    _nonnegative("min_quantity", p.min_quantity)
    _nonnegative("offset", p.offset)
    if not 1 <= p.limit <= MAX_LIMIT:
        raise ValidationFailed(N_("The limit must be from 1 to %(max)s."), field="limit", max=MAX_LIMIT)
    if p.q is not None and len(p.q) > MAX_QUERY_LENGTH:
        raise ValidationFailed(N_("At most %(limit)s characters, please."), field="q", limit=MAX_QUERY_LENGTH)
    for name in ("q", "district", "network"):
        # NUL would reach PostgreSQL as a 500; other control characters match nothing anyway.
        text = getattr(p, name)
        if text is not None and has_control_characters(text):
            raise ValidationFailed(N_("This text contains characters that are not allowed."), field=name)
    if (p.free_from is None) != (p.free_to is None):
        raise ValidationFailed(N_("Give both the start and the end of the free time."),
                               field="free_to" if p.free_to is None else "free_from")
    if p.has_window:
        assert p.free_from is not None and p.free_to is not None
        if p.free_from.tzinfo is None or p.free_to.tzinfo is None:
            raise ValidationFailed(N_("Times need a timezone offset."), field="free_from")
        check_year(p.free_from, "free_from")
        check_year(p.free_to, "free_to")
        if p.free_to <= p.free_from:
            raise ValidationFailed(N_("The end must be after the start."), field="free_to")
        if p.free_to - p.free_from > timedelta(days=MAX_FREE_WINDOW_DAYS):
            raise ValidationFailed(N_("The time window may be at most %(days)s days long."),
                                   field="free_to", days=MAX_FREE_WINDOW_DAYS)
    return p


async def _free_among(flagged: list[int], p: SearchParams) -> set[int]:
    """Which of the flagged assets really are free for the window (decided in Python)."""
    assert p.free_from is not None and p.free_to is not None
    start, end = p.free_from, p.free_to
    assets = await rules_for_assets(flagged, start, end)
    short = [a.id for a in assets.values() if a.needs_repair]
    for asset_id in short:
        await ensure_covered(asset_id, end)
    if short:
        assets.update(await rules_for_assets(short, start, end))
    holds: dict[int, list[rules.Hold]] = {}
    for h in await holds_for_assets(flagged, start, end):
        holds.setdefault(h.asset_id, []).append(h.hold)
    need = max(1, p.min_quantity or 1)
    free = set()
    for asset_id, a in assets.items():
        if not rules.is_bookable_span(a.hours, a.busy, a.timezone, start, end):
            continue
        # The booking service weighs held units over the request widened by the buffers.
        held = rules.max_units_held(holds.get(asset_id, []), start - a.buffer_before, end + a.buffer_after)
        if held <= a.quantity - need:
            free.add(asset_id)
    return free


# The timezones assets are in: a loose index scan (one index probe per zone, not per asset).
_ZONES = """
    WITH RECURSIVE zone AS (
        SELECT min(timezone) AS tz FROM asset_catalogue
        UNION ALL
        SELECT (SELECT min(c.timezone) FROM asset_catalogue c WHERE c.timezone > zone.tz)
        FROM zone WHERE zone.tz IS NOT NULL)
    SELECT coalesce(array_agg(tz), '{}') FROM zone WHERE tz IS NOT NULL"""


async def _windows(p: SearchParams) -> dict[str, rules.WallWindow]:
    """The window in every timezone assets are in (read in their own zone)."""
    if not p.has_window:
        return {}
    assert p.free_from is not None and p.free_to is not None
    zones = await sql.fetch_value(_ZONES)
    return {tz: rules.wall_window(tz, p.free_from, p.free_to) for tz in zones}


def _statement(identity: Identity | None, p: SearchParams,
               windows: dict[str, rules.WallWindow]) -> tuple[str, list[Any]]:
    orgs, networks = visibility_params(identity)
    return build_search(p, orgs, networks, windows)


_SUMMARY = f"""
    SELECT {SUMMARY_COLUMNS}
    FROM asset a JOIN organisation org ON org.id = a.organisation_id
    WHERE a.id = ANY($1::bigint[])
"""


async def search_assets(identity: Identity | None, params: SearchParams) -> SearchResult:
    """Assets the identity may see that match the filters: one page and the exact total."""
    p = check_params(params)
    query, args = _statement(identity, p, await _windows(p))
    row = await sql.fetch_one(query, *args)
    assert row is not None
    total, head, flagged = row["total"], list(row["head"]), list(row["flagged"])
    if flagged:
        busy = set(flagged) - await _free_among(flagged, p)
        head = [i for i in head if i not in busy]
        total -= len(busy)
    page = head[p.offset:p.offset + p.limit]
    if row["cards"] is not None:
        cards = json.loads(row["cards"]) if isinstance(row["cards"], str) else row["cards"]
    else:
        cards = await sql.fetch(_SUMMARY, page) if page else []
    by_id = {c["id"]: c for c in cards or []}
    items = [AssetSummary(**{**by_id[i], "accessibility": list(by_id[i]["accessibility"] or [])})
             for i in page if i in by_id]
    return SearchResult(items, total, p)


_EXPLAIN_OPTIONS = {"ANALYZE, BUFFERS", "ANALYZE, TIMING OFF, FORMAT JSON", "FORMAT JSON"}


async def explain_search(identity: Identity | None, params: SearchParams,
                         options: str = "ANALYZE, BUFFERS") -> str:
    """EXPLAIN (`options`) of the main search statement (for the benchmark)."""
    if options not in _EXPLAIN_OPTIONS:
        raise ValueError(options)
    p = check_params(params)
    query, args = _statement(identity, p, await _windows(p))
    rows = await sql.fetch(f"EXPLAIN ({options}) " + query, *args)
    if "JSON" in options:
        plan = rows[0]["QUERY PLAN"]
        return plan if isinstance(plan, str) else json.dumps(plan)
    return "\n".join(r["QUERY PLAN"] for r in rows)


async def visible_networks(identity: Identity | None) -> list[dict[str, Any]]:
    """Networks whose catalogue the identity may browse: its organisations' (verified),
    the ones it coordinates, and those with a public catalogue."""
    orgs, networks = visibility_params(identity)
    return await sql.fetch(
        """SELECT n.id, n.slug, n.name, n.timezone FROM network n
           WHERE n.public_catalogue OR n.id = ANY($2::bigint[])
              OR EXISTS (SELECT 1 FROM network_organisation no WHERE no.network_id = n.id
                         AND no.status = 'verified' AND no.organisation_id = ANY($1::bigint[]))
           ORDER BY n.name""",
        orgs, networks,
    )


async def known_districts(identity: Identity | None) -> list[str]:
    """Districts of the assets the identity may see (for suggestions in the filter)."""
    orgs, networks = visibility_params(identity)
    rows = await sql.fetch(
        f"""SELECT DISTINCT a.district FROM asset a
            WHERE a.district <> '' AND a.status IN ('active', 'paused') AND {visible_sql('a', '$1', '$2')}
            ORDER BY a.district LIMIT 200""",
        orgs, networks,
    )
    return [r["district"] for r in rows]


async def owner_of(organisation_id: int) -> dict[str, Any] | None:
    """The public face of an asset's owner: name, sector, district."""
    return await sql.fetch_one("SELECT id, name, sector, district FROM organisation WHERE id = $1",
                               organisation_id)
