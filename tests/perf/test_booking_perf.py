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
Figures go to stdout and tests/perf/results/bookings.txt, with the ratio of the two.
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
    warm = slots[:CLIENTS * 5]
    queue = warm
    await asyncio.gather(*(client(t) for t in tokens))
    latencies.clear()
    codes.clear()
    queue = list(slots[CLIENTS * 5:])
    t0 = time.perf_counter()
    await asyncio.gather(*(client(t) for t in tokens))
    wall = time.perf_counter() - t0
    return {"wall": wall, "latencies": latencies, "codes": codes}


async def _bare_run(dsn: str, rows: list[tuple]) -> dict:
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
    await asyncio.gather(*(worker() for _ in range(CLIENTS)))
    return {"wall": time.perf_counter() - t0, "latencies": latencies, "errors": errors}


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
    candidates = _slots(assets, REQUESTS * 2 + CLIENTS * 5, 30, 300, seed=1)
    api_slots = [s for s in candidates
                 if (s[0], int(s[1].timestamp() // 3600)) not in held
                 and (s[0], int(s[1].timestamp() // 3600) + 1) not in held][:REQUESTS + CLIENTS * 5]
    taken = {(a, int(t.timestamp() // 3600)) for a, t in api_slots}
    service_slots = [s for s in _slots(assets, REQUESTS * 2, 30, 300, seed=3)
                     if (s[0], int(s[1].timestamp() // 3600)) not in held | taken
                     and (s[0], int(s[1].timestamp() // 3600) + 1) not in held][:REQUESTS]
    bare_rows = [(a, users[0]["organisation_id"], users[0]["user_id"], start, start + timedelta(hours=1))
                 for a, start in _slots(assets, REQUESTS, 400, 300, seed=2)]

    before = await sql.fetch_value("SELECT count(*) FROM booking")
    proc, url = _start_server(database_url)
    try:
        api = await _api_run(url, tokens, api_slots)
    finally:
        proc.terminate()
        proc.wait(10)
    identities = [await load_identity(u["user_id"]) for u in users]
    service = await _service_run(identities, service_slots)
    bare = await _bare_run(database_url, bare_rows)

    api_ok = api["codes"].get(201, 0)
    api_tps = api_ok / api["wall"]
    bare_tps = (len(bare_rows) - bare["errors"]) / bare["wall"]
    service_tps = (len(service_slots) - service["conflicts"]) / service["wall"]
    slat = service["latencies"]
    lat = api["latencies"]
    blat = bare["latencies"]
    lines += [
        f"{'':<34} {'per s':>9} {'median ms':>10} {'p95 ms':>8} {'p99 ms':>8}",
        f"{'POST /api/v1/bookings (HTTP)':<34} {api_tps:>9.1f} {statistics.median(lat):>10.2f} "
        f"{_percentile(lat, .95):>8.2f} {_percentile(lat, .99):>8.2f}",
        f"{'request_booking() in-process':<34} {service_tps:>9.1f} {statistics.median(slat):>10.2f} "
        f"{_percentile(slat, .95):>8.2f} {_percentile(slat, .99):>8.2f}",
        f"{'bare INSERT (1 row per commit)':<34} {bare_tps:>9.1f} {statistics.median(blat):>10.2f} "
        f"{_percentile(blat, .95):>8.2f} {_percentile(blat, .99):>8.2f}",
        "",
        f"API status codes: {dict(sorted(api['codes'].items()))}; in-process conflicts: "
        f"{service['conflicts']}; bare INSERT conflicts: {bare['errors']}",
        f"ratio in-process request_booking / bare INSERT: {service_tps / bare_tps:.3f}",
        f"ratio API / bare INSERT throughput: {api_tps / bare_tps:.3f} "
        f"(the API does {bare_tps / api_tps:.1f}× the work per booking)",
        f"bookings before: {before:,}; after: {await sql.fetch_value('SELECT count(*) FROM booking'):,}",
    ]
    overlaps = await sql.fetch_value(
        """SELECT count(*) FROM booking a JOIN booking b ON a.asset_id = b.asset_id AND a.id < b.id
           WHERE a.asset_id = ANY($1::bigint[]) AND a.exclusive AND b.exclusive
             AND a.status IN ('requested','confirmed') AND b.status IN ('requested','confirmed')
             AND tstzrange(a.held_from, a.held_until) && tstzrange(b.held_from, b.held_until)""",
        assets[:200])
    lines.append(f"overlapping holds among the first 200 benchmark assets: {overlaps}")
    print("\n".join(lines[-11:]), flush=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n")
    assert overlaps == 0
    assert api.get("codes", {}).get(500, 0) == 0
