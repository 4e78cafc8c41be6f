"""Outbox leases carry the claiming sender's token: before each message a sender renews its lease
on that message only if the token is still its own, so a sender whose batch outlasted the lease
never sends a message another sender has taken over meanwhile."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from resourcepool.db.migrate import execute_sql

ID = "2026-12-03T18:00:61:000000"
VERSION = "1.38.0"
DESCRIPTION = "outbox lease"

SQL = r"""
ALTER TABLE outbox_message ADD COLUMN lease_token uuid;
"""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="resourcepool", description=DESCRIPTION)

    async def run():
        await execute_sql(SQL)

    manager.add_raw(run)
    return manager
