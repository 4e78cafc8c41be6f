"""Catalogue search: filters, full text, and "free for the whole window", paginated exactly.

Free for the whole window [free_from, free_to) means: the asset is active, the window lies
inside its opening hours and outside every closure, and at every instant of it the units held
by holding bookings leave at least `min_quantity` (default 1) units free.

How it stays exact *and* fast — two steps:
1. One SQL statement applies every filter and decides the free test for the common case
   exactly: one-off closures, single-unit holds through the GiST index, opening hours when
   the window lies within one local day without a clock change (covered by the union of
   that weekday's intervals). Rows it cannot decide in SQL — windows over midnight or a
   switch, recurring closures, multi-unit assets with enough held units to matter — come
   back flagged `needs_check` (never dropped: every SQL condition is a necessary one).
2. The flagged rows are decided with `availability.rules` (two more statements for all of
   them). Only then is the list cut into the requested page, so `total` is exact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from resourcepool.accounts.identity import Identity
from resourcepool.assets.queries import visibility_params, visible_sql
from resourcepool.assets.rules import ACCESSIBILITY_FEATURES, KINDS, SECTORS
from resourcepool.availability import rules
from resourcepool.availability.queries import holds_for_assets, holds_overlapping_sql, rules_for_assets
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


_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def _prefix_query(q: str) -> str | None:
    """`bea & pro:*`-style tsquery text from the words of q (safe: only word characters)."""
    words = [w.lower() for w in _WORD.findall(q)][:8]
    return " & ".join(f"{w}:*" for w in words) or None


def _like(q: str) -> str:
    return "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class _Sql:
    """Collects parameters so placeholders stay numbered correctly."""

    def __init__(self) -> None:
        self.args: list[Any] = []

    def __call__(self, value: Any) -> str:
        self.args.append(value)
        return f"${len(self.args)}"


# Local-time facts of the window per asset (its own timezone): weekday, minutes, and whether the
# window is one stretch of wall-clock time inside one local day (no clock change within).
_LOCAL = """
CROSS JOIN LATERAL (SELECT ({f}::timestamptz AT TIME ZONE a.timezone) AS ls,
                           ({t}::timestamptz AT TIME ZONE a.timezone) AS le) l1
CROSS JOIN LATERAL (SELECT
    extract(isodow FROM l1.ls)::int - 1 AS wd,
    extract(epoch FROM l1.ls - date_trunc('day', l1.ls)) / 60.0 AS s,
    extract(epoch FROM l1.le - date_trunc('day', l1.ls)) / 60.0 AS e,
    extract(epoch FROM l1.le - l1.ls) = extract(epoch FROM {t}::timestamptz - {f}::timestamptz)
      AND l1.le <= date_trunc('day', l1.ls) + interval '1 day' AS simple) l2
"""

_HAS_HOURS = "EXISTS (SELECT 1 FROM opening_hours h0 WHERE h0.asset_id = a.id)"
# The window's first instant is open (necessary for every window).
_START_OPEN = """EXISTS (SELECT 1 FROM opening_hours h1 WHERE h1.asset_id = a.id AND h1.weekday = l2.wd
                        AND h1.start_minute <= l2.s AND l2.s < h1.end_minute)"""
# [s, e) covered by the union of the weekday's intervals: s is covered and no interval ends
# inside (s, e) without another one continuing it.
_COVERED = """(""" + _START_OPEN + """
    AND NOT EXISTS (SELECT 1 FROM opening_hours h2 WHERE h2.asset_id = a.id AND h2.weekday = l2.wd
                    AND h2.end_minute > l2.s AND h2.end_minute < l2.e
                    AND NOT EXISTS (SELECT 1 FROM opening_hours h3 WHERE h3.asset_id = a.id
                                    AND h3.weekday = l2.wd AND h3.start_minute <= h2.end_minute
                                    AND h3.end_minute > h2.end_minute)))"""


# The longest buffers of any asset bound the held spans that can matter to a window, so one
# scan of the `booking_held_span` index finds them all; each asset's own buffers then decide.
_MAX_BEFORE = "(SELECT coalesce(max(mb.buffer_before_minutes), 0) FROM asset mb) * interval '1 minute'"
_MAX_AFTER = "(SELECT coalesce(max(ma.buffer_after_minutes), 0) FROM asset ma) * interval '1 minute'"


def _free_conditions(p: SearchParams, arg: _Sql, need: str) -> tuple[str, str, str]:
    """(join, where, needs_check) SQL for the free-window test."""
    f, t = arg(p.free_from), arg(p.free_to)
    # A booking of the window would hold [free_from − buffer_before, free_to + buffer_after)
    # of its asset; the booking service refuses it when that meets another held span.
    lo = f"({f}::timestamptz - a.buffer_before_minutes * interval '1 minute')"
    hi = f"({t}::timestamptz + a.buffer_after_minutes * interval '1 minute')"
    hold_q1 = holds_overlapping_sql("b", "a.id", lo, hi)
    held_sum = f"""(SELECT coalesce(sum(b.quantity), 0) FROM booking b WHERE {hold_q1})"""
    where = f"""
        a.status = 'active'
        AND a.quantity >= {need}
        AND NOT EXISTS (SELECT 1 FROM closure c WHERE c.asset_id = a.id AND c.rrule IS NULL
                        AND c.starts_at < {t}::timestamptz AND c.ends_at > {f}::timestamptz)
        AND (a.quantity > 1 OR NOT EXISTS (
                 SELECT 1 FROM booking b
                 WHERE b.asset_id = a.id AND b.status IN ('requested', 'confirmed')
                   AND tstzrange(b.held_from, b.held_until, '[)')
                       && tstzrange({f}::timestamptz - {_MAX_BEFORE}, {t}::timestamptz + {_MAX_AFTER}, '[)')
                   AND b.held_from < {hi} AND b.held_until > {lo}))
        AND (NOT {_HAS_HOURS} OR (CASE WHEN l2.simple THEN {_COVERED} ELSE {_START_OPEN} END))"""
    needs_check = f"""(
        ({_HAS_HOURS} AND NOT l2.simple)
        OR EXISTS (SELECT 1 FROM closure c WHERE c.asset_id = a.id AND c.rrule IS NOT NULL
                   AND c.starts_at < {t}::timestamptz)
        OR (a.quantity > 1 AND {held_sum} > a.quantity - {need}))"""
    return _LOCAL.format(f=f, t=t), where, needs_check


def _build(identity: Identity | None, p: SearchParams) -> tuple[str, list[Any]]:
    arg = _Sql()
    orgs, networks = visibility_params(identity)
    o_arg, n_arg = arg(orgs), arg(networks)
    where = [visible_sql("a", o_arg, n_arg)]
    # Candidates come from the networks the identity may browse (plus its own assets), so the
    # plan starts from those assets instead of testing every asset of the deployment.
    slug = f" AND n.slug = {arg(p.network)}" if p.network else ""
    candidates = f"""
        SELECT an.asset_id AS id FROM asset_network an
        WHERE an.network_id IN (
            SELECT n.id FROM network n
            WHERE (n.public_catalogue OR n.id = ANY({n_arg}::bigint[])
                   OR EXISTS (SELECT 1 FROM network_organisation no WHERE no.network_id = n.id
                              AND no.status = 'verified' AND no.organisation_id = ANY({o_arg}::bigint[]))){slug})
        UNION
        SELECT a0.id FROM asset a0 WHERE a0.organisation_id = ANY({o_arg}::bigint[])"""
    rank = ""
    join = ""
    needs_check = "false"
    if p.kind:
        where.append(f"a.kind = {arg(p.kind)}")
    if p.q and p.q.strip():
        q = p.q.strip()
        ts = f"(websearch_to_tsquery('german', {arg(q)}) || websearch_to_tsquery('english', ${len(arg.args)}))"
        prefix = _prefix_query(q)
        alternatives = [f"a.search_document @@ {ts}"]
        if prefix:
            alternatives.append(f"a.search_document @@ to_tsquery('simple', {arg(prefix)})")
        if len(q) < 4:
            alternatives.append(f"a.title ILIKE {arg(_like(q))}")
        where.append("(" + " OR ".join(alternatives) + ")")
        rank = f"ts_rank_cd(a.search_document, {ts}) DESC, "
    if p.network:
        where.append(f"""EXISTS (SELECT 1 FROM asset_network an JOIN network n ON n.id = an.network_id
                                 WHERE an.asset_id = a.id AND n.slug = {arg(p.network)})""")
    if p.district and p.district.strip():
        where.append(f"lower(a.district) = lower({arg(p.district.strip())})")
    if p.sector:
        where.append(f"o.sector = {arg(p.sector)}")
    if p.min_capacity:
        where.append(f"a.capacity >= {arg(p.min_capacity)}")
    if p.accessible:
        where.append(f"a.accessibility @> {arg(list(p.accessible))}::text[]")
    if p.min_quantity and not p.has_window:
        where.append(f"a.quantity >= {arg(p.min_quantity)}")
    if p.has_window:
        need = arg(max(1, p.min_quantity or 1)) + "::int"
        join, free_where, needs_check = _free_conditions(p, arg, need)
        where.append(free_where)
    else:
        # Without a window the catalogue lists what can be booked or will be again.
        where.append("a.status IN ('active', 'paused')")
    query = f"""
        WITH candidate AS ({candidates})
        SELECT a.id, {needs_check} AS needs_check
        FROM candidate JOIN asset a ON a.id = candidate.id JOIN organisation o ON o.id = a.organisation_id
        {join}
        WHERE {' AND '.join(where)}
        ORDER BY {rank}lower(a.title), a.id"""
    return query, arg.args


async def _decide(rows: list[dict[str, Any]], p: SearchParams) -> list[int]:
    """The ids, in order, of candidate rows that really are free for the window."""
    flagged = [r["id"] for r in rows if r["needs_check"]]
    if not flagged:
        return [r["id"] for r in rows]
    assert p.free_from is not None and p.free_to is not None
    start, end = p.free_from, p.free_to
    assets = await rules_for_assets(flagged, start, end)
    holds: dict[int, list[rules.Hold]] = {}
    for h in await holds_for_assets(flagged, start, end):
        holds.setdefault(h.asset_id, []).append(h.hold)
    need = max(1, p.min_quantity or 1)
    free_ids = set()
    for asset_id, a in assets.items():
        if not rules.is_bookable_span(a.hours, a.closures, a.timezone, start, end):
            continue
        # The booking service weighs held units over the request widened by the buffers.
        held = rules.max_units_held(holds.get(asset_id, []), start - a.buffer_before, end + a.buffer_after)
        if held > a.quantity - need:
            continue
        free_ids.add(asset_id)
    return [r["id"] for r in rows if not r["needs_check"] or r["id"] in free_ids]


_SUMMARY = """
    SELECT a.id, a.kind, a.title, a.status, a.organisation_id, o.name AS organisation_name,
           o.sector, a.district, a.capacity, a.quantity, a.accessibility, a.timezone,
           left(a.description, 300) AS description,
           EXISTS (SELECT 1 FROM asset_photo ph WHERE ph.asset_id = a.id) AS has_photo
    FROM asset a JOIN organisation o ON o.id = a.organisation_id
    WHERE a.id = ANY($1::bigint[])
"""


async def search_assets(identity: Identity | None, params: SearchParams) -> SearchResult:
    """Assets the identity may see that match the filters: one page and the exact total."""
    p = check_params(params)
    query, args = _build(identity, p)
    rows = await sql.fetch(query, *args)
    ids = await _decide(rows, p) if p.has_window else [r["id"] for r in rows]
    page = ids[p.offset:p.offset + p.limit]
    by_id = {r["id"]: r for r in await sql.fetch(_SUMMARY, page)} if page else {}
    items = [AssetSummary(**{**by_id[i], "accessibility": list(by_id[i]["accessibility"] or [])})
             for i in page if i in by_id]
    return SearchResult(items, len(ids), p)


async def explain_search(identity: Identity | None, params: SearchParams) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of the main search statement (for the benchmark)."""
    p = check_params(params)
    query, args = _build(identity, p)
    rows = await sql.fetch("EXPLAIN (ANALYZE, BUFFERS) " + query, *args)
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
