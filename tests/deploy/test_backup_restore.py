"""`resourcepool backup` and `restore`: a dump restored into a new database holds every row of every
table (compared generically, so tables added later are covered too) and the app serves the same
bookings from it."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import asyncpg
import httpx

from resourcepool.accounts.api_tokens import create_api_token
from tests.deploy.support import command_env, free_port, new_database, run, start, stop, wait_ready
from tests.fixtures.bookings import tomorrow_at


async def fingerprint(url: str) -> dict[str, tuple]:
    """Every table's row count and a digest of its rows; every sequence's position."""
    conn = await asyncpg.connect(url)
    try:
        found: dict[str, tuple] = {}
        for (table,) in await conn.fetch(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"):
            found[table] = tuple(await conn.fetchrow(
                f'SELECT count(*), md5(coalesce(string_agg(t::text, E\'\\n\' ORDER BY t::text), \'\')) '
                f'FROM "{table}" t'))
        for (sequence,) in await conn.fetch(
                "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1"):
            found[f"sequence {sequence}"] = tuple(await conn.fetchrow(
                f'SELECT last_value, is_called FROM "{sequence}"'))
        return found
    finally:
        await conn.close()


async def test_a_backup_restored_into_a_new_database__serves_the_same_bookings(
        database_url, booked_world, make_booking, api_as, tmp_path):
    world = await booked_world()
    start_at = tomorrow_at(9)
    for n, status in enumerate(("confirmed", "requested", "cancelled")):
        await make_booking(asset=world["asset"], organisation=world["booker_org"], user=world["booker"],
                           start=start_at + timedelta(days=n), status=status, purpose=f"Treffen „{n}“")
    token, _ = await create_api_token(world["booker"].id, "backup test")
    dump = tmp_path / "resourcepool.dump"

    made = await asyncio.to_thread(run, ["backup", str(dump)],
                                   command_env(RESOURCEPOOL_DATABASE_URL=database_url))
    assert made.returncode == 0, made.stderr[-2000:]
    assert dump.stat().st_size > 0 and not dump.with_name(dump.name + ".partial").exists()

    async with new_database(database_url, "rp_restored") as restored_url:
        env = command_env(RESOURCEPOOL_DATABASE_URL=restored_url, RESOURCEPOOL_DATA_DIR=str(tmp_path / "data"),
                          RESOURCEPOOL_SECRET_KEY="restored-" + "k" * 40)
        restored = await asyncio.to_thread(run, ["restore", str(dump)], env)
        assert restored.returncode == 0, restored.stderr[-2000:]
        assert await fingerprint(restored_url) == await fingerprint(database_url)

        again = await asyncio.to_thread(run, ["restore", str(dump)], env)
        assert again.returncode == 2 and "not empty" in again.stderr

        port = free_port()
        log = tmp_path / "serve.log"
        serve = start(["serve", "--workers", "1", "--no-background", "--port", str(port)], env, log)
        try:
            await asyncio.to_thread(wait_ready, f"http://127.0.0.1:{port}", serve, log)
            headers = {"Authorization": f"Bearer {token}"}
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", headers=headers,
                                         timeout=30) as from_backup:
                served = await from_backup.get("/api/v1/bookings")
            live = await (await api_as(world["booker"])).get("/api/v1/bookings")
        finally:
            stop(serve)
        assert served.status_code == live.status_code == 200
        assert served.json() == live.json()
        assert len(served.json()["items"]) == 3
