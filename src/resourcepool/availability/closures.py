"""Use cases of closing an asset: add a closure (once or repeating), remove one.

A closure is entered as local date-times in the asset's timezone; a recurring one stores its
first real occurrence plus the RRULE (read by the one parser, `resourcepool.rrules`, closure
dialect) and, at once, every occurrence up to the asset's target as rows of `asset_busy`
(see materialise.py) — which is what every reader decides from.

What one asset may hold is capped, so that no request, however much was entered before, has
much to read: MAX_CLOSURES closures, MAX_RECURRING of them repeating, each repeating one with
at most materialise.MAX_OCCURRENCES dates up to the target, MAX_OCCURRENCE_ROWS rows in all.
The asset's row lock (taken by `_managed`) makes the counts safe against concurrent adds.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg

from resourcepool import clock, i18n
from resourcepool.accounts.identity import Identity
from resourcepool.assets import rules as asset_rules
from resourcepool.assets.hours import parse_local, to_instant
from resourcepool.assets.service import _database_error, _managed
from resourcepool.availability import materialise
from resourcepool.availability.rules import closure_rule
from resourcepool.db import sql
from resourcepool.db.engine import DB
from resourcepool.errors import N_, NotFound, PolicyViolation, ValidationFailed
from resourcepool.rrules import rrule_dates

MAX_CLOSURES = 200
MAX_RECURRING = 50
MAX_OCCURRENCE_ROWS = 20_000
MAX_REPEAT_LENGTH = timedelta(days=31)
FIRST_DATE_WITHIN = timedelta(days=3660)


def _limit(message: str, field: str, **params: Any) -> PolicyViolation:
    return PolicyViolation(message, field=field, rule="closure_limit", **params)


def first_date(text: str, zone: ZoneInfo, local_start: datetime) -> datetime:
    """The first date of a closure rule from the naive local `local_start` (within ten years)."""
    rule = closure_rule(text, zone.key).dateutil(local_start)
    first = next(rrule_dates(rule, local_start, local_start + FIRST_DATE_WITHIN), None)
    if first is None:
        raise ValidationFailed(N_("This repetition rule has no dates within the next ten years."),
                               field="rrule")
    return first


async def add_closure(identity: Identity | None, asset_id: int, start: Any, end: Any,
                      rrule: str | None = None, reason: str | None = "") -> dict[str, Any]:
    """Close the asset for [start, end), once or repeating by an RRULE; return the closure."""
    start_value = parse_local(start, field="start")
    end_value = parse_local(end, field="end")
    reason_text = asset_rules.check_reason(reason)
    try:
        return await _insert_closure(identity, asset_id, start_value, end_value, rrule or None, reason_text)
    except asyncpg.PostgresError as exc:
        # The checks above should leave nothing for the database to refuse; if it still does,
        # that is a 4xx with a message, not a 500.
        raise _database_error(exc) from exc


async def _insert_closure(identity: Identity | None, asset_id: int, start_value: datetime,
                          end_value: datetime, rrule: str | None, reason_text: str) -> dict[str, Any]:
    async with DB.transaction():
        asset = await _managed(identity, asset_id)  # locks the asset row: the counts stay true
        zone = ZoneInfo(asset["timezone"])
        starts_at = to_instant(start_value, zone, field="start")
        ends_at = to_instant(end_value, zone, field="end")
        asset_rules.check_closure_span(starts_at, ends_at)
        held = await sql.fetch_one(
            """SELECT count(*) AS closures, count(*) FILTER (WHERE rrule IS NOT NULL) AS recurring,
                      (SELECT count(*) FROM asset_busy b WHERE b.asset_id = $1 AND b.closure_id IS NOT NULL)
                          AS rows
               FROM closure WHERE asset_id = $1""", asset_id)
        assert held is not None
        if held["closures"] >= MAX_CLOSURES:
            raise _limit(N_("An asset may have at most %(max)s closures; remove past ones first."),
                         "start", max=MAX_CLOSURES)
        extension = None
        rule_text = None
        if rrule is not None:
            if held["recurring"] >= MAX_RECURRING:
                raise _limit(N_("An asset may have at most %(max)s repeating closures."), "rrule",
                             max=MAX_RECURRING)
            rule_text = closure_rule(rrule, zone.key).text
            local_start = starts_at.astimezone(zone).replace(tzinfo=None)
            duration = ends_at.astimezone(zone).replace(tzinfo=None) - local_start
            if duration > MAX_REPEAT_LENGTH:
                raise ValidationFailed(N_("A repeating closure lasts at most a month each time."),
                                       field="end")
            # Store the first real occurrence: the rule may not include the start itself.
            first = first_date(rule_text, zone, local_start)
            starts_at = to_instant(first, zone, field="start")
            ends_at = to_instant(first + duration, zone, field="end")
            until = materialise.target(clock.now(), asset["horizon_days"])
            closure = {"id": 0, "starts_at": starts_at, "ends_at": ends_at, "rrule": rule_text,
                       "after": starts_at}
            extension = await asyncio.to_thread(materialise.expand, closure, zone.key, until)
            if extension.limited:
                raise _limit(N_("A repeating closure may have at most %(max)s dates until "
                                "%(date)s; let it end sooner or repeat less often."),
                             "rrule", max=materialise.MAX_OCCURRENCES,
                             date=i18n.format_date(until, zone.key, "long"))
            if held["rows"] + len(extension.pieces) > MAX_OCCURRENCE_ROWS:
                raise _limit(N_("The closures of an asset may have at most %(max)s dates in all; "
                                "this one would pass that."), "rrule", max=MAX_OCCURRENCE_ROWS)
        row = await sql.fetch_one(
            """INSERT INTO closure (asset_id, starts_at, ends_at, rrule, reason)
               VALUES ($1, $2, $3, $4, $5) RETURNING id, starts_at, ends_at, rrule, reason""",
            asset_id, starts_at, ends_at, rule_text, reason_text)
        assert row is not None
        if extension is not None:
            await materialise.store(asset_id, [_with_id(extension, row["id"])])
    return row


def _with_id(extension: materialise.Extension, closure_id: int) -> materialise.Extension:
    return materialise.Extension(closure_id, extension.pieces, extension.count, extension.until,
                                 extension.complete, extension.limited)


async def remove_closure(identity: Identity | None, asset_id: int, closure_id: int) -> None:
    """Remove a closure and (by the foreign key's cascade) its stored occurrences."""
    async with DB.transaction():
        await _managed(identity, asset_id)
        deleted = await sql.fetch_value(
            "DELETE FROM closure WHERE id = $1 AND asset_id = $2 RETURNING id", closure_id, asset_id)
        if deleted is None:
            raise NotFound(N_("There is no such closure."))

