"""Run the migrations in the top-level migrations/ folder with Piccolo's runner.

Several processes may start at once (app processes, a worker, a second machine): each takes a
PostgreSQL advisory lock first, so one applies the pending migrations and the others wait, then
find nothing left to do. Without it two processes would run the same migration side by side and
one would fail half-way (or both would record it).
"""

from __future__ import annotations

import contextlib
import io
import logging

from piccolo.apps.migrations.commands.forwards import ForwardsMigrationManager

from resourcepool.db.engine import DB

log = logging.getLogger(__name__)

# pg_advisory_lock's key for "migrating resourcepool's schema" (any constant no other lock uses:
# the bytes of "rp-migr" as a number).
MIGRATION_LOCK = int.from_bytes(b"rp-migr", "big")


async def run_migrations(*, quiet: bool = True) -> str:
    """Apply every migration not yet applied, one process at a time; returns Piccolo's message."""
    # A connection of its own, outside the pool: the session lock lasts until it closes, and a
    # process that dies while migrating loses the connection and so the lock.
    lock = await DB.get_new_connection()
    try:
        if not await lock.fetchval("SELECT pg_try_advisory_lock($1)", MIGRATION_LOCK):
            log.info("another process is migrating the database; waiting for it")
            await lock.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK)
        return await _apply_pending(quiet)
    finally:
        await lock.close()


async def _apply_pending(quiet: bool) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out) if quiet else contextlib.nullcontext():
        result = await ForwardsMigrationManager(app_name="resourcepool").run()
    if not result.success:
        raise SystemExit(f"resourcepool: migrations failed: {result.message}")
    return result.message


async def execute_sql(sql: str) -> None:
    """Execute a script of SQL statements inside the running migration's transaction."""
    transaction = DB.current_transaction.get()
    if transaction is not None:
        await transaction.connection.execute(sql)
        return
    conn = await DB.get_new_connection()
    try:
        await conn.execute(sql)
    finally:
        await conn.close()
