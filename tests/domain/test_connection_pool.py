"""The pool hands out clean connections without asyncpg's per-release reset query."""

import secrets

import asyncpg
import pytest

from resourcepool.db import sql
from resourcepool.db.engine import DB
from tests.conftest import _with_database


async def test_a_connection_released_inside_a_failed_transaction__comes_back_clean(app, database_url):
    with pytest.raises(asyncpg.DivisionByZeroError):
        async with DB.transaction():
            await sql.fetch_value("SELECT 1 / 0")
    # Another database on the same server (another test run, another app) with a transaction
    # left open must not count: only this database's connections are the pool's. (A database
    # of its own: a session held open in template1 would stop others' CREATE DATABASE.)
    other = f"rp_idle_{secrets.token_hex(4)}"
    await sql.execute(f'CREATE DATABASE "{other}" TEMPLATE template0')
    elsewhere = await asyncpg.connect(_with_database(database_url, other))
    try:
        await elsewhere.execute("BEGIN; SELECT 1")
        # Every connection of the pool answers (none is left in an aborted transaction),
        # and none holds a transaction open.
        for _ in range(DB.pool.get_max_size() + 2):
            assert await sql.fetch_value("SELECT 1") == 1
            assert await sql.fetch_value("SELECT count(*) FROM pg_stat_activity "
                                         "WHERE state LIKE 'idle in transaction%' "
                                         "AND datname = current_database()") == 0
    finally:
        await elsewhere.close()
        await sql.execute(f'DROP DATABASE IF EXISTS "{other}" WITH (FORCE)')


async def test_the_pool__releases_connections_without_a_reset_round_trip(app):
    assert DB.pool._reset is not None  # asyncpg's default would send RESET ALL etc. per release
