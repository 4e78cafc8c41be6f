"""Catalogue benchmark: 10,000 assets and 1,000,000 bookings on the embedded server.

Run with `pytest -m perf tests/perf/test_catalogue_perf.py -s` (PERF_ASSETS / PERF_BOOKINGS /
PERF_RUNS change the size). Prints median and p95 of each search variant and of a 7-day
availability lookup (the service call, i.e. database plus Python), and the
EXPLAIN (ANALYZE, BUFFERS) of the main search; writes them to tests/perf/results/catalogue.txt.
"""

from __future__ import annotations

import os
import statistics
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from resourcepool import clock
from resourcepool.accounts.identity import load_identity
from resourcepool.assets.generate import generate
from resourcepool.assets.search import SearchParams, explain_search, search_assets
from resourcepool.availability.service import get_availability
from resourcepool.db import sql

pytestmark = pytest.mark.perf

ASSETS = int(os.environ.get("PERF_ASSETS", "10000"))
BOOKINGS = int(os.environ.get("PERF_BOOKINGS", "1000000"))
RUNS = int(os.environ.get("PERF_RUNS", "50"))
RESULTS = Path(__file__).parent / "results" / "catalogue.txt"
BERLIN = ZoneInfo("Europe/Berlin")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


async def _measure(work) -> tuple[float, float, object]:
    result = await work()  # warm-up (plans, caches)
    times = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        result = await work()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), _percentile(times, 0.95), result


def _next_weekday(now: datetime, weekday: int) -> datetime:
    local = now.astimezone(BERLIN)
    days = (weekday - local.weekday()) % 7 or 7
    return (local + timedelta(days=days)).replace(hour=0, minute=0, second=0, microsecond=0)


async def test_catalogue_benchmark(app):
    lines: list[str] = [f"catalogue benchmark — {ASSETS:,} assets, {BOOKINGS:,} bookings, {RUNS} runs each",
                        f"run at {datetime.now(BERLIN):%Y-%m-%d %H:%M %Z}", ""]

    def say(text: str) -> None:
        print(text, flush=True)

    say(lines[0])
    report = await generate(ASSETS, BOOKINGS, networks=3, seed=42, say=say)
    lines += ["generation:"] + ["  " + line for line in report.lines()] + [""]

    network_id = report.counts["first_network_id"]
    user_id = await sql.fetch_value(
        """SELECT m.user_id FROM membership m JOIN network_organisation no ON no.organisation_id = m.organisation_id
           WHERE no.network_id = $1 ORDER BY m.user_id LIMIT 1""", network_id)
    identity = await load_identity(user_id)
    tuesday = _next_weekday(clock.now(), 1)
    evening = (tuesday.replace(hour=18), tuesday.replace(hour=21))
    variants = {
        "text 'Seminarraum'": SearchParams(q="Seminarraum"),
        "text 'beam' (prefix)": SearchParams(q="beam"),
        "room ≥40 people, free next Tuesday 18–21": SearchParams(kind="room", min_capacity=40,
                                                               free_from=evening[0], free_to=evening[1]),
        "district Altstadt + kind device": SearchParams(district="Altstadt", kind="device"),
        "free next Tuesday 18–21, any kind": SearchParams(free_from=evening[0], free_to=evening[1]),
        "no filters (first page)": SearchParams(),
    }
    lines.append(f"{'variant':<45} {'median ms':>10} {'p95 ms':>10} {'total':>8}")
    for name, params in variants.items():
        median, p95, result = await _measure(lambda p=params: search_assets(identity, p))
        line = f"{name:<45} {median:>10.2f} {p95:>10.2f} {result.total:>8,}"
        lines.append(line)
        say(line)

    asset_id = await sql.fetch_value(
        """SELECT a.id FROM asset a JOIN asset_network an ON an.asset_id = a.id
           WHERE an.network_id = $1 AND a.status = 'active' AND a.quantity = 1
             AND EXISTS (SELECT 1 FROM opening_hours h WHERE h.asset_id = a.id)
           ORDER BY a.id LIMIT 1""", network_id)
    monday = _next_weekday(clock.now(), 0)
    median, p95, result = await _measure(
        lambda: get_availability(identity, asset_id, monday, monday + timedelta(days=7)))
    line = f"{'availability, one asset, 7 days':<45} {median:>10.2f} {p95:>10.2f} {len(result.busy):>8,}"
    lines.append(line)
    say(line)

    plan = await explain_search(identity, variants["room ≥40 people, free next Tuesday 18–21"])
    holds_plan = "\n".join(r["QUERY PLAN"] for r in await sql.fetch(
        """EXPLAIN (ANALYZE, BUFFERS) SELECT held_from, held_until, quantity FROM booking b
           WHERE int8range(b.asset_id, b.asset_id, '[]') = int8range($1::bigint, $1::bigint, '[]')
             AND tstzrange(b.held_from, b.held_until, '[)') && tstzrange($2::timestamptz, $3::timestamptz, '[)')
             AND b.status IN ('requested', 'confirmed')""", asset_id, monday, monday + timedelta(days=7)))
    lines += ["", "EXPLAIN (ANALYZE, BUFFERS) — room ≥40 people free next Tuesday 18–21:", plan,
              "", "EXPLAIN (ANALYZE, BUFFERS) — holds of one asset over 7 days:", holds_plan]
    say("\n".join(lines[-5:]))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n")
