"""The generated secret key lives in the database, so every app process — on one machine or on
several — signs with the same key. It is created once with INSERT … ON CONFLICT DO NOTHING: two
processes starting at once cannot end up holding different keys."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from resourcepool.db.migrate import execute_sql

ID = "2026-12-03T18:00:60:000000"
VERSION = "1.38.0"
DESCRIPTION = "app secret"

SQL = r"""
CREATE TABLE app_secret (
    name text PRIMARY KEY CHECK (name IN ('secret_key')),
    value text NOT NULL CHECK (char_length(value) BETWEEN 32 AND 512),
    created_at timestamptz NOT NULL DEFAULT now()
);
"""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="resourcepool", description=DESCRIPTION)

    async def run():
        await execute_sql(SQL)

    manager.add_raw(run)
    return manager
