"""Catalogue benchmark: 10,000 assets and 1,000,000 bookings on the embedded server.

Run with `pytest -m perf tests/perf/test_catalogue_perf.py -s` (PERF_ASSETS / PERF_BOOKINGS /
PERF_RUNS change the size). For each search variant and a 7-day availability lookup it prints
and writes to tests/perf/results/catalogue.txt:

* `e2e`: the service call (database plus Python), median and p95;
* `db`: the part of that spent waiting for the database (every statement's round trip,
  measured around `resourcepool.db.sql`), median;
* `exec`: the main search statement's own execution time inside PostgreSQL
  (EXPLAIN (ANALYZE, TIMING OFF) 'Execution Time'), median;

plus the load average (the machine may be shared) and the EXPLAIN (ANALYZE, BUFFERS) of the
"free" searches.
"""

from __future__ import annotations

import json
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
from resourcepool.availability.search import SearchParams, explain_search, search_assets
from resourcepool.availability.service import get_availability
from resourcepool.db import sql

pytestmark = pytest.mark.perf

ASSETS = int(os.environ.get("PERF_ASSETS", "10000"))
BOOKINGS = int(os.environ.get("PERF_BOOKINGS", "1000000"))
RUNS = int(os.environ.get("PERF_RUNS", "50"))
RESULTS = Path(os.environ.get("PERF_RESULTS", Path(__file__).parent / "results" / "catalogue.txt"))
BERLIN = ZoneInfo("Europe/Berlin")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


class DatabaseClock:
    """Adds up the time spent awaiting `sql.fetch`/`sql.execute` (fetch_one/fetch_value use fetch);
    `statements` keeps (first words, ms) of each for a breakdown (PERF_TRACE=1 prints it)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.seconds = 0.0
        self.statements: list[tuple[str, float]] = []
        for name in ("fetch", "execute"):
            monkeypatch.setattr(sql, name, self._timed(getattr(sql, name)))

    def _timed(self, call):
        async def timed(query, *args, **kwargs):
            started = time.perf_counter()
            try:
                return await call(query, *args, **kwargs)
            finally:
                elapsed = time.perf_counter() - started
                self.seconds += elapsed
                self.statements.append((" ".join(query.split())[:70], elapsed * 1000))
        return timed


async def _measure(work, db: DatabaseClock) -> tuple[float, float, float, object]:
    result = await work()  # warm-up (plans, caches)
    times, db_times = [], []
    for _ in range(RUNS):
        db.seconds = 0.0
        t0 = time.perf_counter()
        result = await work()
        times.append((time.perf_counter() - t0) * 1000)
        db_times.append(db.seconds * 1000)
    return statistics.median(times), _percentile(times, 0.95), statistics.median(db_times), result


async def _execution_ms(identity, params: SearchParams, runs: int = 15) -> float:
    values = []
    for _ in range(runs):
        plan = json.loads(await explain_search(identity, params, "ANALYZE, TIMING OFF, FORMAT JSON"))
        values.append(plan[0]["Execution Time"])
    return statistics.median(values)


def _next_weekday(now: datetime, weekday: int) -> datetime:
    local = now.astimezone(BERLIN)
    days = (weekday - local.weekday()) % 7 or 7
    return (local + timedelta(days=days)).replace(hour=0, minute=0, second=0, microsecond=0)


async def test_catalogue_benchmark(app, monkeypatch):
    lines: list[str] = [f"catalogue benchmark — {ASSETS:,} assets, {BOOKINGS:,} bookings, {RUNS} runs each",
                        f"run at {datetime.now(BERLIN):%Y-%m-%d %H:%M %Z}, load average {_load()} "
                        f"({os.cpu_count()} CPUs)", ""]

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
    weekend = (_next_weekday(clock.now(), 5).replace(hour=9), _next_weekday(clock.now(), 6).replace(hour=18))
    variants = {
        "text 'Seminarraum'": SearchParams(q="Seminarraum"),
        "text 'beam' (prefix)": SearchParams(q="beam"),
        "room ≥40 people, free next Tuesday 18–21": SearchParams(kind="room", min_capacity=40,
                                                               free_from=evening[0], free_to=evening[1]),
        "district Altstadt + kind device": SearchParams(district="Altstadt", kind="device"),
        "free next Tuesday 18–21, any kind": SearchParams(free_from=evening[0], free_to=evening[1]),
        "free next Tuesday 18–21, 2 units": SearchParams(free_from=evening[0], free_to=evening[1], min_quantity=2),
        "free Saturday 09:00 – Sunday 18:00": SearchParams(free_from=weekend[0], free_to=weekend[1]),
        "no filters (first page)": SearchParams(),
    }
    db = DatabaseClock(monkeypatch)
    header = f"{'variant':<42} {'e2e med':>8} {'e2e p95':>8} {'db med':>8} {'exec med':>8} {'total':>7}  load"
    lines += ["times in ms; e2e = service call, db = awaiting the database, exec = main statement in PostgreSQL",
              header]
    say(header)
    for name, params in variants.items():
        median, p95, db_median, result = await _measure(lambda p=params: search_assets(identity, p), db)
        if os.environ.get("PERF_TRACE"):
            db.statements = []
            await search_assets(identity, params)
            for text, ms in db.statements:
                say(f"    {ms:7.2f} ms  {text}")
        execution = await _execution_ms(identity, params)
        line = (f"{name:<42} {median:>8.2f} {p95:>8.2f} {db_median:>8.2f} {execution:>8.2f} "
                f"{result.total:>7,}  {_load()}")
        lines.append(line)
        say(line)

    asset_id = await sql.fetch_value(
        """SELECT a.id FROM asset a JOIN asset_network an ON an.asset_id = a.id
           WHERE an.network_id = $1 AND a.status = 'active' AND a.quantity = 1
             AND EXISTS (SELECT 1 FROM opening_hours h WHERE h.asset_id = a.id)
           ORDER BY a.id LIMIT 1""", network_id)
    monday = _next_weekday(clock.now(), 0)
    median, p95, db_median, result = await _measure(
        lambda: get_availability(identity, asset_id, monday, monday + timedelta(days=7)), db)
    line = (f"{'availability, one asset, 7 days':<42} {median:>8.2f} {p95:>8.2f} {db_median:>8.2f} "
            f"{'':>8} {len(result.busy):>7,}  {_load()}")
    lines.append(line)
    say(line)

    for name in ("room ≥40 people, free next Tuesday 18–21", "free next Tuesday 18–21, any kind"):
        plan = await explain_search(identity, variants[name], "ANALYZE, BUFFERS")
        lines += ["", f"EXPLAIN (ANALYZE, BUFFERS) — {name}:", plan]
    holds_plan = "\n".join(r["QUERY PLAN"] for r in await sql.fetch(
        """EXPLAIN (ANALYZE, BUFFERS) SELECT held_from, held_until, quantity FROM booking b
           WHERE int8range(b.asset_id, b.asset_id, '[]') = int8range($1::bigint, $1::bigint, '[]')
             AND tstzrange(b.held_from, b.held_until, '[)') && tstzrange($2::timestamptz, $3::timestamptz, '[)')
             AND b.status IN ('requested', 'confirmed')""", asset_id, monday, monday + timedelta(days=7)))
    lines += ["", "EXPLAIN (ANALYZE, BUFFERS) — holds of one asset over 7 days:", holds_plan]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n")
    say(f"written to {RESULTS}")
