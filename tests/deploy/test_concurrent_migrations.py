"""Several processes starting at once on an empty database apply each migration exactly once."""

import asyncio
import subprocess

import asyncpg

from resourcepool.paths import migrations_dir
from tests.deploy.support import COMMAND, command_env, new_database

# Piccolo's own bookkeeping table, made ahead so the test can hold every process at its door.
PICCOLO_MIGRATION_TABLE = """
CREATE TABLE migration (id serial PRIMARY KEY, name varchar(200) NOT NULL DEFAULT '',
                        app_name varchar(200) NOT NULL DEFAULT '',
                        ran_on timestamp NOT NULL DEFAULT current_timestamp)"""


async def _waiting_on_locks(url: str) -> int:
    # A connection of its own: inside a transaction pg_stat_activity is a snapshot.
    conn = await asyncpg.connect(url)
    try:
        return await conn.fetchval("SELECT count(*) FROM pg_stat_activity WHERE "
                                   "datname = current_database() AND wait_event_type = 'Lock'")
    finally:
        await conn.close()


async def test_four_migrate_commands_at_once__apply_each_migration_once(database_url, tmp_path):
    async with new_database(database_url) as url:
        env = command_env(RESOURCEPOOL_DATABASE_URL=url, RESOURCEPOOL_DATA_DIR=str(tmp_path))
        gate = await asyncpg.connect(url)
        try:
            await gate.execute(PICCOLO_MIGRATION_TABLE)
            # Hold all four at the start line (each one waits for this lock or for the one
            # that waits for it), then let them go at the same instant.
            transaction = gate.transaction()
            await transaction.start()
            await gate.execute("LOCK TABLE migration IN ACCESS EXCLUSIVE MODE")
            processes = [subprocess.Popen([COMMAND, "migrate"], env=env, stdout=subprocess.PIPE,
                                          stderr=subprocess.STDOUT, text=True) for _ in range(4)]
            for _ in range(600):
                if await _waiting_on_locks(url) == 4 or any(p.poll() is not None for p in processes):
                    break
                await asyncio.sleep(0.1)
            await transaction.commit()
            outputs = [await asyncio.to_thread(p.communicate, timeout=120) for p in processes]
            assert [p.returncode for p in processes] == [0] * 4, [o[0][-1500:] for o in outputs]

            names = [r["name"] for r in await gate.fetch("SELECT name FROM migration")]
            tables = await gate.fetchval("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        finally:
            await gate.close()
        files = list(migrations_dir().glob("m*.py"))
        assert len(names) == len(set(names)) == len(files)
        assert tables > len(files)
