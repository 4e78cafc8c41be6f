"""The background loops: the mail sender, the sweepers, and every other periodic job.

`serve` and `demo` run them inside the app process; `serve --no-background` leaves them to a
separate `resourcepool worker` process (one or more: each loop is safe to run side by side —
rows are claimed with FOR UPDATE SKIP LOCKED, leases or advisory locks — so two workers, or a
worker and an app process that still runs them, never do a job twice).

A domain with a periodic job adds its `run_…_forever` coroutine function to LOOPS here; this
module, like app.py and cli.py, is wiring and may import from every domain.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Awaitable, Callable

from resourcepool.accounts.sweeper import run_account_sweeper_forever
from resourcepool.bookings.sweeper import run_booking_sweeper_forever
from resourcepool.notifications.sender import run_sender_forever
from resourcepool.bookings.reminders import run_reminders_forever
from resourcepool.availability.materialise import run_closure_materialiser_forever
from resourcepool.calendar_feeds.external import run_calendar_refresh_forever

log = logging.getLogger("resourcepool.worker")

LOOPS: list[Callable[[], Awaitable[None]]] = [
    run_sender_forever,
    run_booking_sweeper_forever,
    run_account_sweeper_forever,
    run_reminders_forever,
    run_closure_materialiser_forever,
    run_calendar_refresh_forever,
]


def start_loops() -> list[asyncio.Task[None]]:
    """Start every loop as a task of the running event loop."""
    return [asyncio.create_task(loop(), name=loop.__name__) for loop in LOOPS]  # type: ignore[arg-type]


async def stop_loops(tasks: list[asyncio.Task[None]]) -> None:
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


async def run_worker() -> None:
    """Run every loop until cancelled (the `resourcepool worker` command)."""
    tasks = start_loops()
    log.info("worker running %s", ", ".join(t.get_name() for t in tasks))
    try:
        await asyncio.gather(*tasks)
    finally:
        await stop_loops(tasks)
