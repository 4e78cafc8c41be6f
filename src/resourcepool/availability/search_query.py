"""The catalogue search as one SQL statement (built here; run and finished by availability/search.py).

The statement returns one row: the total, the ids it cannot decide on its own ("flagged"), and
the head of the ordered result — enough ids for the requested page even if every flagged one
drops out. Every condition in it is necessary for "free", and it is exact for the rows it does
not flag, so the caller only re-checks the flagged few.

It reads `asset_catalogue` (one narrow row per asset, migration m0018) and keeps the cost per
asset to plain expressions — no correlated sub-query per row:

* visible: `network_ids` overlaps the networks where the identity is verified or coordinates
  (paused assets too) or the public ones (active only), or the asset is its own — the rule of
  `queries.visible_sql`, specialised to the statuses the catalogue shows;
* opening hours: `open_week` (minutes of the week) against the window's minutes of the week in
  each timezone, computed in Python (`rules.wall_window`); a window with a clock change inside
  is flagged for assets with hours;
* holds: one scan of the `booking_held_span` index, bounded by the longest buffers of any
  asset, then each asset's own buffers, grouped per asset and hash-joined. The largest single
  hold must fit; the sum of them is enough (pools between the two are flagged);
* busy times (closure occurrences and external calendars, rows of `asset_busy`) by a hashed
  anti-join over one index scan of the window; assets whose recurring closures are not yet
  stored that far (materialise.py) are flagged;
* text search on `asset.search_document` (GIN), joined only when `q` is given.
"""

from __future__ import annotations

import json
import re
from typing import Any

from resourcepool import clock
from resourcepool.availability.materialise import MARGIN_DAYS
from resourcepool.availability.rules import WallWindow

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
ALWAYS_OPEN = "int4multirange(int4range(0, 20160))"


def _prefix_query(q: str) -> str | None:
    """`bea & pro:*`-style tsquery text from the words of q (safe: only word characters)."""
    words = [w.lower() for w in _WORD.findall(q)][:8]
    return " & ".join(f"{w}:*" for w in words) or None


def _like(q: str) -> str:
    return "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class _Args:
    """Collects parameters so placeholders stay numbered correctly."""

    def __init__(self) -> None:
        self.values: list[Any] = []

    def __call__(self, value: Any) -> str:
        self.values.append(value)
        return f"${len(self.values)}"


# The longest buffers of any asset bound the held spans that can matter to a window (the
# asset_catalogue_buffer_before/after indexes answer these at once).
_MAX_BEFORE = ("(SELECT coalesce(max(mb.buffer_before_minutes), 0) FROM asset_catalogue mb)"
               " * interval '1 minute'")
_MAX_AFTER = ("(SELECT coalesce(max(ma.buffer_after_minutes), 0) FROM asset_catalogue ma)"
              " * interval '1 minute'")


def _hours_sql(arg: _Args, windows: dict[str, WallWindow]) -> tuple[str, str]:
    """(condition, flag) SQL of the opening-hours test, one CASE branch per known timezone.

    A continuous window is decided exactly; otherwise the start being open is necessary and
    assets with hours are flagged. An asset in a zone not listed is not filtered, only flagged
    (when it has hours).
    """
    has_hours = f"s.open_week <> {ALWAYS_OPEN}"
    tests, flags = [], []
    for tz, w in windows.items():
        zone, first = arg(tz), arg(w.start_minute)
        if w.continuous:
            tests.append(f"WHEN {zone} THEN s.open_week @> int4range({first}, {arg(w.end_minute)})")
            flags.append(f"WHEN {zone} THEN false")
        else:
            tests.append(f"WHEN {zone} THEN s.open_week @> {first}::int")
            flags.append(f"WHEN {zone} THEN {has_hours}")
    if not tests:
        return "true", has_hours
    return (f"CASE s.timezone {' '.join(tests)} ELSE true END",
            f"CASE s.timezone {' '.join(flags)} ELSE {has_hours} END")


def _window_parts(p: Any, arg: _Args, windows: dict[str, WallWindow]) -> tuple[str, str, list[str], str]:
    """(with, join, conditions, flag) SQL of the free-window test."""
    f, t = arg(p.free_from) + "::timestamptz", arg(p.free_to) + "::timestamptz"
    need = arg(max(1, p.min_quantity or 1)) + "::int"
    with_ = f""",
    held AS (
        -- A booking of the window would hold [free_from − buffer_before, free_to + buffer_after)
        -- of its asset; the booking service refuses it when that meets too many held units.
        -- Each booking's asset is looked up by its key: a join is planned as a hash of every
        -- asset (the planner cannot tell how few bookings a window holds).
        SELECT b.asset_id, sum(b.quantity) AS units, max(b.quantity) AS largest
        FROM booking b
        WHERE tstzrange(b.held_from, b.held_until, '[)')
              && tstzrange({f} - {_MAX_BEFORE}, {t} + {_MAX_AFTER}, '[)')
          AND b.status IN ('requested', 'confirmed')
          AND (SELECT b.held_from < {t} + ab.buffer_after_minutes * interval '1 minute'
                      AND b.held_until > {f} - ab.buffer_before_minutes * interval '1 minute'
               FROM asset_catalogue ab WHERE ab.asset_id = b.asset_id)
        GROUP BY b.asset_id)"""
    join = "\n        LEFT JOIN held h ON h.asset_id = s.asset_id"
    hours, hours_flag = _hours_sql(arg, windows)
    conditions = [
        "s.status = 'active'",
        f"s.quantity >= {need}",
        f"coalesce(h.largest, 0) <= s.quantity - {need}",
        # Busy times (closure occurrences, external calendars): one scan of the window in the
        # `asset_busy_span` index, hashed.
        f"""s.asset_id NOT IN (SELECT ab.asset_id FROM asset_busy ab
                               WHERE tstzrange(ab.starts_at, ab.ends_at, '[)') && tstzrange({f}, {t}, '[)'))""",
        hours,
    ]
    flag = f"""(
        {hours_flag}
        OR s.asset_id IN (SELECT c.asset_id FROM closure c JOIN asset ca ON ca.id = c.asset_id
                          WHERE c.rrule IS NOT NULL AND c.materialised_until < {t}
                            AND c.materialised_until < {arg(clock.now())}::timestamptz
                                + (ca.horizon_days + {MARGIN_DAYS}) * interval '1 day')
        OR coalesce(h.units, 0) > s.quantity - {need})"""
    return with_, join, conditions, flag


def build_search(p: Any, orgs: list[int], networks: list[int],
                 windows: dict[str, WallWindow]) -> tuple[str, list[Any]]:
    """The statement and its arguments for SearchParams `p` (already checked).

    `orgs`/`networks`: the identity's organisations and coordinated networks; `windows`: the
    free window in each timezone the caller knows (assets in another zone are flagged).
    Returns one row: `total` (before the flagged are decided), `flagged` (ids), `head` (the
    ids of the first offset + limit + len(flagged) results in order — enough for the page).
    """
    arg = _Args()
    o, n = arg(orgs), arg(networks)
    where: list[str] = [
        # Visible: offered in a network where the identity is verified or coordinates, or in a
        # public one, or its own.
        f"(s.network_ids && (SELECT v.seen FROM vis v) OR s.organisation_id = ANY({o}::bigint[]))",
    ]
    rank = "0"
    text = ""
    source = "asset_catalogue s"
    with_ = join = ""
    flag = "false"
    if p.kind:
        where.append(f"s.kind = {arg(p.kind)}")
    if p.q and p.q.strip():
        q = p.q.strip()
        q_arg = arg(q)
        ts = f"(websearch_to_tsquery('german', {q_arg}) || websearch_to_tsquery('english', {q_arg}))"
        alternatives = [f"a.search_document @@ {ts}"]
        prefix = _prefix_query(q)
        if prefix:
            alternatives.append(f"a.search_document @@ to_tsquery('simple', {arg(prefix)})")
        if len(q) < 4:
            alternatives.append(f"a.title ILIKE {arg(_like(q))}")
        # Inlined, so the planner may start from the GIN index (a rare word) or from the
        # visible assets (a common prefix such as "beam"); forcing either order costs the other.
        text = f"""
    matched AS NOT MATERIALIZED (
        SELECT a.id, ts_rank_cd(a.search_document, {ts}) AS rank FROM asset a
        WHERE {" OR ".join(alternatives)}),"""
        rank = "m.rank"
        source = "matched m JOIN asset_catalogue s ON s.asset_id = m.id"
    if p.network:
        where.append(f"""s.network_ids && (SELECT coalesce(array_agg(ns.id), '{{}}') FROM network ns
                                              WHERE ns.slug = {arg(p.network)})""")
    if p.district and p.district.strip():
        where.append(f"s.district_key = lower({arg(p.district.strip())})")
    if p.sector:
        where.append(f"""s.organisation_id IN (SELECT os.id FROM organisation os
                                                WHERE os.sector = {arg(p.sector)})""")
    if p.min_capacity:
        where.append(f"s.capacity >= {arg(p.min_capacity)}")
    if p.accessible:
        where.append(f"s.accessibility @> {arg(list(p.accessible))}::text[]")
    if p.has_window:
        with_, join, conditions, flag = _window_parts(p, arg, windows)
        where += conditions
    else:
        if p.min_quantity:
            where.append(f"s.quantity >= {arg(p.min_quantity)}")
        # Without a window the catalogue lists what can be booked or will be again; paused
        # assets only where the identity is a member (or owner), as visible_sql has it.
        where.append(f"""(s.status = 'active' OR (s.status = 'paused' AND (
            s.organisation_id = ANY({o}::bigint[]) OR s.network_ids && (SELECT v.member FROM vis v))))""")
    head, offset = arg(p.offset + p.limit), arg(p.offset)
    query = f"""
    WITH vis AS (
        SELECT coalesce(array_agg(n.id), '{{}}')::bigint[] AS seen,
               coalesce(array_agg(n.id) FILTER (WHERE n.member), '{{}}')::bigint[] AS member
        FROM (SELECT n.id, n.public_catalogue,
                     n.id = ANY({n}::bigint[])
                     OR EXISTS (SELECT 1 FROM network_organisation no WHERE no.network_id = n.id
                                AND no.status = 'verified'
                                AND no.organisation_id = ANY({o}::bigint[])) AS member
              FROM network n) n
        WHERE n.member OR n.public_catalogue){with_},{text}
    found AS MATERIALIZED (
        SELECT s.asset_id AS id, s.title_key AS title, {rank} AS rank, {flag} AS flag
        FROM {source}{join}
        WHERE {' AND '.join(where)}),
    unsure AS (SELECT count(*) AS n FROM found WHERE flag),
    ordered AS MATERIALIZED (
        -- Enough for the page even if every flagged asset drops out.
        SELECT id, row_number() OVER (ORDER BY rank DESC, title, id) AS position FROM (
            SELECT id, rank, title FROM found ORDER BY rank DESC, title, id
            LIMIT {head} + (SELECT n FROM unsure)) top)
    SELECT (SELECT count(*) FROM found) AS total,
           (SELECT coalesce(array_agg(id), '{{}}') FROM found WHERE flag) AS flagged,
           (SELECT coalesce(array_agg(id ORDER BY position), '{{}}') FROM ordered) AS head,
           -- The cards of the page and of those that may move into it (not when there are many).
           CASE WHEN (SELECT n FROM unsure) <= {MAX_EMBEDDED_FLAGGED} THEN
               (SELECT json_agg(card) FROM (
                    SELECT {SUMMARY_COLUMNS} FROM ordered o JOIN asset a ON a.id = o.id
                    JOIN organisation org ON org.id = a.organisation_id
                    WHERE o.position > {offset}) card)
           END AS cards"""
    return query, arg.values


MAX_EMBEDDED_FLAGGED = 100
# What a result card shows (alias `a` for asset, `org` for its organisation).
SUMMARY_COLUMNS = """a.id, a.kind, a.title, a.status, a.organisation_id, org.name AS organisation_name,
    org.sector, a.district, a.capacity, a.quantity, a.accessibility, a.timezone,
    left(a.description, 300) AS description,
    EXISTS (SELECT 1 FROM asset_photo ph WHERE ph.asset_id = a.id) AS has_photo"""
