"""Demo bookings: a year of history and the coming weeks across the demo assets.

Completed, cancelled (some late), declined, expired and no-show bookings, a few weekly series,
and upcoming confirmed bookings and open requests — so the pages and the statistics look alive.
Rows are inserted directly (fast), each with a plausible history, inside opening hours, outside
closures, and never overlapping: spans are checked here and the database constraint still
guards every single-unit asset.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from resourcepool import clock
from resourcepool.availability.rules import Hold, max_units_held
from resourcepool.bookings import queries
from resourcepool.bookings.opening import opening_check
from resourcepool.db import sql
from resourcepool.db.engine import DB
from resourcepool.demo import DemoContext

PURPOSES = {
    "room": ["Elternabend", "Vorstandssitzung", "Chorprobe", "Sprachcafé", "Mitgliederversammlung",
             "Nachbarschaftsfest", "Workshop Ehrenamt", "Seniorentanz", "Hausaufgabenhilfe",
             "Infoabend Quartier", "Yoga für alle", "Repair-Café"],
    "vehicle": ["Ausflug mit Senior*innen", "Tafel-Abholung", "Umzugshilfe", "Material für das Stadtfest",
                "Jugendfreizeit", "Fahrt zum Sportturnier"],
    "device": ["Sommerfest", "Flohmarkt", "Präsentation im Quartiersbüro", "Kinderfest",
               "Filmabend", "Jahresempfang"],
    "expertise": ["Förderantrag Jugendarbeit", "Fragen zur Vereinsbuchhaltung", "Website-Umzug",
                  "Social-Media-Plan", "Erste-Hilfe-Auffrischung"],
}
DECLINE_REASONS = ["Der Raum ist an dem Tag schon intern verplant.", "Das Fahrzeug ist in der Werkstatt.",
                   "Leider zu kurzfristig.", "Dafür ist das Angebot nicht gedacht."]
CANCEL_REASONS = ["Veranstaltung fällt aus.", "Zu wenige Anmeldungen.", "Termin verschoben.", ""]


@dataclass
class _Asset:
    id: int
    kind: str
    owner: int
    timezone: str
    quantity: int
    approval: bool
    slot: int
    min_minutes: int
    max_minutes: int
    before: int
    after: int
    deadline_hours: int
    networks: set[int]
    opening: Any
    held: list[tuple[datetime, datetime, int]] = field(default_factory=list)

    def fits(self, start: datetime, end: datetime, quantity: int) -> bool:
        lo, hi = start - timedelta(minutes=self.before), end + timedelta(minutes=self.after)
        overlapping = [h for h in self.held if h[0] < hi and lo < h[1]]
        if self.quantity == 1:
            return not overlapping
        held = max_units_held([Hold(a, b, q) for a, b, q in overlapping], lo, hi)
        return held + quantity <= self.quantity

    def hold(self, start: datetime, end: datetime, quantity: int) -> None:
        self.held.append((start - timedelta(minutes=self.before), end + timedelta(minutes=self.after), quantity))


async def _assets(context: DemoContext) -> list[_Asset]:
    ids = list(context.assets.values())
    rows = await sql.fetch(
        """SELECT a.id, a.kind, a.organisation_id, a.timezone, a.quantity, a.approval_required,
                  a.slot_minutes, a.min_duration_minutes, a.max_duration_minutes,
                  a.buffer_before_minutes, a.buffer_after_minutes, a.cancellation_deadline_hours,
                  coalesce((SELECT array_agg(network_id) FROM asset_network WHERE asset_id = a.id), '{}') AS nets
           FROM asset a WHERE a.id = ANY($1::bigint[]) AND a.status = 'active' ORDER BY a.id""", ids)
    out = []
    for r in rows:
        hours, busy = await queries.opening_rows(r["id"])
        out.append(_Asset(r["id"], r["kind"], r["organisation_id"], r["timezone"], r["quantity"],
                          r["approval_required"], r["slot_minutes"], r["min_duration_minutes"],
                          r["max_duration_minutes"], r["buffer_before_minutes"], r["buffer_after_minutes"],
                          r["cancellation_deadline_hours"], set(r["nets"]),
                          opening_check(hours, busy, r["timezone"])))
    return out


async def _people() -> tuple[dict[int, list[int]], dict[int, list[int]], dict[int, list[int]]]:
    """Verified organisations per network, members and managers per organisation."""
    orgs: dict[int, list[int]] = {}
    for r in await sql.fetch("SELECT network_id, organisation_id FROM network_organisation WHERE status = 'verified'"):
        orgs.setdefault(r["network_id"], []).append(r["organisation_id"])
    members: dict[int, list[int]] = {}
    managers: dict[int, list[int]] = {}
    for r in await sql.fetch("SELECT organisation_id, user_id, role FROM membership ORDER BY id"):
        members.setdefault(r["organisation_id"], []).append(r["user_id"])
        if r["role"] == "manager":
            managers.setdefault(r["organisation_id"], []).append(r["user_id"])
    return orgs, members, managers


def _slot(rng: random.Random, asset: _Asset, day: date, hour: int | None = None,
          minutes: int | None = None) -> tuple[datetime, datetime]:
    tz = ZoneInfo(asset.timezone)
    if minutes is None:
        choices = [m for m in (60, 90, 120, 180, 240) if asset.min_minutes <= m <= asset.max_minutes]
        if asset.kind in ("vehicle", "device") and asset.max_minutes >= 480 and rng.random() < 0.3:
            choices = [m for m in (480, 1440) if asset.min_minutes <= m <= asset.max_minutes] or choices
        minutes = rng.choice(choices or [asset.min_minutes])
    if hour is None:
        hour = rng.choice([8, 9, 10, 14, 15, 16, 17, 18, 19])
    start = datetime.combine(day, time(hour, 0), tzinfo=tz)
    minutes = max(asset.slot, minutes - minutes % asset.slot)
    return start, start + timedelta(minutes=minutes)


def _bookable(asset: _Asset, start: datetime, end: datetime, quantity: int) -> bool:
    if asset.opening is not None and asset.opening(start, end) is not None:
        return False
    return asset.fits(start, end, quantity)


def _history(rng: random.Random, asset: _Asset, start: datetime, end: datetime, now: datetime,
             status: str, booker: int, manager: int | None) -> tuple[list[tuple], bool, str]:
    """Events (at, actor, from, to, reason), cancelled_late, status_reason for a final status."""
    created = min(start - timedelta(days=rng.randint(1, 30), hours=rng.randint(0, 10)), now - timedelta(hours=1))
    first = "requested" if asset.approval else "confirmed"
    events = [(created, booker, None, first, "")]
    decided = created + timedelta(hours=rng.randint(1, 40))
    decided = min(decided, start - timedelta(minutes=30), now)
    late, reason = False, ""
    if asset.approval and status not in ("requested", "declined", "expired"):
        events.append((decided, manager, "requested", "confirmed", ""))
    if status == "declined":
        reason = rng.choice(DECLINE_REASONS)
        events.append((decided, manager, "requested", "declined", reason))
    elif status == "expired":
        events.append((start, None, "requested", "expired", ""))
    elif status == "cancelled":
        at = min(start - timedelta(hours=rng.choice([2, 12, 30, 72, 200])), now)
        at = max(at, events[-1][0] + timedelta(minutes=5))
        reason = rng.choice(CANCEL_REASONS)
        previous = events[-1][3]
        late = previous == "confirmed" and at > start - timedelta(hours=asset.deadline_hours)
        events.append((at, booker, previous, "cancelled", reason))
    elif status == "completed":
        events.append((end, None, "confirmed", "completed", ""))
    elif status == "no_show":
        events.append((end, None, "confirmed", "completed", ""))
        reason = "Niemand ist gekommen."
        events.append((end + timedelta(hours=2), manager, "completed", "no_show", reason))
    return events, late, reason


def _past_status(rng: random.Random, asset: _Asset) -> str:
    roll = rng.random()
    if asset.approval:
        table = [(0.74, "completed"), (0.84, "cancelled"), (0.92, "declined"), (0.96, "expired"), (1.0, "no_show")]
    else:
        table = [(0.85, "completed"), (0.96, "cancelled"), (1.0, "no_show")]
    return next(s for limit, s in table if roll < limit)


def _future_status(rng: random.Random, asset: _Asset) -> str:
    roll = rng.random()
    if asset.approval:
        return "requested" if roll < 0.35 else ("cancelled" if roll < 0.42 else "confirmed")
    return "cancelled" if roll < 0.07 else "confirmed"


async def _insert(asset: _Asset, org: int, user: int, start: datetime, end: datetime, quantity: int,
                  purpose: str, status: str, events: list[tuple], late: bool, reason: str,
                  series_id: int | None, attendees: int | None) -> None:
    booking_id = await sql.fetch_value(
        """INSERT INTO booking (asset_id, organisation_id, user_id, series_id, starts_at, ends_at,
               held_from, held_until, quantity, exclusive, purpose, attendees, status, status_reason,
               cancelled_late, created_at, updated_at)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17) RETURNING id""",
        asset.id, org, user, series_id, start, end, start - timedelta(minutes=asset.before),
        end + timedelta(minutes=asset.after), quantity, asset.quantity == 1, purpose, attendees,
        status, reason, late, events[0][0], events[-1][0],
    )
    transaction = DB.current_transaction.get()
    assert transaction is not None
    await transaction.connection.executemany(
        """INSERT INTO booking_event (booking_id, at, actor_user_id, from_status, to_status, reason)
           VALUES ($1, $2, $3, $4, $5, $6)""",
        [(booking_id, at, actor, src, dst, why) for at, actor, src, dst, why in events])


async def load(context: DemoContext) -> None:
    rng = random.Random(2026)
    now = clock.now()
    assets = await _assets(context)
    orgs_by_network, members, managers = await _people()
    if not assets:
        return
    today = now.astimezone(ZoneInfo(assets[0].timezone)).date()

    def booker_for(asset: _Asset) -> tuple[int, int] | None:
        candidates = sorted({o for n in asset.networks for o in orgs_by_network.get(n, []) if members.get(o)})
        if not candidates:
            return None
        others = [o for o in candidates if o != asset.owner]
        org = rng.choice(others) if others and rng.random() < 0.85 else rng.choice(candidates)
        return org, rng.choice(members[org])

    async with DB.transaction():
        # A few weekly series first (they claim their evenings before the random bookings).
        rooms = [a for a in assets if a.kind == "room"]
        for n, asset in enumerate(rooms[:4]):
            who = booker_for(asset)
            if who is None:
                continue
            org, user = who
            weekday = (n * 2 + 1) % 5
            first_day = today - timedelta(weeks=20) + timedelta(days=(weekday - today.weekday()) % 7)
            first_start, first_end = _slot(rng, asset, first_day, hour=18, minutes=120)
            series_id = await sql.fetch_value(
                """INSERT INTO booking_series (asset_id, organisation_id, user_id, rrule, timezone,
                                               first_start, created_at)
                   VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id""",
                asset.id, org, user, "RRULE:FREQ=WEEKLY;COUNT=30", asset.timezone, first_start,
                first_start - timedelta(days=14))
            purpose = ["Chorprobe", "Sprachcafé", "Seniorentanz", "Hausaufgabenhilfe"][n % 4]
            for week in range(30):
                start, end = _slot(rng, asset, first_day + timedelta(weeks=week), hour=18, minutes=120)
                if not _bookable(asset, start, end, 1):
                    continue
                past = end <= now
                status = "completed" if past else "confirmed"
                if rng.random() < 0.06:
                    status = "cancelled"
                manager = (managers.get(asset.owner) or [None])[0]
                events, late, reason = _history(rng, asset, start, end, now, status, user, manager)
                if status != "cancelled":
                    asset.hold(start, end, 1)
                await _insert(asset, org, user, start, end, 1, purpose, status, events, late, reason,
                              series_id, 15)

        # Random bookings over the past year and the coming eight weeks.
        for asset in assets:
            per_week = {"room": 3, "vehicle": 2, "device": 2, "expertise": 1}[asset.kind]
            for offset in range(-365, 57):
                if rng.random() > per_week / 7:
                    continue
                day = today + timedelta(days=offset)
                quantity = 1 if asset.quantity == 1 else rng.randint(1, max(1, asset.quantity // 2))
                start, end = _slot(rng, asset, day)
                if start <= now < end + timedelta(hours=1) or not _bookable(asset, start, end, quantity):
                    continue
                who = booker_for(asset)
                if who is None:
                    break
                org, user = who
                past = end <= now
                status = _past_status(rng, asset) if past else _future_status(rng, asset)
                if not past and start - now < timedelta(days=1) and status == "requested":
                    status = "confirmed"
                manager = (managers.get(asset.owner) or [None])[0]
                events, late, reason = _history(rng, asset, start, end, now, status, user, manager)
                if status in ("confirmed", "requested", "completed", "no_show"):
                    asset.hold(start, end, quantity)
                attendees = rng.randint(5, 60) if asset.kind == "room" else None
                await _insert(asset, org, user, start, end, quantity,
                              rng.choice(PURPOSES[asset.kind]), status, events, late, reason, None,
                              attendees)
