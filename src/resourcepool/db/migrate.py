"""Run the migrations in the top-level migrations/ folder with Piccolo's runner."""

from __future__ import annotations

import contextlib
import io

from piccolo.apps.migrations.commands.forwards import ForwardsMigrationManager

from resourcepool.db.engine import DB


async def run_migrations(*, quiet: bool = True) -> str:
    """Apply every migration not yet applied; returns Piccolo's message."""
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
