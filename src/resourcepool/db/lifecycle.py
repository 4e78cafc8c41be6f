"""Open and close the database for a process: embedded server or URL, then Piccolo's pool."""

from __future__ import annotations

import asyncio
import logging

import asyncpg

from resourcepool.db.embedded import start_embedded
from resourcepool.db.engine import DB, configure
from resourcepool.settings import Settings

log = logging.getLogger(__name__)


class DatabaseUnavailable(SystemExit):
    """Raised at start-up when the database cannot be reached; ends the process with a message."""


def resolve_dsn(settings: Settings) -> str:
    if settings.database_url:
        return settings.database_url
    return start_embedded(settings.pg_dir)


async def check_connection(dsn: str) -> None:
    try:
        conn = await asyncio.wait_for(asyncpg.connect(dsn), timeout=10)
    except (OSError, asyncpg.PostgresError, asyncio.TimeoutError, ValueError) as exc:
        raise DatabaseUnavailable(
            f"resourcepool: cannot reach the database ({_redact(dsn)}): {exc or type(exc).__name__}"
        ) from None
    try:
        version = await conn.fetchval("SHOW server_version_num")
    finally:
        await conn.close()
    if int(version) < 140000:
        raise DatabaseUnavailable("resourcepool: PostgreSQL 14 or newer is required.")


async def open_database(settings: Settings, *, min_size: int = 2, max_size: int = 10) -> str:
    """Resolve the DSN, check it answers, and start the pool. Returns the DSN."""
    dsn = resolve_dsn(settings)
    await check_connection(dsn)
    configure(dsn)
    if DB.pool is None:
        await DB.start_connection_pool(min_size=min_size, max_size=max_size,
                                       reset=_keep_session_as_is)
    return dsn


async def _keep_session_as_is(connection: asyncpg.Connection) -> None:
    """Pool release hook in place of asyncpg's reset query (advisory unlock, CLOSE ALL, UNLISTEN,
    RESET ALL), which costs a round trip on every release — three per API request.

    Nothing here leaves session state behind: advisory locks are transaction-scoped
    (pg_advisory_xact_lock), and there are no session SETs, cursors or LISTENs. asyncpg still
    rolls back a transaction left open before calling this.
    """
    return None


async def close_database() -> None:
    if DB.pool is not None:
        await DB.close_connection_pool()


def _redact(dsn: str) -> str:
    # Never print a password into a log or terminal.
    if "@" in dsn and "://" in dsn:
        scheme, rest = dsn.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}"
    return dsn
