"""Several app processes: throughput and latency of `serve --workers 1` against `--workers 2` on the
same database, measured in the same run (a request's CPU work is Python on one core per process,
so a second process should use the second core).

Run with `pytest -m perf tests/perf/test_processes_perf.py -s`. PERF_CLIENTS concurrent clients
send PERF_REQUESTS requests in all to each endpoint: GET /health (the web stack alone, no
database) and GET /api/v1/bookings (token, identity, one query, 50 bookings serialised).
Figures go to stdout and tests/perf/results/processes.txt, with the load average (the machine is
shared: compare the two rows of one run, not runs of different days).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from resourcepool.accounts.api_tokens import create_api_token
from tests.deploy.support import command_env, free_port, start, stop, wait_ready
from tests.fixtures.bookings import tomorrow_at

pytestmark = pytest.mark.perf

CLIENTS = int(os.environ.get("PERF_CLIENTS", "16"))
REQUESTS = int(os.environ.get("PERF_REQUESTS", "1000"))
RESULTS = Path(__file__).parent / "results" / "processes.txt"


async def _hammer(base: str, path: str, token: str) -> tuple[float, list[float]]:
    latencies: list[float] = []
    queue = iter(range(REQUESTS))

    async def client() -> None:
        async with httpx.AsyncClient(base_url=base, timeout=60,
                                     headers={"Authorization": f"Bearer {token}"}) as c:
            for _ in queue:
                t = time.perf_counter()
                response = await c.get(path)
                latencies.append(time.perf_counter() - t)
                assert response.status_code == 200

    began = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(CLIENTS)))
    return time.perf_counter() - began, latencies


async def test_two_app_processes_against_one(database_url, booked_world, make_booking):
    world = await booked_world()
    for day in range(50):
        await make_booking(asset=world["asset"], organisation=world["booker_org"], user=world["booker"],
                           start=tomorrow_at(10) + timedelta(days=day))
    token, _ = await create_api_token(world["booker"].id, "perf")
    lines = [f"# {time.strftime('%Y-%m-%d %H:%M')}  clients={CLIENTS} requests={REQUESTS} "
             f"cores={os.cpu_count()}"]
    folder = Path(tempfile.mkdtemp(prefix="rp-perf-"))
    for workers in (1, 2):
        port = free_port()
        log = folder / f"serve-{workers}.log"
        env = command_env(RESOURCEPOOL_DATABASE_URL=database_url, RESOURCEPOOL_DATA_DIR=str(folder),
                          RESOURCEPOOL_SECRET_KEY="perf-" + "k" * 40)
        serve = start(["serve", "--workers", str(workers), "--no-background", "--port", str(port)], env, log)
        try:
            await asyncio.to_thread(wait_ready, f"http://127.0.0.1:{port}", serve, log)
            base = f"http://127.0.0.1:{port}"
            for path in ("/health", "/api/v1/bookings"):
                await _hammer(base, path, token)  # warm up every process
                load_before = os.getloadavg()[0]
                elapsed, latencies = await _hammer(base, path, token)
                q = statistics.quantiles(latencies, n=20)
                lines.append(f"workers={workers} {path:<18} {REQUESTS / elapsed:7.0f} req/s  "
                             f"p50 {statistics.median(latencies) * 1000:6.1f} ms  "
                             f"p95 {q[18] * 1000:6.1f} ms  load {load_before:.1f}")
                print(lines[-1])
        finally:
            stop(serve)
    RESULTS.parent.mkdir(exist_ok=True)
    with RESULTS.open("a", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n\n")
