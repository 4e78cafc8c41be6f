"""The one Piccolo engine. Its connection settings are filled in at start-up (see lifecycle)."""

from __future__ import annotations

from piccolo.engine.postgres import PostgresEngine

DB = PostgresEngine(config={}, log_queries=False)


def configure(dsn: str) -> None:
    """Point the engine at a database before the pool starts."""
    DB.config = {"dsn": dsn}
