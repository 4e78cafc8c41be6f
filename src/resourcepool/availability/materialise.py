"""Closure occurrences as rows of `asset_busy`: stored ahead, extended as time passes.

Requests never expand an RRULE: availability, the week calendar, the search and the booking
service read occurrences from `asset_busy`. A recurring closure's occurrences are stored from
its first date up to `target` — its asset's booking horizon plus MARGIN_DAYS, the longest
window availability answers, since nothing further ahead can be booked — and
`closure.materialised_until` says how far they go ('infinity' once the rule has no more dates).

Who writes them:
* adding a closure (availability/closures.py) stores all of them up to the target;
* the worker job here extends rules as the target moves on with the days;
* a reader that finds a rule not stored far enough for its window — the horizon grew, or rows
  were written outside the services (the demo, `admin generate`, tests) and no worker ran
  yet — extends it first (`ensure_covered`), so an answer never rests on missing rows.

Every writer holds the asset's row lock, then locks the closures (the booking service's order,
so they cannot deadlock), and two workers never extend the same asset at once (SKIP LOCKED).
Expanding runs in a worker thread and takes at most MAX_OCCURRENCES dates per closure a round.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Sequence

from resourcepool import clock
from resourcepool.availability.rules import ClosureRule, Interval, closure_occurrences, closure_rule, zone
from resourcepool.db import sql
from resourcepool.db.engine import DB
from resourcepool.errors import DomainError
from resourcepool.periodic import run_periodically
from resourcepool.rrules import rrule_dates

log = logging.getLogger("resourcepool.availability")

MARGIN_DAYS = 62
# The job extends a rule once its stored occurrences end less than this before the target.
AHEAD_DAYS = 55
# Dates one closure may have up to its target when it is added, and dates stored per round.
MAX_OCCURRENCES = 2000
INTERVAL_SECONDS = 3600
BATCH_ASSETS = 50


def target(now: datetime, horizon_days: int) -> datetime:
    """How far ahead an asset's closure occurrences are stored."""
    return now + timedelta(days=horizon_days + MARGIN_DAYS)


@dataclass(frozen=True)
class Extension:
    """What expanding one closure gives: its rows and how far they now go."""

    closure_id: int
    pieces: list[Interval]
    count: int
    until: datetime
    complete: bool  # no dates after `until`: store 'infinity'
    limited: bool  # MAX_OCCURRENCES stopped it before `until`


def expand(closure: dict[str, Any], tz: str, until: datetime, limit: int = MAX_OCCURRENCES) -> Extension:
    """The occurrences of a stored recurring closure from where it stands (`after`) to `until`
    (pure CPU work: call it in a thread). An unreadable stored rule gives none and is complete."""
    rule = ClosureRule(closure["starts_at"], closure["ends_at"], closure["rrule"])
    try:
        found = closure_occurrences(rule, tz, closure["after"], until, limit)
    except DomainError:
        log.warning("closure %s: its rule %r cannot be read; no occurrences stored",
                    closure["id"], closure["rrule"])
        return Extension(closure["id"], [], 0, until, True, False)
    if found.resume is not None:
        return Extension(closure["id"], found.pieces, found.count, found.resume, False, True)
    return Extension(closure["id"], found.pieces, found.count, until, not _has_dates_after(rule, tz, until), False)


def _has_dates_after(c: ClosureRule, tz: str, until: datetime) -> bool:
    z = zone(tz)
    wall = c.starts_at.astimezone(z).replace(tzinfo=None)
    rule = closure_rule(c.rrule or "", tz).dateutil(wall)
    after = until.astimezone(z).replace(tzinfo=None) - timedelta(days=1)
    # Bounded: looks through ten years past `until` at most.
    return next(rrule_dates(rule, after, after + timedelta(days=3660)), None) is not None


async def store(asset_id: int, extensions: Sequence[Extension]) -> None:
    """Write the rows of `extensions` and move their closures' `materialised_until` on."""
    ids, starts, ends = [], [], []
    for e in extensions:
        for piece in e.pieces:
            ids.append(e.closure_id)
            starts.append(piece.start)
            ends.append(piece.end)
    if ids:
        await sql.execute(
            """INSERT INTO asset_busy (asset_id, starts_at, ends_at, closure_id)
               SELECT $1, s, e, c FROM unnest($2::timestamptz[], $3::timestamptz[], $4::bigint[]) AS t(s, e, c)""",
            asset_id, starts, ends, ids)
    if extensions:
        await sql.execute(
            """UPDATE closure c SET materialised_until = CASE WHEN v.complete THEN 'infinity' ELSE v.until END
               FROM unnest($1::bigint[], $2::timestamptz[], $3::boolean[]) AS v(id, until, complete)
               WHERE c.id = v.id""",
            [e.closure_id for e in extensions], [e.until for e in extensions],
            [e.complete for e in extensions])


async def extend_closures(asset_id: int, until: datetime | None = None) -> int:
    """Store the occurrences of the asset's recurring closures up to `until` (default: the
    asset's target). Call it inside a transaction that holds the asset's row lock. Returns how
    many closures were extended."""
    rows = await sql.fetch(
        """SELECT c.id, c.starts_at, c.ends_at, c.rrule, a.timezone, a.horizon_days,
                  CASE WHEN c.materialised_until = '-infinity' THEN c.starts_at
                       ELSE c.materialised_until END AS after
           FROM closure c JOIN asset a ON a.id = c.asset_id
           WHERE c.asset_id = $1 AND c.rrule IS NOT NULL
             AND c.materialised_until < coalesce($2::timestamptz,
                                                 $3::timestamptz + (a.horizon_days + $4) * interval '1 day')
           ORDER BY c.id
           FOR UPDATE OF c""",
        asset_id, until, clock.now(), MARGIN_DAYS)
    if not rows:
        return 0
    goal = until or target(clock.now(), rows[0]["horizon_days"])
    tz = rows[0]["timezone"]
    extensions = await asyncio.to_thread(lambda: [expand(r, tz, goal) for r in rows])
    await store(asset_id, extensions)
    return len(extensions)


async def ensure_covered(asset_id: int, end: datetime) -> bool:
    """Make the asset's stored closure occurrences reach `end` (as far as its target goes) when
    they do not yet: the repair a reader calls when its query says they fall short. Takes the
    asset's row lock in its own transaction, or in the caller's (the booking service holds the
    lock already): then the rows stay only if that transaction commits."""
    async def extend() -> int:
        row = await sql.fetch_one(
            "SELECT horizon_days FROM asset WHERE id = $1 FOR NO KEY UPDATE", asset_id)
        if row is None:
            return 0
        # Past the target nothing can be booked, so the rows stop there whatever `end` is.
        return await extend_closures(asset_id, target(clock.now(), row["horizon_days"]))

    if DB.current_transaction.get() is not None:
        return bool(await extend())
    async with DB.transaction():
        return bool(await extend())


async def materialise_due(limit: int = BATCH_ASSETS) -> int:
    """One round of the job: extend the closures whose occurrences end within AHEAD_DAYS of
    their target, asset by asset (each in its own short transaction). Safe side by side: an
    asset another worker (or a booking) holds is skipped this round. Returns assets extended."""
    now = clock.now()
    due = await sql.fetch(
        """SELECT DISTINCT c.asset_id FROM closure c JOIN asset a ON a.id = c.asset_id
           WHERE c.rrule IS NOT NULL AND c.materialised_until < 'infinity'
             AND c.materialised_until < $1::timestamptz + (a.horizon_days + $2) * interval '1 day'
           LIMIT $3""",
        now, AHEAD_DAYS, limit)
    done = 0
    for row in due:
        async with DB.transaction():
            locked = await sql.fetch_value(
                "SELECT id FROM asset WHERE id = $1 FOR NO KEY UPDATE SKIP LOCKED", row["asset_id"])
            if locked is not None and await extend_closures(row["asset_id"]):
                done += 1
    return done


async def _materialise_and_tell() -> None:
    while True:
        done = await materialise_due()
        if done:
            log.info("closure occurrences extended for %s assets", done)
        if done < BATCH_ASSETS:
            return


async def run_closure_materialiser_forever(interval: float = INTERVAL_SECONDS) -> None:
    """Extend stored closure occurrences every `interval` seconds until cancelled."""
    await run_periodically(_materialise_and_tell, interval, log, "the closure materialiser")
