"""The accounts sweeper: forget what no longer protects anyone — ended sessions and old
sign-in attempts (they only count for an hour; two days are kept for looking into abuse)."""

from __future__ import annotations

import logging

from resourcepool.accounts.login import purge_old_attempts
from resourcepool.accounts.sessions import purge_expired_sessions
from resourcepool.periodic import run_periodically

log = logging.getLogger("resourcepool.accounts")

INTERVAL_SECONDS = 3600


async def sweep_once() -> dict[str, int]:
    return {
        "sessions_purged": await purge_expired_sessions(),
        "sign_in_attempts_purged": await purge_old_attempts(),
    }


async def run_account_sweeper_forever(interval: float = INTERVAL_SECONDS) -> None:
    """Sweep every `interval` seconds until cancelled; errors are logged, never fatal."""
    await run_periodically(sweep_once, interval, log, "the accounts sweeper")
