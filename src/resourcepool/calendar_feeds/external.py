"""Use cases of an asset's external calendar: import a file, subscribe to a URL, read the
state, remove it, and refresh subscriptions (the worker job, refresh.py).

Only managers of the asset's owner may do any of it. A calendar is read completely — fetched,
parsed and expanded (in a worker thread, see imports.py) — before anything is written; then
one transaction replaces the previous calendar and its busy times, so a bad file or an
unreachable URL changes nothing and readers never see a half-imported calendar. The content
is kept, so the expansion can move on with the horizon (weekly for files) and a 304 from the
server needs no download.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from resourcepool import clock
from resourcepool.accounts.identity import Identity
from resourcepool.assets import queries as asset_queries
from resourcepool.assets.service import _managed, _refuse
from resourcepool.availability.external import replace_external_busy
from resourcepool.availability.materialise import MARGIN_DAYS
from resourcepool.calendar_feeds import fetch, imports
from resourcepool.db import sql
from resourcepool.db.engine import DB
from resourcepool.errors import N_, DomainError, NotFound
from resourcepool.periodic import run_periodically

log = logging.getLogger("resourcepool.calendar_feeds")

URL_EVERY = timedelta(hours=1)
FILE_EVERY = timedelta(days=7)
MAX_BACKOFF = timedelta(hours=24)
LEASE = timedelta(minutes=5)
INTERVAL_SECONDS = 60
# Calendars parsed at once per process: each holds a thread (and the GIL while it works).
_PARSING = 2
_semaphores: dict[int, asyncio.Semaphore] = {}


@dataclass(frozen=True)
class CalendarState:
    """What the owner sees of an asset's external calendar."""

    asset_id: int
    source: str  # "file" | "url"
    url: str | None
    busy_count: int
    event_count: int
    refreshed_at: datetime | None
    attempted_at: datetime | None
    next_refresh_at: datetime | None
    error: str  # a message id (English), empty when the last read worked
    error_params: dict[str, Any]
    timezone: str

    @property
    def state(self) -> str:
        return "error" if self.error else "ok"


_STATE_COLUMNS = """e.asset_id, e.source, e.url, e.busy_count, e.event_count, e.refreshed_at,
    e.attempted_at, e.next_refresh_at, e.error, e.error_params, a.timezone"""


def _state(row: dict[str, Any]) -> CalendarState:
    params = row["error_params"]
    if isinstance(params, str):
        params = json.loads(params)
    return CalendarState(**{**row, "error_params": params or {}})


async def _read(data: bytes, asset: dict[str, Any]) -> imports.ImportedCalendar:
    """Parse and expand in a worker thread, at most _PARSING at once in this process."""
    loop_id = id(asyncio.get_running_loop())
    semaphore = _semaphores.setdefault(loop_id, asyncio.Semaphore(_PARSING))
    start, end = imports.window(clock.now(), asset["horizon_days"], MARGIN_DAYS)
    async with semaphore:
        return await asyncio.to_thread(imports.read_calendar, data, asset["timezone"], start, end)


async def _managed_asset(identity: Identity | None, asset_id: int) -> dict[str, Any]:
    """The asset if the identity manages its owner (404 / 403 otherwise), without a lock: it is
    checked before any work on what was sent."""
    row = await asset_queries.managed_asset(identity, asset_id)
    if row is None:
        await _refuse(identity, asset_id)
    assert row is not None
    return row


async def _replace(identity: Identity | None, asset_id: int, source: str, url: str | None,
                   content: bytes, calendar: imports.ImportedCalendar, etag: str | None = None,
                   last_modified: str | None = None) -> CalendarState:
    now = clock.now()
    next_at = now + (URL_EVERY if source == "url" else FILE_EVERY)
    async with DB.transaction():
        await _managed(identity, asset_id)  # again, locked: it may have changed meanwhile
        calendar_id = await sql.fetch_value(
            """INSERT INTO external_calendar (asset_id, source, url, content, etag, last_modified,
                   busy_count, event_count, refreshed_at, attempted_at, error, error_params,
                   failures, next_refresh_at, lease_token, lease_until, created_by, created_at,
                   updated_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, '', '{}', 0, $10, NULL, NULL, $11, $9, $9)
               ON CONFLICT (asset_id) DO UPDATE SET
                   source = excluded.source, url = excluded.url, content = excluded.content,
                   etag = excluded.etag, last_modified = excluded.last_modified,
                   busy_count = excluded.busy_count, event_count = excluded.event_count,
                   refreshed_at = excluded.refreshed_at, attempted_at = excluded.attempted_at,
                   error = '', error_params = '{}', failures = 0,
                   next_refresh_at = excluded.next_refresh_at,
                   -- a refresh running now must not overwrite this one
                   lease_token = NULL, lease_until = NULL, updated_at = excluded.updated_at
               RETURNING id""",
            asset_id, source, url, content, etag, last_modified, calendar.occurrences,
            calendar.events, now, next_at, identity.user_id if identity else None)
        await replace_external_busy(asset_id, calendar_id, calendar.busy)
    return await _state_of(asset_id)


async def import_calendar_file(identity: Identity | None, asset_id: int, data: bytes) -> CalendarState:
    """Block the asset at the busy times of an uploaded .ics file (replacing what was there)."""
    asset = await _managed_asset(identity, asset_id)
    calendar = await _read(data, asset)
    return await _replace(identity, asset_id, "file", None, data, calendar)


async def subscribe_calendar(identity: Identity | None, asset_id: int, url: Any) -> CalendarState:
    """Block the asset at the busy times of the calendar at `url`, fetched now and then every
    hour (replacing what was there). Refused, changing nothing, when it cannot be read."""
    asset = await _managed_asset(identity, asset_id)
    checked = fetch.check_url(url)
    fetched = await fetch.fetch_calendar(checked)
    calendar = await _read(fetched.content, asset)
    return await _replace(identity, asset_id, "url", checked, fetched.content, calendar,
                          fetched.etag, fetched.last_modified)


async def _state_of(asset_id: int) -> CalendarState:
    row = await sql.fetch_one(
        f"""SELECT {_STATE_COLUMNS} FROM external_calendar e JOIN asset a ON a.id = e.asset_id
            WHERE e.asset_id = $1""", asset_id)
    if row is None:
        raise NotFound(N_("This asset has no external calendar."))
    return _state(row)


async def external_calendar(identity: Identity | None, asset_id: int) -> CalendarState | None:
    """The state of the asset's external calendar (None when it has none), for its managers."""
    await _managed_asset(identity, asset_id)
    try:
        return await _state_of(asset_id)
    except NotFound:
        return None


async def remove_external_calendar(identity: Identity | None, asset_id: int) -> None:
    """Stop blocking the asset from its external calendar (its busy times go with it)."""
    async with DB.transaction():
        await _managed(identity, asset_id)
        deleted = await sql.fetch_value(
            "DELETE FROM external_calendar WHERE asset_id = $1 RETURNING id", asset_id)
    if deleted is None:
        raise NotFound(N_("This asset has no external calendar."))


# --- refreshing (the worker job) ---------------------------------------------------------------


async def _claim(limit: int) -> list[dict[str, Any]]:
    """Take a lease on calendars due for a refresh (none another worker holds)."""
    now = clock.now()
    return await sql.fetch(
        """UPDATE external_calendar e SET lease_token = $1, lease_until = $2::timestamptz + $3::interval
           FROM asset a
           WHERE a.id = e.asset_id AND e.id IN (
               SELECT id FROM external_calendar
               WHERE next_refresh_at <= $2 AND (lease_until IS NULL OR lease_until < $2)
               ORDER BY next_refresh_at LIMIT $4 FOR UPDATE SKIP LOCKED)
           RETURNING e.id, e.asset_id, e.source, e.url, e.content, e.etag, e.last_modified,
                     e.failures, e.lease_token, a.timezone, a.horizon_days""",
        uuid.uuid4(), now, LEASE, limit)


async def _refresh_one(row: dict[str, Any]) -> bool:
    """Read one claimed calendar again; True when its busy times were replaced."""
    content, etag, last_modified = row["content"], row["etag"], row["last_modified"]
    try:
        if row["source"] == "url":
            fetched = await fetch.fetch_calendar(row["url"], etag, last_modified)
            if fetched.changed:
                content, etag, last_modified = fetched.content, fetched.etag, fetched.last_modified
        calendar = await _read(content, row)
    except DomainError as exc:
        await _failed(row, exc)
        return False
    now = clock.now()
    async with DB.transaction():
        # Still ours? An upload or a new subscription meanwhile cleared the lease.
        mine = await sql.fetch_value(
            """UPDATE external_calendar SET content = $3, etag = $4, last_modified = $5,
                   busy_count = $6, event_count = $7, refreshed_at = $8, attempted_at = $8,
                   error = '', error_params = '{}', failures = 0, next_refresh_at = $9,
                   lease_token = NULL, lease_until = NULL, updated_at = $8
               WHERE id = $1 AND lease_token = $2 RETURNING id""",
            row["id"], row["lease_token"], content, etag, last_modified, calendar.occurrences,
            calendar.events, now, now + (URL_EVERY if row["source"] == "url" else FILE_EVERY))
        if mine is None:
            return False
        await replace_external_busy(row["asset_id"], row["id"], calendar.busy)
    return True


async def _failed(row: dict[str, Any], exc: DomainError) -> None:
    """Keep the busy times of the last good read; record why, try again later (backing off)."""
    now = clock.now()
    wait = min(MAX_BACKOFF, timedelta(minutes=15) * 2 ** min(row["failures"], 10))
    await sql.execute(
        """UPDATE external_calendar SET attempted_at = $3, error = $4, error_params = $5::jsonb,
               failures = failures + 1, next_refresh_at = $6, lease_token = NULL, lease_until = NULL
           WHERE id = $1 AND lease_token = $2""",
        row["id"], row["lease_token"], now, exc.message, _json(exc.params), now + wait)


def _json(params: dict[str, Any]) -> str:
    return json.dumps({k: v if isinstance(v, (int, float, str)) else str(v) for k, v in params.items()})


async def refresh_due(limit: int = 10) -> int:
    """One round of the refresh job: calendars whose time has come, read again. Returns how
    many were replaced."""
    done = 0
    for row in await _claim(limit):
        done += await _refresh_one(row)
    return done


async def _refresh_and_tell() -> None:
    done = await refresh_due()
    if done:
        log.info("external calendars refreshed: %s", done)


async def run_calendar_refresh_forever(interval: float = INTERVAL_SECONDS) -> None:
    """Refresh due external calendars every `interval` seconds until cancelled. Safe side by
    side: each calendar is leased to one worker while it is read."""
    await run_periodically(_refresh_and_tell, interval, log, "the external calendar refresh")
