"""Large synthetic data for benchmarks: networks, organisations, assets with hours, bookings.

Rows are written with COPY (`copy_records_to_table`); ids are reserved from the sequences first
so rows can reference each other without reading anything back. Assets get their kind's
default buffers; bookings of one asset follow each other without overlapping (buffers
included), so the no-double-booking constraint and the
"never more than N units" rule hold for every asset. Statuses are mixed: the past is mostly
completed (with cancellations, no-shows, declines, expiries), the future confirmed or requested.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

from resourcepool import clock
from resourcepool.assets.rules import policy_defaults
from resourcepool.db.engine import DB

UTC = timezone.utc
DISTRICTS = ("Altstadt", "Mitte", "Nord", "Süd", "Ost", "West", "Hafen", "Bahnhofsviertel",
             "Gartenstadt", "Neustadt", "Am Park", "Auf dem Berg")
SECTORS = ("nonprofit", "nonprofit", "nonprofit", "business", "municipality", "informal")
FEATURES = ("step_free", "accessible_toilet", "hearing_loop", "lift", "parking_disabled", "baby_changing")
TITLES = {
    "room": ("Gemeinschaftsraum", "Seminarraum", "Großer Saal", "Besprechungsraum", "Werkstatt",
             "Küche", "Turnhalle", "Jugendraum", "Meeting room", "Atelier", "Probenraum"),
    "vehicle": ("Kleinbus", "Lastenrad", "Transporter", "Anhänger", "E-Auto", "Van"),
    "device": ("Beamer", "Biertischgarnitur", "Lautsprecheranlage", "Pavillon", "Laptop",
               "Nähmaschine", "Leinwand", "Werkzeugkoffer", "Kaffeemaschine", "Folding tables"),
    "expertise": ("Steuerberatung", "Rechtsberatung", "Grafikdesign", "Übersetzung", "IT-Hilfe",
                  "Fundraising-Beratung", "Moderation", "Bookkeeping advice"),
}
WORDS = ("hell", "ruhig", "barrierearm", "zentral", "gut erreichbar", "mit Beamer", "with kitchen",
         "große Fenster", "Parkplätze", "WLAN", "Bühne", "Garten", "bright", "quiet", "spacious")
KIND_WEIGHTS = (("room", 40), ("vehicle", 10), ("device", 35), ("expertise", 15))
PAST_STATUSES = (("completed", 75), ("cancelled", 12), ("no_show", 3), ("declined", 5), ("expired", 5))
FUTURE_STATUSES = (("confirmed", 70), ("requested", 15), ("cancelled", 15))


@dataclass
class Report:
    timings: list[tuple[str, float]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        out = [f"{name:<28} {seconds:8.2f} s" for name, seconds in self.timings]
        out.append("rows: " + ", ".join(f"{k} {v:,}" for k, v in self.counts.items()))
        return out


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([w[0] for w in weighted], [w[1] for w in weighted])[0]


def _round_up(moment: datetime) -> datetime:
    """The next half hour at or after `moment` (never earlier, so bookings cannot overlap)."""
    floor = moment.replace(minute=0 if moment.minute < 30 else 30, second=0, microsecond=0)
    return floor if floor == moment else floor + timedelta(minutes=30)


async def _ids(conn: Any, table: str, n: int) -> list[int]:
    rows = await conn.fetch(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) AS id "
                            "FROM generate_series(1, $1)", n)
    return [r["id"] for r in rows]


async def generate(assets: int, bookings: int, networks: int = 3, seed: int = 1,
                   say: Callable[[str], None] = print) -> Report:
    """Write the synthetic data set; returns timings and counts."""
    if assets < 1 or bookings < 0 or networks < 1:
        raise ValueError("need at least one asset and one network")
    rng = random.Random(seed)
    report = Report()
    started = time.perf_counter()
    last = started

    def step(name: str) -> None:
        nonlocal last
        now = time.perf_counter()
        report.timings.append((name, now - last))
        say(f"  {name}: {now - last:.2f} s")
        last = now

    tag = f"g{seed}x{rng.randrange(16**6):06x}"
    n_orgs = max(2 * networks, assets // 10)
    now = clock.now().astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    horizon_start, horizon_end = now - timedelta(days=365), now + timedelta(days=365)

    async with DB.pool.acquire() as conn:  # type: ignore[union-attr]
        async with conn.transaction():
            net_ids = await _ids(conn, "network", networks)
            await conn.copy_records_to_table("network", columns=["id", "slug", "name", "timezone", "public_catalogue"], records=[
                (nid, f"{tag}-{i + 1}", f"Netz {i + 1} ({tag})", "Europe/Berlin", i == 0)
                for i, nid in enumerate(net_ids)])
            org_ids = await _ids(conn, "organisation", n_orgs)
            org_network = {oid: net_ids[i % networks] for i, oid in enumerate(org_ids)}
            await conn.copy_records_to_table("organisation", columns=["id", "name", "sector", "district"], records=[
                (oid, f"Organisation {i + 1}", rng.choice(SECTORS), rng.choice(DISTRICTS))
                for i, oid in enumerate(org_ids)])
            await conn.copy_records_to_table(
                "network_organisation", columns=["network_id", "organisation_id", "status", "decided_at"],
                records=[(org_network[oid], oid, "verified", now) for oid in org_ids])
            user_ids = await _ids(conn, "app_user", n_orgs)
            org_user = dict(zip(org_ids, user_ids))
            await conn.copy_records_to_table("app_user", columns=["id", "email", "name"], records=[
                (uid, f"{tag}-{i + 1}@example.org", f"Person {i + 1}") for i, uid in enumerate(user_ids)])
            await conn.copy_records_to_table("membership", columns=["user_id", "organisation_id", "role"], records=[
                (org_user[oid], oid, "manager" if i % 3 == 0 else "member") for i, oid in enumerate(org_ids)])
            step("networks, organisations")

            asset_ids = await _ids(conn, "asset", assets)
            asset_rows, hours_rows, closure_rows, network_rows = [], [], [], []
            meta: list[tuple[int, int, int, timedelta, timedelta]] = []  # (id, owner, quantity, buffers)
            for i, aid in enumerate(asset_ids):
                kind = _pick(rng, KIND_WEIGHTS)
                owner = org_ids[i % n_orgs]
                quantity = rng.randint(2, 20) if kind == "device" and rng.random() < 0.3 else 1
                capacity = rng.choice((4, 8, 12, 20, 30, 40, 50, 60, 80, 120, 200)) if kind == "room" else None
                status = _pick(rng, (("active", 90), ("paused", 5), ("draft", 5)))
                title = f"{rng.choice(TITLES[kind])} {rng.choice(DISTRICTS)} {i + 1}"
                description = " ".join(rng.sample(WORDS, 4))
                accessibility = rng.sample(FEATURES, rng.randint(0, 3)) if kind == "room" else []
                # The kind's default buffers, as new assets get them (rooms: 15 minutes after).
                policy = policy_defaults(kind)
                before, after = policy["buffer_before_minutes"], policy["buffer_after_minutes"]
                asset_rows.append((aid, owner, kind, title, description, status, rng.choice(DISTRICTS),
                                   quantity, capacity, accessibility, kind if kind == "device" else "",
                                   before, after))
                network_rows.append((aid, org_network[owner]))
                meta.append((aid, owner, quantity, timedelta(minutes=before), timedelta(minutes=after)))
                shape = rng.random()
                if shape < 0.45:  # weekdays 08:00–22:00
                    hours_rows += [(aid, d, 8 * 60, 22 * 60) for d in range(5)]
                elif shape < 0.6:  # split day, Saturday morning
                    hours_rows += [(aid, d, 9 * 60, 13 * 60) for d in range(5)]
                    hours_rows += [(aid, d, 14 * 60, 20 * 60) for d in range(5)]
                    hours_rows.append((aid, 5, 10 * 60, 14 * 60))
                elif shape < 0.7:  # every day 07:00–23:00
                    hours_rows += [(aid, d, 7 * 60, 23 * 60) for d in range(7)]
                # else: always open
                if rng.random() < 0.05:
                    start = now + timedelta(days=rng.randint(-300, 300), hours=rng.randint(0, 23))
                    closure_rows.append((aid, start, start + timedelta(days=rng.randint(1, 14)), None, "Renovierung"))
                if rng.random() < 0.02:
                    start = (now - timedelta(days=rng.randint(0, 100))).replace(hour=16)
                    closure_rows.append((aid, start, start + timedelta(hours=3), "FREQ=WEEKLY", "Eigene Gruppe"))
            await conn.copy_records_to_table("asset", columns=[
                "id", "organisation_id", "kind", "title", "description", "status", "district", "quantity",
                "capacity", "accessibility", "category", "buffer_before_minutes", "buffer_after_minutes"],
                records=asset_rows)
            await conn.copy_records_to_table("asset_network", columns=["asset_id", "network_id"], records=network_rows)
            await conn.copy_records_to_table("opening_hours", columns=["asset_id", "weekday", "start_minute", "end_minute"],
                                             records=hours_rows)
            await conn.copy_records_to_table("closure", columns=["asset_id", "starts_at", "ends_at", "rrule", "reason"],
                                             records=closure_rows)
            step("assets, hours, closures")
        report.counts.update(networks=networks, organisations=n_orgs, assets=assets,
                             opening_hours=len(hours_rows), closures=len(closure_rows))

        # Bookings: spread over the assets, consecutive per asset so they never overlap.
        per_network: dict[int, list[int]] = {}
        for oid in org_ids:
            per_network.setdefault(org_network[oid], []).append(oid)
        span = (horizon_end - horizon_start).total_seconds()
        written = 0
        chunk: list[tuple] = []
        columns = ["asset_id", "organisation_id", "user_id", "starts_at", "ends_at", "held_from", "held_until",
                   "quantity", "exclusive", "purpose", "status", "created_at", "network_id"]
        base, extra = divmod(bookings, assets)
        for index, (aid, owner, quantity, before, after) in enumerate(meta):
            count = base + (1 if index < extra else 0)
            if not count:
                continue
            mean_gap = span / count
            cursor = horizon_start + timedelta(seconds=rng.uniform(0, mean_gap))
            peers = per_network[org_network[owner]]
            for _ in range(count):
                # Held spans (buffers included, as the booking service writes them) follow each
                # other without overlapping.
                start = _round_up(cursor + before)
                end = start + timedelta(minutes=30 * rng.randint(2, 8))
                cursor = end + after + timedelta(seconds=rng.expovariate(1 / max(mean_gap - 9000, 600)))
                booker = rng.choice(peers)
                status = _pick(rng, PAST_STATUSES if end <= now else FUTURE_STATUSES)
                chunk.append((aid, booker, org_user[booker], start, end, start - before, end + after,
                              rng.randint(1, min(3, quantity)), quantity == 1, "Treffen", status,
                              start - timedelta(days=rng.randint(1, 30)), org_network[owner]))
                if len(chunk) >= 100_000:
                    await conn.copy_records_to_table("booking", columns=columns, records=chunk)
                    written += len(chunk)
                    chunk = []
                    say(f"    bookings: {written:,}")
        if chunk:
            await conn.copy_records_to_table("booking", columns=columns, records=chunk)
            written += len(chunk)
        step("bookings (COPY)")
        await conn.execute("ANALYZE")
        step("analyse")
    report.counts["bookings"] = written
    report.timings.append(("total", time.perf_counter() - started))
    report.counts["first_network_id"] = net_ids[0]
    return report
