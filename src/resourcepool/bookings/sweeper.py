"""The periodic sweeper: make stored states true (expired requests, completed bookings) and
forget old idempotency keys. Every step is idempotent, so running it twice changes nothing."""

from __future__ import annotations

import asyncio
import logging

from resourcepool.bookings.lifecycle import complete_bookings, expire_requests, purge_idempotency_keys

log = logging.getLogger("resourcepool.bookings")

INTERVAL_SECONDS = 60


async def sweep_once() -> dict[str, int]:
    return {
        "expired": await expire_requests(),
        "completed": await complete_bookings(),
        "idempotency_keys_purged": await purge_idempotency_keys(),
    }


async def run_booking_sweeper_forever(interval: float = INTERVAL_SECONDS) -> None:
    """Sweep every `interval` seconds until cancelled; errors are logged, never fatal."""
    while True:
        try:
            result = await sweep_once()
            if any(result.values()):
                log.info("booking sweeper: %s", result)
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - one bad sweep must not stop the next
            log.exception("booking sweeper failed")
        await asyncio.sleep(interval)
