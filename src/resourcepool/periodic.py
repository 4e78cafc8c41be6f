"""Background loops of the app (mail sender, sweepers): one step every few seconds or minutes."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable


async def run_periodically(step: Callable[[], Awaitable[Any]], interval: float,
                           log: logging.Logger, what: str) -> None:
    """Run `step` every `interval` seconds until cancelled. A failing step is logged and the
    next round tries again: one bad round must not stop the loop for the process's life."""
    while True:
        try:
            await step()
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001
            log.exception("%s failed; trying again in %s s", what, interval)
        await asyncio.sleep(interval)
