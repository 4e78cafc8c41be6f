"""Named reads of bookings (parameterised SQL), plus the savepoint helper the service uses.

Overlap queries repeat the exact expressions of the `booking_no_overlap` constraint and of the
`booking_asset_span` index, so PostgreSQL answers them from the GiST index.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, AsyncIterator

from resourcepool import clock
from resourcepool.accounts.identity import Identity
from resourcepool.assets.queries import visibility_params, visible_sql
from resourcepool.availability.materialise import MARGIN_DAYS
from resourcepool.availability.queries import NEEDS_REPAIR_SQL, busy_overlapping_sql
from resourcepool.bookings.policies import AssetPolicy, Booker
from resourcepool.db import sql
from resourcepool.db.engine import DB

HOLDING_SQL = "status IN ('requested', 'confirmed')"
# Busy times read per requested span: enough to name the clash, bounded whatever is stored.
MAX_BUSY_SHOWN = 5

# Notification settings (notifications/preferences.py): no row means the defaults (all on).
WANTS_OWNER_EMAILS = """coalesce((SELECT ns.owner_emails FROM notification_settings ns
                                  WHERE ns.user_id = u.id), true)"""
WANTS_BOOKING_EMAILS = """coalesce((SELECT ns.booking_emails FROM notification_settings ns
                                    WHERE ns.user_id = u.id), true)"""

ASSET_POLICY_COLUMNS = """
    a.id, a.organisation_id, a.status, a.timezone, a.quantity, a.approval_required,
    a.min_duration_minutes, a.max_duration_minutes, a.slot_minutes, a.lead_time_minutes,
    a.horizon_days, a.buffer_before_minutes, a.buffer_after_minutes,
    a.cancellation_deadline_hours, a.allowed_sectors, a.allowed_organisation_ids,
    coalesce((SELECT array_agg(an.network_id) FROM asset_network an WHERE an.asset_id = a.id), '{}')
        AS network_ids
"""


@asynccontextmanager
async def savepoint(needed: bool = True) -> AsyncIterator[None]:
    """A savepoint inside the current transaction: a failed statement rolls back only to here.

    With `needed=False` it does nothing (saves two round trips when the caller lets a failure
    end the whole transaction anyway)."""
    transaction = DB.current_transaction.get()
    assert transaction is not None, "savepoint() needs an open transaction"
    if not needed:
        yield
        return
    async with transaction.connection.transaction():
        yield


def _policy(row: dict[str, Any]) -> AssetPolicy:
    return AssetPolicy(
        id=row["id"],
        organisation_id=row["organisation_id"],
        status=row["status"],
        timezone=row["timezone"],
        quantity=row["quantity"],
        approval_required=row["approval_required"],
        min_duration_minutes=row["min_duration_minutes"],
        max_duration_minutes=row["max_duration_minutes"],
        slot_minutes=row["slot_minutes"],
        lead_time_minutes=row["lead_time_minutes"],
        horizon_days=row["horizon_days"],
        buffer_before_minutes=row["buffer_before_minutes"],
        buffer_after_minutes=row["buffer_after_minutes"],
        cancellation_deadline_hours=row["cancellation_deadline_hours"],
        allowed_sectors=tuple(row["allowed_sectors"]) if row["allowed_sectors"] is not None else None,
        allowed_organisation_ids=(tuple(row["allowed_organisation_ids"])
                                  if row["allowed_organisation_ids"] is not None else None),
        network_ids=frozenset(row["network_ids"]),
    )


@dataclass(frozen=True)
class BookingContext:
    """Everything one booking request needs to know, read in one round trip (see
    `booking_context`): the policy, the booker, opening hours, the busy times (closure
    occurrences, external calendars) meeting the requested span, what the answer shows about
    the asset and both organisations, and who to tell."""

    asset: AssetPolicy
    booker: Booker | None  # None: no such organisation
    hours: list[dict[str, Any]]
    busy: list[dict[str, Any]]  # busy times (source, starts_at, ends_at) meeting the span asked for
    needs_repair: bool  # closure occurrences not yet stored over the span (materialise.py)
    shown: dict[str, Any]
    managers: list[dict[str, Any]]  # who wants emails about the asset's bookings
    booker_wants_emails: bool = True  # the person booking (user_id given) wants emails


async def booking_context(identity: Identity, asset_id: int, organisation_id: int,
                          start: datetime, end: datetime) -> BookingContext | None:
    """The asset (locked) with its policy, hours, the busy times meeting [start, end) and
    managers (those who want emails), and the booking organisation, and whether the person
    booking wants emails about it; None when the asset does not exist or `identity` may not
    see it (assets.queries.visible_sql): booking it must not confirm that it exists.

    The asset row is locked FOR NO KEY UPDATE, so bookings of one asset are written one after
    another: for a pooled asset that makes "at most N units" safe, for a single unit the
    exclusion constraint is the guard and the lock keeps the quantity (and so `exclusive`)
    from changing meanwhile. It does not block the foreign-key checks of other inserts."""
    row = await sql.fetch_one(
        f"""SELECT {ASSET_POLICY_COLUMNS},
                  a.title AS asset_title, a.kind AS asset_kind, a.usage_instructions,
                  oo.name AS owner_name, bo.id AS booker_id, bo.sector AS booker_sector,
                  bo.name AS booker_name,
                  coalesce((SELECT array_agg(no.network_id) FROM network_organisation no
                            WHERE no.organisation_id = bo.id AND no.status = 'verified'), '{{}}')
                      AS booker_networks,
                  (SELECT array_agg(array[h.weekday, h.start_minute, h.end_minute]
                                    ORDER BY h.weekday, h.start_minute)
                   FROM opening_hours h WHERE h.asset_id = a.id) AS hours,
                  bu.busy_sources, bu.busy_starts, bu.busy_ends,
                  {NEEDS_REPAIR_SQL.format(a="a", end="$4", now="$5", margin=MARGIN_DAYS)} AS needs_repair,
                  mg.manager_emails, mg.manager_locales, mg.manager_names,
                  (SELECT {WANTS_BOOKING_EMAILS} FROM app_user u WHERE u.id = $6) AS booker_emails
           FROM asset a
           JOIN organisation oo ON oo.id = a.organisation_id
           LEFT JOIN organisation bo ON bo.id = $2
           CROSS JOIN LATERAL (
               SELECT array_agg(x.source ORDER BY x.starts_at) AS busy_sources,
                      array_agg(x.starts_at ORDER BY x.starts_at) AS busy_starts,
                      array_agg(x.ends_at ORDER BY x.starts_at) AS busy_ends
               FROM (SELECT b.source, b.starts_at, b.ends_at FROM asset_busy b
                     WHERE {busy_overlapping_sql('b', 'a.id', '$3', '$4')}
                     ORDER BY b.starts_at LIMIT {MAX_BUSY_SHOWN}) x) bu
           CROSS JOIN LATERAL (
               SELECT array_agg(u.email ORDER BY u.id) AS manager_emails,
                      array_agg(u.locale ORDER BY u.id) AS manager_locales,
                      array_agg(u.name ORDER BY u.id) AS manager_names
               FROM membership m JOIN app_user u ON u.id = m.user_id
               WHERE m.organisation_id = a.organisation_id AND m.role = 'manager'
                 AND u.is_active AND {WANTS_OWNER_EMAILS}) mg
           WHERE a.id = $1 AND {visible_sql('a', '$7', '$8')}
           FOR NO KEY UPDATE OF a""",
        asset_id, organisation_id, start, end, clock.now(), identity.user_id,
        *visibility_params(identity),
    )
    if row is None:
        return None
    booker = None
    if row["booker_id"] is not None:
        booker = Booker(organisation_id=row["booker_id"], sector=row["booker_sector"],
                        verified_network_ids=frozenset(row["booker_networks"]))
    hours = [{"weekday": h[0], "start_minute": h[1], "end_minute": h[2]} for h in row["hours"] or ()]
    busy = [{"source": k, "starts_at": s, "ends_at": e} for k, s, e in zip(
        row["busy_sources"] or (), row["busy_starts"] or (), row["busy_ends"] or ())]
    shown = {"asset_title": row["asset_title"], "asset_kind": row["asset_kind"],
             "usage_instructions": row["usage_instructions"], "owner_name": row["owner_name"],
             "organisation_name": row["booker_name"]}
    managers = [{"email": e, "locale": loc, "name": n} for e, loc, n in zip(
        row["manager_emails"] or (), row["manager_locales"] or (), row["manager_names"] or ())]
    return BookingContext(_policy(row), booker, hours, busy, row["needs_repair"], shown, managers,
                          bool(row["booker_emails"]))


async def busy_for_spans(asset_id: int, spans: list[tuple[datetime, datetime]]
                         ) -> tuple[list[dict[str, Any]], bool]:
    """Busy times (closure occurrences, external calendars) meeting any of `spans` — a few per
    span, one index probe each — and whether closures must first be stored further ahead to
    cover the last span (materialise.ensure_covered)."""
    if not spans:
        return [], False
    row = await sql.fetch_one(
        f"""SELECT (SELECT {NEEDS_REPAIR_SQL.format(a="a", end="$4", now="$5", margin=MARGIN_DAYS)}
                    FROM asset a WHERE a.id = $1) AS needs_repair,
                  array_agg(x.source) AS sources, array_agg(x.starts_at) AS starts,
                  array_agg(x.ends_at) AS ends
           FROM unnest($2::timestamptz[], $3::timestamptz[]) AS o(s, e)
           CROSS JOIN LATERAL (
               SELECT DISTINCT b.source, b.starts_at, b.ends_at FROM asset_busy b
               WHERE {busy_overlapping_sql('b', '$1::bigint', 'o.s', 'o.e')}
               ORDER BY b.starts_at LIMIT {MAX_BUSY_SHOWN}) x""",
        asset_id, [s for s, _ in spans], [e for _, e in spans], max(e for _, e in spans), clock.now())
    assert row is not None
    busy = sorted(({"source": k, "starts_at": s, "ends_at": e} for k, s, e in zip(
        row["sources"] or (), row["starts"] or (), row["ends"] or ())), key=lambda b: b["starts_at"])
    return busy, bool(row["needs_repair"])


async def opening_rows(asset_id: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The asset's weekly opening hours and all its busy times, in one round trip (for the demo
    data, which has few)."""
    rows = await sql.fetch(
        """SELECT 'h' AS k, weekday, start_minute, end_minute, NULL::timestamptz AS starts_at,
                  NULL::timestamptz AS ends_at, NULL::text AS source
           FROM opening_hours WHERE asset_id = $1
           UNION ALL
           SELECT 'b', NULL, NULL, NULL, starts_at, ends_at, source FROM asset_busy WHERE asset_id = $1""",
        asset_id)
    hours = sorted(({"weekday": r["weekday"], "start_minute": r["start_minute"],
                     "end_minute": r["end_minute"]} for r in rows if r["k"] == "h"),
                   key=lambda h: (h["weekday"], h["start_minute"]))
    busy = [{"source": r["source"], "starts_at": r["starts_at"], "ends_at": r["ends_at"]}
            for r in rows if r["k"] == "b"]
    return hours, busy


async def overlapping_holds(asset_id: int, held_from: datetime, held_until: datetime,
                            exclude_id: int | None = None) -> list[dict[str, Any]]:
    """Holding bookings of the asset whose held span overlaps [held_from, held_until)."""
    return await sql.fetch(
        f"""SELECT id, starts_at, ends_at, held_from, held_until, quantity, organisation_id
            FROM booking
            WHERE int8range(asset_id, asset_id, '[]') = int8range($1::bigint, $1::bigint, '[]')
              AND tstzrange(held_from, held_until, '[)') && tstzrange($2, $3, '[)')
              AND {HOLDING_SQL}
              AND ($4::bigint IS NULL OR id <> $4)
            ORDER BY held_from""",
        asset_id, held_from, held_until, exclude_id,
    )


BOOKING_COLUMNS = """
    b.id, b.asset_id, b.organisation_id, b.network_id, b.user_id, b.series_id, b.starts_at, b.ends_at,
    b.held_from, b.held_until, b.quantity, b.exclusive, b.purpose, b.attendees, b.status,
    b.status_reason, b.cancelled_late, b.created_at, b.updated_at,
    a.title AS asset_title, a.kind AS asset_kind, a.timezone, a.usage_instructions,
    a.organisation_id AS owner_organisation_id, a.cancellation_deadline_hours,
    o.name AS organisation_name, oo.name AS owner_name, u.name AS user_name
"""
BOOKING_FROM = """
    FROM booking b
    JOIN asset a ON a.id = b.asset_id
    JOIN organisation o ON o.id = b.organisation_id
    JOIN organisation oo ON oo.id = a.organisation_id
    JOIN app_user u ON u.id = b.user_id
"""


async def booking_row(booking_id: int, lock: bool = False) -> dict[str, Any] | None:
    suffix = " FOR UPDATE OF b" if lock else ""
    return await sql.fetch_one(
        f"SELECT {BOOKING_COLUMNS} {BOOKING_FROM} WHERE b.id = $1{suffix}", booking_id)


async def booking_history(booking_id: int) -> list[dict[str, Any]]:
    return await sql.fetch(
        """SELECT e.at, e.from_status, e.to_status, e.reason, e.actor_user_id, u.name AS actor_name
           FROM booking_event e LEFT JOIN app_user u ON u.id = e.actor_user_id
           WHERE e.booking_id = $1 ORDER BY e.at, e.id""",
        booking_id,
    )


def scope_organisations(identity: Identity, scope: str) -> list[int]:
    """Whose bookings `identity` lists in a scope: "mine" — booked by any of its organisations;
    "incoming" — of assets offered by the organisations it *manages* (seeing and deciding
    other organisations' requests is the managers' job, on the page and in the API alike)."""
    return identity.organisation_ids if scope == "mine" else identity.managed_organisation_ids


async def list_bookings(organisation_ids: list[int], scope: str, statuses: list[str] | None,
                        start: datetime | None, end: datetime | None, limit: int,
                        offset: int, newest_first: bool = False) -> tuple[list[dict[str, Any]], int]:
    """Bookings made by (scope "mine") or of assets owned by ("incoming") these organisations."""
    column = "b.organisation_id" if scope == "mine" else "a.organisation_id"
    where = f"""{column} = ANY($1::bigint[])
        AND ($2::text[] IS NULL OR b.status = ANY($2::text[]))
        AND ($3::timestamptz IS NULL OR b.ends_at > $3)
        AND ($4::timestamptz IS NULL OR b.starts_at < $4)"""
    order = "b.starts_at DESC, b.id DESC" if newest_first else "b.starts_at, b.id"
    rows = await sql.fetch(
        f"SELECT {BOOKING_COLUMNS}, count(*) OVER () AS total {BOOKING_FROM} WHERE {where}"
        f" ORDER BY {order} LIMIT $5 OFFSET $6",
        organisation_ids, statuses, start, end, limit, offset,
    )
    if rows:
        total = rows[0]["total"]
    else:
        total = await sql.fetch_value(
            f"SELECT count(*) {BOOKING_FROM} WHERE {where}", organisation_ids, statuses, start, end)
    return rows, int(total or 0)


async def manager_addresses(organisation_id: int) -> list[dict[str, Any]]:
    """The active managers of an organisation who want emails about its assets' bookings."""
    return await sql.fetch(
        f"""SELECT u.email, u.name, u.locale FROM membership m JOIN app_user u ON u.id = m.user_id
            WHERE m.organisation_id = $1 AND m.role = 'manager' AND u.is_active
              AND {WANTS_OWNER_EMAILS} ORDER BY u.id""",
        organisation_id,
    )


async def user_address(user_id: int) -> dict[str, Any] | None:
    """The person who booked, if active and wanting emails about their bookings."""
    return await sql.fetch_one(
        f"SELECT u.email, u.name, u.locale FROM app_user u WHERE u.id = $1 AND u.is_active"
        f" AND {WANTS_BOOKING_EMAILS}", user_id)


async def asset_for_form(identity: Identity, asset_id: int) -> dict[str, Any] | None:
    """What the booking form shows about an asset (title, owner, policy hints) — only for an
    active asset this identity may see (assets.queries.visible_sql), else None: drafts,
    retired assets and other networks' assets are not shown, nor is their existence told."""
    orgs, networks = visibility_params(identity)
    return await sql.fetch_one(
        f"""SELECT a.id, a.title, a.kind, a.status, a.timezone, a.quantity, a.capacity,
                  a.approval_required, a.min_duration_minutes, a.max_duration_minutes,
                  a.slot_minutes, a.lead_time_minutes, a.buffer_before_minutes,
                  a.buffer_after_minutes, a.cancellation_deadline_hours, a.address, a.district,
                  o.name AS owner_name
           FROM asset a JOIN organisation o ON o.id = a.organisation_id
           WHERE a.id = $3 AND a.status = 'active' AND {visible_sql('a', '$1', '$2')}""",
        orgs, networks, asset_id,
    )


async def event_counts(booking_ids: list[int]) -> dict[int, int]:
    """booking id → number of history rows (SEQUENCE + 1), for the invitation emails."""
    rows = await sql.fetch(
        """SELECT booking_id, count(*) AS n FROM booking_event
           WHERE booking_id = ANY($1::bigint[]) GROUP BY booking_id""", booking_ids)
    return {r["booking_id"]: r["n"] for r in rows}
