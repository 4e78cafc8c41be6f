"""The periodic sweeper: make stored states true (expired requests, completed bookings) and
forget old idempotency keys. Every step is idempotent, so running it twice changes nothing."""

from __future__ import annotations

import logging

from resourcepool.bookings.lifecycle import complete_bookings, expire_requests, purge_idempotency_keys
from resourcepool.periodic import run_periodically

log = logging.getLogger("resourcepool.bookings")

INTERVAL_SECONDS = 60


async def sweep_once() -> dict[str, int]:
    return {
        "expired": await expire_requests(),
        "completed": await complete_bookings(),
        "idempotency_keys_purged": await purge_idempotency_keys(),
    }


async def _sweep_and_tell() -> None:
    result = await sweep_once()
    if any(result.values()):
        log.info("booking sweeper: %s", result)


async def run_booking_sweeper_forever(interval: float = INTERVAL_SECONDS) -> None:
    """Sweep every `interval` seconds until cancelled; errors are logged, never fatal."""
    await run_periodically(_sweep_and_tell, interval, log, "the booking sweeper")
