"""Calendar feed benchmark: an asset with 5,000 bookings in the feed's window.

Run with `pytest -m perf tests/perf/test_calendar_perf.py -s`. Measures, through the ASGI app
in this process (httpx, no network):
- a cold GET of the feed (the digest query for the ETag, the rows through a cursor, the
  rendering in a worker thread),
- the same split into its parts,
- a conditional GET answered 304, and a warm GET (body kept by ETag),
- a GET after one booking changed (new body, only that event written again),
- the longest time the event loop was blocked during a cold GET (a 1 ms ticker's worst gap),
- the feed of a member of another organisation (busy blocks).
Figures go to stdout and tests/perf/results/calendar.txt.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from resourcepool import clock
from resourcepool.calendar_feeds import feeds, queries
from resourcepool.calendar_feeds.tokens import open_feed
from resourcepool.db import sql
from resourcepool.settings import get_settings

pytestmark = pytest.mark.perf

from tests.web.calendar.conftest import read_feed, subscribe  # noqa: E402,F401 - fixtures

BOOKINGS = int(os.environ.get("PERF_FEED_BOOKINGS", "5000"))
ROUNDS = int(os.environ.get("PERF_FEED_ROUNDS", "7"))
RESULTS = Path(__file__).parent / "results" / "calendar.txt"


async def _fill(asset_id: int, organisation_id: int, user_id: int, other_org: int, other_user: int) -> None:
    """BOOKINGS two-hour bookings every three hours from 60 days ago on; every third one of
    another organisation; each with two history rows (SEQUENCE 1)."""
    start = clock.now().replace(minute=0, second=0, microsecond=0) - timedelta(days=60)
    await sql.execute(
        """INSERT INTO booking (asset_id, organisation_id, user_id, starts_at, ends_at, held_from,
                                held_until, exclusive, purpose, status)
           SELECT $1, CASE WHEN n % 3 = 0 THEN $5::bigint ELSE $2::bigint END,
                  CASE WHEN n % 3 = 0 THEN $6::bigint ELSE $3::bigint END,
                  $4::timestamptz + n * interval '3 hours', $4::timestamptz + n * interval '3 hours' + interval '2 hours',
                  $4::timestamptz + n * interval '3 hours', $4::timestamptz + n * interval '3 hours' + interval '2 hours',
                  true, 'Treffen ' || n, CASE WHEN n % 50 = 0 THEN 'cancelled' ELSE 'confirmed' END
           FROM generate_series(0, $7::int - 1) n""",
        asset_id, organisation_id, user_id, start, other_org, other_user, BOOKINGS)
    await sql.execute(
        """INSERT INTO booking_event (booking_id, to_status) SELECT id, 'requested' FROM booking;
        """)
    await sql.execute("INSERT INTO booking_event (booking_id, to_status) SELECT id, status FROM booking")
    await sql.execute("ANALYZE booking; ANALYZE booking_event")


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:9.1f}"


async def test_the_feed_of_an_asset_with_5000_bookings(booked_world, subscribe, new_client):
    world = await booked_world()
    await _fill(world["asset"].id, world["owner"].id, world["manager"].id, world["third_org"].id,
                world["third"].id)
    owner_path = await subscribe(world["owner_member"], "asset", world["asset"].id)
    other_path = await subscribe(world["booker"], "asset", world["asset"].id)
    client = new_client()
    lines: list[str] = []

    async def cold(path: str, keep_events: bool = False) -> tuple[float, float, int, bytes]:
        feeds._bodies.clear()
        if not keep_events:
            feeds._events.clear()
        worst = 0.0
        stop = False

        async def ticker() -> None:
            nonlocal worst
            last = time.perf_counter()
            while not stop:
                await asyncio.sleep(0.001)
                now = time.perf_counter()
                worst = max(worst, now - last - 0.001)
                last = now

        task = asyncio.create_task(ticker())
        await asyncio.sleep(0.01)
        began = time.perf_counter()
        response = await client.get(path)
        elapsed = time.perf_counter() - began
        stop = True
        await task
        assert response.status_code == 200
        return elapsed, worst, response.content.count(b"BEGIN:VEVENT"), response.content

    # The ticker's worst gap with nothing else to do: what the machine's load alone costs.
    idle_worst = 0.0
    last = time.perf_counter()
    for _ in range(300):
        await asyncio.sleep(0.001)
        now = time.perf_counter()
        idle_worst = max(idle_worst, now - last - 0.001)
        last = now
    lines.append(f"idle event loop: worst 1 ms-ticker gap {_ms(idle_worst)} ms (machine load)")

    # Reference: any pure-Python work in a worker thread competes with the loop for the GIL.
    def spin(seconds: float = 0.3) -> None:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            sum(range(1000))

    worst, last, job = 0.0, time.perf_counter(), asyncio.create_task(asyncio.to_thread(spin))
    while not job.done():
        await asyncio.sleep(0.001)
        now = time.perf_counter()
        worst, last = max(worst, now - last - 0.001), now
    lines.append(f"reference: 300 ms of pure Python in a worker thread: worst ticker gap {_ms(worst)} ms")

    results = {}
    for label, path in (("owner's member (details)", owner_path), ("other organisation (busy)", other_path)):
        runs = [await cold(path) for _ in range(ROUNDS)]
        results[label] = runs
        events, body = runs[0][2], runs[0][3]
        lines.append(f"cold GET, {label:27s} median {_ms(statistics.median(r[0] for r in runs))} ms"
                     f"   worst loop block {_ms(max(r[1] for r in runs))} ms"
                     f"   events {events}, body {len(body) / 1024:.0f} KiB")

    # One booking changes: the body is new, but only that event is written again.
    changed = []
    for n in range(ROUNDS):
        await sql.execute(
            "UPDATE booking SET purpose = $1, updated_at = now() WHERE id = (SELECT min(id) FROM booking)",
            f"Geändert {n}")
        changed.append(await cold(owner_path, keep_events=True))
    lines.append(f"GET after one booking changed          median {_ms(statistics.median(r[0] for r in changed))} ms"
                 f"   worst loop block {_ms(max(r[1] for r in changed))} ms")

    # The parts of one cold request.
    token = urlsplit(owner_path).path.removeprefix("/calendar/").removesuffix(".ics")
    sub = await open_feed(token)
    digests, reads, renders = [], [], []
    for _ in range(ROUNDS):
        t0 = time.perf_counter()
        await queries.feed_digest("asset", world["asset"].id, clock.now())
        t1 = time.perf_counter()
        rows = await queries.feed_bookings("asset", world["asset"].id, clock.now())
        t2 = time.perf_counter()
        feeds._events.clear()
        feeds.render_rows(sub, rows, "x", "de", 2026, get_settings().base_url)
        t3 = time.perf_counter()
        digests.append(t1 - t0), reads.append(t2 - t1), renders.append(t3 - t2)
    lines.append(f"  of which: digest query (ETag) {_ms(statistics.median(digests))} ms,"
                 f" rows read (cursor) {_ms(statistics.median(reads))} ms ({len(rows)} rows),"
                 f" rendering (thread) {_ms(statistics.median(renders))} ms")

    etag = (await client.get(owner_path)).headers["etag"]
    conditional, warm = [], []
    for _ in range(ROUNDS):
        t0 = time.perf_counter()
        response = await client.get(owner_path, headers={"If-None-Match": etag})
        conditional.append(time.perf_counter() - t0)
        assert response.status_code == 304
        t0 = time.perf_counter()
        assert (await client.get(owner_path)).status_code == 200
        warm.append(time.perf_counter() - t0)
    lines.append(f"conditional GET (If-None-Match) → 304   median {_ms(statistics.median(conditional))} ms")
    lines.append(f"warm GET (body kept by ETag)           median {_ms(statistics.median(warm))} ms")

    header = (f"calendar feed benchmark — one asset, {BOOKINGS:,} bookings in the window, "
              f"{ROUNDS} rounds each\nrun at {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC, "
              f"{os.cpu_count()} CPUs, app in-process (httpx ASGI), PostgreSQL on the same machine\n")
    text = header + "\n" + "\n".join(lines) + "\n"
    print("\n" + text)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text)
