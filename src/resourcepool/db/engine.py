"""The one Piccolo engine. Its connection settings are filled in at start-up (see lifecycle)."""

from __future__ import annotations

from piccolo.engine.postgres import PostgresEngine


class Engine(PostgresEngine):
    """Piccolo's PostgreSQL engine without its work at import time.

    Piccolo's constructor connects at once to check the server version and create the
    uuid-ossp extension. Built before the settings are read, it would reach whatever server the
    libpq defaults point at (a stray "Running Postgres version …" line before our own message
    about an unreachable database, and an extension created in someone else's database).
    lifecycle.check_connection checks the real server (PostgreSQL ≥ 14); we use no extension.
    """

    async def check_version(self) -> None:
        return None

    async def prep_database(self) -> None:
        return None


DB = Engine(config={}, extensions=(), log_queries=False)


def configure(dsn: str) -> None:
    """Point the engine at a database before the pool starts."""
    DB.config = {"dsn": dsn}
