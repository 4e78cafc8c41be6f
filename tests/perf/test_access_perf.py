"""What the access rules cost on the hot path: the visibility condition in the booking read, and
the Origin / Sec-Fetch-Site check on every unsafe request.

Run with `pytest -m perf tests/perf/test_access_perf.py -s`. The database gets PERF_ASSETS
assets and PERF_ACCESS_BOOKINGS bookings (default 10,000 / 200,000; the visibility condition
reads asset_network and network_organisation, not bookings). Measured in the same run, with
the condition and with it replaced by TRUE (the code before it):

- `booking_context`, the one read of a booking request (asset locked), PERF_ACCESS_READS times;
- `request_booking` in-process, one client, PERF_SINGLE_REQUESTS bookings each way;
- `cross_site_reason` per call.
Figures go to stdout and tests/perf/results/access.txt.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from resourcepool import clock
from resourcepool.accounts.identity import load_identity
from resourcepool.assets.generate import generate
from resourcepool.bookings import queries
from resourcepool.bookings.service import request_booking
from resourcepool.db import sql
from resourcepool.db.engine import DB
from resourcepool.errors import SlotUnavailable
from resourcepool.web.origin import cross_site_reason

pytestmark = pytest.mark.perf

ASSETS = int(os.environ.get("PERF_ASSETS", "10000"))
BOOKINGS = int(os.environ.get("PERF_ACCESS_BOOKINGS", "200000"))
READS = int(os.environ.get("PERF_ACCESS_READS", "1000"))
SINGLE = int(os.environ.get("PERF_SINGLE_REQUESTS", "300"))
RESULTS = Path(__file__).parent / "results" / "access.txt"
UTC = timezone.utc


def _ms(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered):.3f} ms, p95 {p95:.3f} ms"


async def _reads(identity, assets: list[int], organisation_id: int) -> list[float]:
    times = []
    for i in range(READS):
        asset_id = assets[i % len(assets)]
        async with DB.transaction():
            t0 = time.perf_counter()
            found = await queries.booking_context(identity, asset_id, organisation_id)
            times.append((time.perf_counter() - t0) * 1000)
            assert found is not None
            await sql.execute("SELECT 1")  # the lock is released with the transaction
    return times


async def _bookings(identity, assets: list[int], first_day: int) -> list[float]:
    rng = random.Random(first_day)
    base = clock.now().astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    times = []
    while len(times) < SINGLE:
        start = base + timedelta(days=first_day, hours=rng.randrange(0, 24 * 60))
        t0 = time.perf_counter()
        try:
            await request_booking(identity, rng.choice(assets), start, start + timedelta(hours=1), "Messung")
        except SlotUnavailable:
            continue
        times.append((time.perf_counter() - t0) * 1000)
    return times


async def test_access_rules_cost_on_the_hot_path(app, monkeypatch):
    lines = [f"access benchmark — {ASSETS:,} assets, {BOOKINGS:,} bookings, {READS:,} reads, "
             f"{SINGLE} bookings each way", f"run at {datetime.now(UTC):%Y-%m-%d %H:%M UTC}, "
             f"{os.cpu_count()} CPUs, app and PostgreSQL on the same machine", ""]
    report = await generate(ASSETS, BOOKINGS, networks=3, seed=11, say=lambda s: print(s, flush=True))
    network_id = report.counts["first_network_id"]
    assets = [r["id"] for r in await sql.fetch(
        """SELECT a.id FROM asset a JOIN asset_network an ON an.asset_id = a.id
           WHERE an.network_id = $1 AND a.status = 'active' AND a.quantity = 1
             AND NOT EXISTS (SELECT 1 FROM opening_hours h WHERE h.asset_id = a.id)
             AND NOT EXISTS (SELECT 1 FROM closure c WHERE c.asset_id = a.id)
           ORDER BY a.id LIMIT 500""", network_id)]
    member = await sql.fetch_one(
        """SELECT m.user_id, m.organisation_id FROM membership m
           JOIN network_organisation no ON no.organisation_id = m.organisation_id
           WHERE no.network_id = $1 AND no.status = 'verified' ORDER BY m.user_id LIMIT 1""", network_id)
    identity = await load_identity(member["user_id"])

    checked = await _reads(identity, assets, member["organisation_id"])
    checked_bookings = await _bookings(identity, assets, 40)
    # The same statement and parameters, the condition always true.
    monkeypatch.setattr(queries, "visible_sql",
                        lambda alias, orgs, networks: f"({orgs}::bigint[] IS NULL OR {networks}::bigint[] IS NULL "
                                                      "OR TRUE)")
    plain = await _reads(identity, assets, member["organisation_id"])
    plain_bookings = await _bookings(identity, assets, 120)
    monkeypatch.undo()

    scope = {"type": "http", "method": "POST", "scheme": "http", "path": "/organisations/1",
             "headers": [(b"host", b"127.0.0.1:8000"), (b"origin", b"http://127.0.0.1:8000"),
                         (b"sec-fetch-site", b"same-origin"), (b"cookie", b"rp_session=x; rp_csrf=y")]}
    n = 20000
    t0 = time.perf_counter()
    for _ in range(n):
        assert cross_site_reason(scope) is None
    per_call_us = (time.perf_counter() - t0) / n * 1e6

    lines += [
        "booking_context (the one read of a booking request):",
        f"  with the visibility condition:    {_ms(checked)}",
        f"  without (condition = TRUE):       {_ms(plain)}",
        "request_booking in-process, one client:",
        f"  with the visibility condition:    {_ms(checked_bookings)}",
        f"  without (condition = TRUE):       {_ms(plain_bookings)}",
        f"Origin / Sec-Fetch-Site check: {per_call_us:.1f} µs per unsafe request",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    RESULTS.write_text(text, encoding="utf-8")
