"""Busy-times benchmark: an asset at the caps against a plain one, and /health meanwhile.

Run with `pytest -m perf tests/perf/test_busy_perf.py -s` (PERF_ASSETS / PERF_BOOKINGS /
PERF_RUNS change the size; PERF_RESULTS the output file, default tests/perf/results/busy.txt).

On the generated network (10,000 assets, 1,000,000 bookings by default) two rooms of one owner
are added through the services, with the same opening hours (daily 08:00–22:00):

* plain — no closures;
* capped — the most an asset may hold: 150 one-off closures and 50 recurring ones (daily,
  begun 100 days ago, 400 dates each: 20,000), and an external calendar with 9,821 busy times
  in the booking horizon (23 daily events at night; skipped where the code has no import);
* uncapped — what could be entered before there were caps: 300 daily closures over ten years
  (refused now; then the line says so).

The same file runs on the code before the change (it then adds closures through
assets.hours and imports nothing), so both figures come from the same data.

For each: the availability of a week, the week calendar, the free-window search (the whole
network and the asset alone), and booking an hour (in-process service calls, median and p95).
Then the app runs under uvicorn and one client asks for the heaviest asset's availability over
and over while another measures `/health` — its latency idle and under that load.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

from resourcepool import clock
from resourcepool.accounts.identity import load_identity
from resourcepool.assets import service as asset_service
from resourcepool.assets.generate import generate
from resourcepool.availability.search import SearchParams, search_assets
from resourcepool.availability.service import get_availability, week_calendar
from resourcepool.bookings.service import request_booking
from resourcepool.db import sql
from resourcepool.errors import DomainError
from tests.perf.test_booking_perf import _percentile, _start_server
from tests.perf.test_catalogue_perf import _load

pytestmark = pytest.mark.perf

ASSETS = int(os.environ.get("PERF_ASSETS", "10000"))
BOOKINGS = int(os.environ.get("PERF_BOOKINGS", "1000000"))
RUNS = int(os.environ.get("PERF_RUNS", "20"))
RESULTS = Path(os.environ.get("PERF_RESULTS", Path(__file__).parent / "results" / "busy.txt"))
BERLIN = ZoneInfo("Europe/Berlin")
DAILY_8_22 = [(d, "08:00", "22:00") for d in range(7)]


async def _timed(work, runs: int) -> tuple[float, float]:
    await work()  # warm-up
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        await work()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), _percentile(times, 0.95)


def _local(day: datetime, hhmm: str) -> datetime:
    hour, minute = map(int, hhmm.split(":"))
    return day.replace(hour=hour, minute=minute, second=0, microsecond=0)


async def _add_closures(identity, asset_id: int, one_off: int, recurring: int, rule: str,
                        first: datetime) -> str:
    """Closures through the service; returns "" or the refusal that stopped them."""
    try:
        from resourcepool.availability.closures import add_closure
    except ImportError:  # the code before busy times were stored
        from resourcepool.assets.hours import add_closure  # type: ignore[no-redef]

    now = clock.now().astimezone(BERLIN)
    try:
        for i in range(recurring):
            start = _local(first, f"06:{i % 60:02d}")
            await add_closure(identity, asset_id, start.isoformat(), (start + timedelta(minutes=30)).isoformat(),
                              rule, f"Rule {i}")
        for i in range(one_off):
            start = _local(now + timedelta(days=2 + 2 * i), "22:30")
            await add_closure(identity, asset_id, start.isoformat(), (start + timedelta(hours=1)).isoformat(),
                              None, f"Once {i}")
    except DomainError as exc:
        return str(exc)
    return ""


def _ics(events: int) -> bytes:
    """A calendar of `events` daily events of five minutes, every 20 minutes from 22:00 (the
    night: the benchmark books and searches in the day)."""
    first = datetime(2026, 12, 1, 22, 0)
    body = ""
    for i in range(events):
        start = first + timedelta(minutes=20 * i)
        body += (f"BEGIN:VEVENT\r\nUID:perf-{i}\r\nDTSTAMP:20261201T000000Z\r\n"
                 f"DTSTART;TZID=Europe/Berlin:{start:%Y%m%dT%H%M%S}\r\n"
                 f"DTEND;TZID=Europe/Berlin:{start + timedelta(minutes=5):%Y%m%dT%H%M%S}\r\n"
                 f"RRULE:FREQ=DAILY\r\nEND:VEVENT\r\n")
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:perf\r\n{body}END:VCALENDAR\r\n".encode()


CALENDAR = _ics(23)


async def _import_calendar(owner, asset_id: int) -> list[str]:
    try:
        from resourcepool.calendar_feeds.external import import_calendar_file
    except ImportError:
        return ["capped: no external calendar (the code cannot import one)"]
    t0 = time.perf_counter()
    state = await import_calendar_file(owner, asset_id, CALENDAR)
    return [f"capped: external calendar of {state.event_count} recurring events imported, "
            f"{state.busy_count:,} busy times, in {time.perf_counter() - t0:.2f} s (parsed in a worker thread)"]


async def _materialise_generated() -> list[str]:
    """Store the generator's recurring closures (written by COPY) as the worker would."""
    try:
        from resourcepool.availability.materialise import materialise_due
    except ImportError:
        return []
    t0, assets = time.perf_counter(), 0
    while done := await materialise_due(limit=200):
        assets += done
    return [f"generated recurring closures stored for {assets} assets in {time.perf_counter() - t0:.1f} s"]


async def _health_while(url: str, request, seconds: float) -> dict:
    """/health latencies idle, then while another client sends `request(http)` over and over."""
    async with httpx.AsyncClient(base_url=url, timeout=120) as http:
        async def probe(until: float) -> list[float]:
            out = []
            while time.perf_counter() < until:
                t0 = time.perf_counter()
                await http.get("/health")
                out.append((time.perf_counter() - t0) * 1000)
                await asyncio.sleep(0.05)
            return out

        idle = await probe(time.perf_counter() + 2)
        loaded_until = time.perf_counter() + seconds
        heavy: list[float] = []

        async def load() -> None:
            while time.perf_counter() < loaded_until:
                t0 = time.perf_counter()
                response = await request(http)
                heavy.append((time.perf_counter() - t0) * 1000)
                assert response.status_code == 200, response.text

        loaded, _ = await asyncio.gather(probe(loaded_until), load())
    return {"idle": idle, "loaded": loaded, "heavy": heavy}


def _health_lines(what: str, health: dict, seconds: float) -> list[str]:
    return [f"/health latency (ms) while {what} ({len(health['heavy'])} requests in {seconds:.0f} s, "
            f"median {statistics.median(health['heavy']):.1f} ms each):",
            f"  idle:   median {statistics.median(health['idle']):.1f}, max {max(health['idle']):.1f}",
            f"  loaded: median {statistics.median(health['loaded']):.1f}, p95 "
            f"{_percentile(health['loaded'], .95):.1f}, max {max(health['loaded']):.1f}"]


async def test_busy_times_benchmark(app, database_url):
    lines = [f"busy-times benchmark — {ASSETS:,} assets, {BOOKINGS:,} bookings, {RUNS} runs each",
             f"run at {datetime.now(BERLIN):%Y-%m-%d %H:%M %Z}, load average {_load()} ({os.cpu_count()} CPUs)", ""]
    print(lines[0], flush=True)
    report = await generate(ASSETS, BOOKINGS, networks=3, seed=11, say=lambda s: print(s, flush=True))
    network_id = report.counts["first_network_id"]
    slug = await sql.fetch_value("SELECT slug FROM network WHERE id = $1", network_id)
    members = await sql.fetch(
        """SELECT m.user_id, m.organisation_id, m.role FROM membership m
           JOIN network_organisation no ON no.organisation_id = m.organisation_id
           WHERE no.network_id = $1 ORDER BY m.user_id LIMIT 10""", network_id)
    manager = next(m for m in members if m["role"] == "manager")
    booker = next(m for m in members if m["organisation_id"] != manager["organisation_id"])
    owner, guest = await load_identity(manager["user_id"]), await load_identity(booker["user_id"])

    now = clock.now().astimezone(BERLIN)
    assets: dict[str, int] = {}
    notes: dict[str, str] = {}
    for name, one_off, recurring, rule, first in (
        ("plain", 0, 0, "", now),
        ("capped", 150, 50, "FREQ=DAILY;COUNT=400", now - timedelta(days=100)),
        ("uncapped", 0, 300, "FREQ=DAILY;UNTIL=20261231", datetime(2017, 1, 3, tzinfo=BERLIN)),
    ):
        made = await asset_service.create_asset(owner, {
            "organisation_id": manager["organisation_id"], "kind": "room", "title": f"Benchmark {name}",
            "opening_hours": DAILY_8_22, "networks": [slug]})
        assets[name] = made["id"]
        t0 = time.perf_counter()
        notes[name] = await _add_closures(owner, made["id"], one_off, recurring, rule, first)
        count = await sql.fetch_value("SELECT count(*) FROM closure WHERE asset_id = $1", made["id"])
        lines.append(f"{name}: {count} closures written in {time.perf_counter() - t0:.1f} s"
                     + (f" — refused: {notes[name]}" if notes[name] else ""))
    lines += await _import_calendar(owner, assets["capped"])
    lines += await _materialise_generated()
    lines.append("")

    monday = (now + timedelta(days=7 - now.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    tuesday = monday + timedelta(days=1)
    evening = (_local(tuesday, "18:00"), _local(tuesday, "21:00"))
    header = f"{'times in ms':<44} {'plain':>16} {'capped':>16} {'uncapped':>16}"
    lines += [header, f"{'':<44} {'median':>7} {'p95':>8} {'median':>7} {'p95':>8} {'median':>7} {'p95':>8}"]
    day_of = {name: 10 + 3 * i for i, name in enumerate(assets)}

    async def book(asset_id: int, name: str) -> None:
        day = day_of[name]
        day_of[name] += 1
        start = _local(now + timedelta(days=day), "10:00")
        await request_booking(guest, asset_id, start, start + timedelta(hours=1), "Benchmark")

    checks = {
        "availability, one week (service)": lambda a, n: get_availability(guest, a, monday, monday + timedelta(days=7)),
        "week calendar (service)": lambda a, n: week_calendar(guest, a, monday.date(), "Europe/Berlin"),
        "search free Tue 18–21, whole network": lambda a, n: search_assets(
            guest, SearchParams(free_from=evening[0], free_to=evening[1])),
        "search free Tue 18–21, this asset": lambda a, n: search_assets(
            guest, SearchParams(q=f"Benchmark {n}", free_from=evening[0], free_to=evening[1])),
        "book one hour (service)": book,
    }
    for label, work in checks.items():
        cells = []
        for name, asset_id in assets.items():
            # The uncapped asset costs seconds a call (before the caps): a few runs tell enough.
            runs = 2 if name == "uncapped" and not notes[name] else RUNS
            median, p95 = await _timed(lambda: work(asset_id, name), runs)
            cells.append(f"{median:>7.1f} {p95:>8.1f}")
        lines.append(f"{label:<44} " + " ".join(cells))
        print(lines[-1], flush=True)

    heaviest = "uncapped" if not notes["uncapped"] else "capped"
    week = {"from": monday.isoformat(), "to": (monday + timedelta(days=7)).isoformat()}
    proc, url = _start_server(database_url)
    try:
        health = await _health_while(
            url, lambda http: http.get(f"/api/v1/assets/{assets[heaviest]}/availability", params=week), 15)
        lines += [""] + _health_lines(f"one client asks for the {heaviest} asset's week over and over", health, 15)
        print("\n".join(lines[-3:]), flush=True)
        if "no external calendar" not in " ".join(lines):
            from resourcepool.accounts.api_tokens import create_api_token

            token, _ = await create_api_token(manager["user_id"], "benchmark")
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "text/calendar"}
            health = await _health_while(url, lambda http: http.put(
                f"/api/v1/assets/{assets['capped']}/external-calendar", content=CALENDAR, headers=headers), 15)
            lines += [""] + _health_lines("one client imports the capped asset's calendar over and over", health, 15)
            print("\n".join(lines[-3:]), flush=True)
    finally:
        proc.terminate()
        proc.wait(10)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n")
