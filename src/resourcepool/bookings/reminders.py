"""Reminders before a booking starts: to the person who booked, at the lead they chose
(2 or 24 hours; default 24 hours; or none), once per booking and user.

"Once" holds with any number of loops in any number of processes: a batch claims its
(booking, user) rows in `booking_reminder` (primary key) with INSERT … ON CONFLICT DO NOTHING
and queues the emails in the same transaction. A second loop that picked the same booking
waits on the first one's uncommitted key, then inserts nothing and sends nothing; if the first
transaction rolls back, nothing was claimed and the next round tries again.

A booking made within its reminder lead (say, 20 hours ahead with the 24-hour setting) gets no
reminder: its confirmation has just arrived.
"""

from __future__ import annotations

import logging
from typing import Any

from resourcepool import clock
from resourcepool.bookings import notify, queries
from resourcepool.db import sql
from resourcepool.db.engine import DB
from resourcepool.notifications.preferences import DEFAULT_REMINDER
from resourcepool.periodic import run_periodically

log = logging.getLogger("resourcepool.reminders")

INTERVAL_SECONDS = 60
BATCH = 100
LONGEST_LEAD_MINUTES = 1440

_CLAIM = f"""
    WITH due AS (
        SELECT b.id AS booking_id, b.user_id
        FROM booking b
        JOIN app_user u ON u.id = b.user_id AND u.is_active
        LEFT JOIN notification_settings ns ON ns.user_id = b.user_id
        CROSS JOIN LATERAL (SELECT make_interval(mins => coalesce(ns.reminder_minutes,
                                                                  {DEFAULT_REMINDER})) AS lead) l
        WHERE b.status = 'confirmed'
          AND b.starts_at > $1 AND b.starts_at <= $1 + make_interval(mins => {LONGEST_LEAD_MINUTES})
          AND coalesce(ns.reminder_minutes, {DEFAULT_REMINDER}) > 0
          AND coalesce(ns.booking_emails, true)
          AND b.starts_at - l.lead <= $1
          AND b.created_at <= b.starts_at - l.lead
          AND NOT EXISTS (SELECT 1 FROM booking_reminder r
                          WHERE r.booking_id = b.id AND r.user_id = b.user_id)
        ORDER BY b.starts_at, b.id
        LIMIT $2
    )
    INSERT INTO booking_reminder (booking_id, user_id, sent_at)
    SELECT booking_id, user_id, $1 FROM due
    ON CONFLICT DO NOTHING
    RETURNING booking_id, user_id
"""


async def send_due_reminders(limit: int = BATCH) -> int:
    """Claim the reminders that are due and queue their emails, in one transaction.
    Returns how many were sent by this call."""
    async def batch() -> int:
        async with DB.transaction():
            claimed = await sql.fetch(_CLAIM, clock.now(), limit)
            for row in claimed:
                await _remind(row)
        return len(claimed)

    return await sql.with_retries(batch)


async def _remind(claim: dict[str, Any]) -> None:
    booking = await sql.fetch_one(
        f"SELECT {queries.BOOKING_COLUMNS}, a.address AS asset_address {queries.BOOKING_FROM} "
        "WHERE b.id = $1", claim["booking_id"])
    person = await queries.user_address(claim["user_id"])
    if booking is not None and person is not None:
        await notify.send([person], "reminder", [booking])


async def _remind_all() -> None:
    total = 0
    while True:
        sent = await send_due_reminders()
        total += sent
        if sent < BATCH:
            break
    if total:
        log.info("reminders sent: %s", total)


async def run_reminders_forever(interval: float = INTERVAL_SECONDS) -> None:
    """Send due reminders every `interval` seconds until cancelled (worker.LOOPS)."""
    await run_periodically(_remind_all, interval, log, "the reminder loop")
