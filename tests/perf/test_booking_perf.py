"""Booking benchmark: creation throughput and latency through the HTTP API, against the bare
INSERT into the same constrained table, measured in the same run.

Run with `pytest -m perf tests/perf/test_booking_perf.py -s`. The database gets
PERF_ASSETS assets and PERF_BOOKINGS bookings first (default 10,000 / 1,000,000, written by
`assets.generate`, the code behind `resourcepool admin generate`). Then:

- API: the real app under uvicorn in a subprocess; PERF_CLIENTS concurrent httpx clients
  (each its own user and Bearer token) POST /api/v1/bookings, PERF_REQUESTS in all, for free
  1-hour slots of always-open single-unit assets (so every request runs the whole path:
  token, identity, policies, opening hours, pre-check, asset lock, INSERT with the exclusion
  constraint, history row, outbox email, commit);
- in-process: the same number of tasks calling `request_booking` directly (no HTTP, no token
  lookup), to show how the time splits between the web layer and the booking domain;
- bare INSERT: the same number of connections each committing single-row INSERTs into
  `booking` (constraint and indexes in place), PERF_REQUESTS in all.
Each of the three also runs with a single client (PERF_SINGLE_REQUESTS requests): with
PERF_CLIENTS clients on a machine of few cores the median is mostly queueing, the single
client shows the latency of one booking. The number of SQL statements (round trips) of one
in-process booking is counted too. Figures go to stdout and tests/perf/results/bookings.txt,
with the ratios.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import asyncpg
import httpx
from asyncpg.connection import Connection
import pytest

from resourcepool import clock
from resourcepool.accounts.api_tokens import create_api_token
from resourcepool.accounts.identity import load_identity
from resourcepool.bookings.service import request_booking
from resourcepool.errors import SlotUnavailable
from resourcepool.assets.generate import generate
from resourcepool.db import sql

pytestmark = pytest.mark.perf

ASSETS = int(os.environ.get("PERF_ASSETS", "10000"))
BOOKINGS = int(os.environ.get("PERF_BOOKINGS", "1000000"))
CLIENTS = int(os.environ.get("PERF_CLIENTS", "8"))
REQUESTS = int(os.environ.get("PERF_REQUESTS", "2000"))
SINGLE = int(os.environ.get("PERF_SINGLE_REQUESTS", "300"))
RESULTS = Path(__file__).parent / "results" / "bookings.txt"
UTC = timezone.utc


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_server(database_url: str) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = dict(os.environ, RESOURCEPOOL_DATABASE_URL=database_url,
               RESOURCEPOOL_BASE_URL=f"http://127.0.0.1:{port}")
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "resourcepool.app:create_app",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log"],
        env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/ready", timeout=1).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("the app did not start")


def _slots(asset_ids: list[int], n: int, first_day: int, days: int, seed: int) -> list[tuple[int, datetime]]:
    """n distinct (asset, hour) pairs; no two share an asset and an hour, so none clash."""
    rng = random.Random(seed)
    base = clock.now().astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    seen: set[tuple[int, int]] = set()
    out: list[tuple[int, datetime]] = []
    while len(out) < n:
        asset = rng.choice(asset_ids)
        hour = rng.randrange(first_day * 24, (first_day + days) * 24)
        if (asset, hour) in seen:
            continue
        seen.add((asset, hour))
        out.append((asset, base + timedelta(hours=hour)))
    return out


async def _api_run(url: str, tokens: list[str], slots: list[tuple[int, datetime]]) -> dict:
    latencies: list[float] = []
    codes: dict[int, int] = {}
    queue = list(slots)

    async def client(token: str) -> None:
        async with httpx.AsyncClient(base_url=url, timeout=30,
                                     headers={"Authorization": f"Bearer {token}"}) as http:
            while queue:
                asset_id, start = queue.pop()
                body = {"asset_id": asset_id, "start": start.isoformat(),
                        "end": (start + timedelta(hours=1)).isoformat(), "purpose": "Benchmark"}
                t0 = time.perf_counter()
                response = await http.post("/api/v1/bookings", json=body)
                latencies.append((time.perf_counter() - t0) * 1000)
                codes[response.status_code] = codes.get(response.status_code, 0) + 1

    # Warm-up: plans, pool connections, imports.
    warm = slots[:len(tokens) * 5]
    queue = warm
    await asyncio.gather(*(client(t) for t in tokens))
    latencies.clear()
    codes.clear()
    queue = list(slots[len(tokens) * 5:])
    t0 = time.perf_counter()
    await asyncio.gather(*(client(t) for t in tokens))
    wall = time.perf_counter() - t0
    return {"wall": wall, "latencies": latencies, "codes": codes}


async def _bare_run(dsn: str, rows: list[tuple], clients: int = CLIENTS) -> dict:
    latencies: list[float] = []
    errors = 0
    queue = list(rows)

    async def worker() -> None:
        nonlocal errors
        conn = await asyncpg.connect(dsn)
        try:
            statement = await conn.prepare(
                """INSERT INTO booking (asset_id, organisation_id, user_id, starts_at, ends_at,
                       held_from, held_until, quantity, exclusive, purpose, status)
                   VALUES ($1, $2, $3, $4, $5, $4, $5, 1, true, 'Benchmark', 'confirmed')""")
            while queue:
                row = queue.pop()
                t0 = time.perf_counter()
                try:
                    await statement.fetch(*row)  # autocommit: one transaction per row
                except asyncpg.ExclusionViolationError:
                    errors += 1
                latencies.append((time.perf_counter() - t0) * 1000)
        finally:
            await conn.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    return {"wall": time.perf_counter() - t0, "latencies": latencies, "errors": errors}


async def _statements_of(work) -> int:
    """How many SQL statements (round trips, BEGIN/COMMIT included) `work()` sends."""
    count = 0
    original_execute, original__execute = Connection.execute, Connection._execute

    async def execute(self, query, *args, **kwargs):
        nonlocal count
        count += not args  # with arguments it goes through _execute, counted there
        return await original_execute(self, query, *args, **kwargs)

    async def _execute(self, query, args, *rest, **kwargs):
        nonlocal count
        count += 1
        return await original__execute(self, query, args, *rest, **kwargs)

    Connection.execute, Connection._execute = execute, _execute
    try:
        await work()
    finally:
        Connection.execute, Connection._execute = original_execute, original__execute
    return count


async def _service_run(identities: list, slots: list[tuple[int, datetime]]) -> dict:
    """request_booking called in-process (no HTTP, no token check): the domain's own cost."""
    latencies: list[float] = []
    conflicts = 0
    queue = list(slots)

    async def worker(identity) -> None:
        nonlocal conflicts
        while queue:
            asset_id, start = queue.pop()
            t0 = time.perf_counter()
            try:
                await request_booking(identity, asset_id, start, start + timedelta(hours=1), "Benchmark")
            except SlotUnavailable:
                conflicts += 1
            latencies.append((time.perf_counter() - t0) * 1000)

    t0 = time.perf_counter()
    await asyncio.gather(*(worker(i) for i in identities))
    return {"wall": time.perf_counter() - t0, "latencies": latencies, "conflicts": conflicts}


async def test_booking_creation_benchmark(app, database_url):
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one log line per request would skew it
    lines = [f"booking benchmark — {ASSETS:,} assets, {BOOKINGS:,} bookings, {CLIENTS} concurrent "
             f"clients, {REQUESTS:,} requests", f"run at {datetime.now(UTC):%Y-%m-%d %H:%M UTC}, "
             f"{os.cpu_count()} CPUs, app and PostgreSQL on the same machine", ""]
    print(lines[0], flush=True)
    report = await generate(ASSETS, BOOKINGS, networks=3, seed=7, say=lambda s: print(s, flush=True))
    lines += ["generation:"] + ["  " + line for line in report.lines()] + [""]
    network_id = report.counts["first_network_id"]

    # Always-open, active, single-unit assets of network 1 with the default policy.
    assets = [r["id"] for r in await sql.fetch(
        """SELECT a.id FROM asset a JOIN asset_network an ON an.asset_id = a.id
           WHERE an.network_id = $1 AND a.status = 'active' AND a.quantity = 1
             AND NOT EXISTS (SELECT 1 FROM opening_hours h WHERE h.asset_id = a.id)
             AND NOT EXISTS (SELECT 1 FROM closure c WHERE c.asset_id = a.id)
           ORDER BY a.id""", network_id)]
    users = await sql.fetch(
        """SELECT m.user_id, m.organisation_id FROM membership m
           JOIN network_organisation no ON no.organisation_id = m.organisation_id
           WHERE no.network_id = $1 AND no.status = 'verified' ORDER BY m.user_id LIMIT $2""",
        network_id, CLIENTS)
    tokens = [(await create_api_token(u["user_id"], "benchmark"))[0] for u in users]
    assert assets and len(tokens) == CLIENTS

    # Free slots: the API books days 30–330 ahead (inside the horizon), skipping hours already
    # held; the bare INSERT uses days 400–700, where nothing is booked.
    held = {(r["asset_id"], r["h"]) for r in await sql.fetch(
        """SELECT asset_id, (extract(epoch FROM date_trunc('hour', held_from)) / 3600)::bigint AS h
           FROM booking WHERE asset_id = ANY($1::bigint[]) AND status IN ('requested', 'confirmed')
             AND held_until > now() + interval '29 days'""", assets)}
    def free(slots: list[tuple[int, datetime]], taken: set) -> list[tuple[int, datetime]]:
        return [s for s in slots if (s[0], int(s[1].timestamp() // 3600)) not in held | taken
                and (s[0], int(s[1].timestamp() // 3600) + 1) not in held]

    api_n, single_n = REQUESTS + CLIENTS * 5, SINGLE + 5
    candidates = free(_slots(assets, (api_n + single_n) * 2, 30, 300, seed=1), set())
    api_slots, api_single_slots = candidates[:api_n], candidates[api_n:api_n + single_n]
    taken = {(a, int(t.timestamp() // 3600)) for a, t in api_slots + api_single_slots}
    candidates = free(_slots(assets, (REQUESTS + SINGLE + 1) * 2, 30, 300, seed=3), taken)
    service_slots = candidates[:REQUESTS]
    service_single_slots = candidates[REQUESTS:REQUESTS + SINGLE + 1]
    bare_all = [(a, users[0]["organisation_id"], users[0]["user_id"], start, start + timedelta(hours=1))
                for a, start in _slots(assets, REQUESTS + SINGLE, 400, 300, seed=2)]
    bare_rows, bare_single_rows = bare_all[:REQUESTS], bare_all[REQUESTS:]

    before = await sql.fetch_value("SELECT count(*) FROM booking")
    proc, url = _start_server(database_url)
    try:
        # Single client first: the app's outbox sender then has only its own mails to send,
        # not the backlog of the concurrent run.
        api_single = await _api_run(url, tokens[:1], api_single_slots)
        api = await _api_run(url, tokens, api_slots)
    finally:
        proc.terminate()
        proc.wait(10)
    identities = [await load_identity(u["user_id"]) for u in users]
    asset_id, start = service_single_slots.pop()
    statements = await _statements_of(lambda: request_booking(
        identities[0], asset_id, start, start + timedelta(hours=1), "Benchmark"))
    service = await _service_run(identities, service_slots)
    service_single = await _service_run(identities[:1], service_single_slots)
    bare = await _bare_run(database_url, bare_rows)
    bare_single = await _bare_run(database_url, bare_single_rows, clients=1)

    def rate(run: dict, done: int) -> float:
        return done / run["wall"]

    rows = [  # (label, clients, bookings per second, latencies)
        ("POST /api/v1/bookings (HTTP)", CLIENTS, rate(api, api["codes"].get(201, 0)), api),
        ("POST /api/v1/bookings (HTTP)", 1, rate(api_single, api_single["codes"].get(201, 0)), api_single),
        ("request_booking() in-process", CLIENTS,
         rate(service, len(service_slots) - service["conflicts"]), service),
        ("request_booking() in-process", 1,
         rate(service_single, len(service_single_slots) - service_single["conflicts"]), service_single),
        ("bare INSERT (1 row per commit)", CLIENTS, rate(bare, len(bare_rows) - bare["errors"]), bare),
        ("bare INSERT (1 row per commit)", 1,
         rate(bare_single, len(bare_single_rows) - bare_single["errors"]), bare_single),
    ]
    lines.append(f"{'':<32} {'clients':>7} {'per s':>9} {'median ms':>10} {'p95 ms':>8} {'p99 ms':>8}")
    for label, clients, per_s, run in rows:
        lat = run["latencies"]
        lines.append(f"{label:<32} {clients:>7} {per_s:>9.1f} {statistics.median(lat):>10.2f} "
                     f"{_percentile(lat, .95):>8.2f} {_percentile(lat, .99):>8.2f}")
    api_tps, service_tps, bare_tps = rows[0][2], rows[2][2], rows[4][2]
    api_1, service_1, bare_1 = (statistics.median(rows[i][3]["latencies"]) for i in (1, 3, 5))
    lines += [
        "",
        f"API status codes: {dict(sorted(api['codes'].items()))}, single client "
        f"{dict(sorted(api_single['codes'].items()))}; in-process conflicts: "
        f"{service['conflicts'] + service_single['conflicts']}; bare INSERT conflicts: "
        f"{bare['errors'] + bare_single['errors']}",
        f"SQL statements (round trips) of one in-process booking: {statements}",
        f"ratio in-process request_booking / bare INSERT ({CLIENTS} clients): {service_tps / bare_tps:.3f}",
        f"ratio API / bare INSERT throughput ({CLIENTS} clients): {api_tps / bare_tps:.3f} "
        f"(the API does {bare_tps / api_tps:.1f}× the work per booking)",
        f"single-client median latency: API {api_1:.2f} ms, in-process {service_1:.2f} ms, "
        f"bare INSERT {bare_1:.2f} ms",
        f"bookings before: {before:,}; after: {await sql.fetch_value('SELECT count(*) FROM booking'):,}",
    ]
    overlaps = await sql.fetch_value(
        """SELECT count(*) FROM booking a JOIN booking b ON a.asset_id = b.asset_id AND a.id < b.id
           WHERE a.asset_id = ANY($1::bigint[]) AND a.exclusive AND b.exclusive
             AND a.status IN ('requested','confirmed') AND b.status IN ('requested','confirmed')
             AND tstzrange(a.held_from, a.held_until) && tstzrange(b.held_from, b.held_until)""",
        assets[:200])
    lines.append(f"overlapping holds among the first 200 benchmark assets: {overlaps}")
    print("\n".join(lines[-16:]), flush=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n")
    assert overlaps == 0
    assert api["codes"].get(500, 0) == 0 and api_single["codes"].get(500, 0) == 0
