"""Availability of one asset over a window: free pieces with their units, and busy blocks.

Busy blocks say only *when* and *why* (`closed` outside opening hours, `closure`, `external`
— a busy time of the owner's external calendar —, `booking`); never whose booking or event it
is, so other organisations' plans stay private. Closures and external busy times are read as
stored rows (`asset_busy`), never expanded here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Sequence
from zoneinfo import ZoneInfo

from resourcepool import clock
from resourcepool.accounts.identity import Identity
from resourcepool.availability import rules
from resourcepool.availability.materialise import ensure_covered
from resourcepool.availability.queries import AssetRules, holds_for_assets, visible_asset_rules
from resourcepool.availability.rules import FreeInterval, Interval
from resourcepool.errors import N_, NotFound, ValidationFailed
from resourcepool.textrules import check_year

MAX_WINDOW_DAYS = 62


@dataclass(frozen=True)
class BusyBlock:
    start: datetime
    end: datetime
    source: str  # "booking" | "closure" | "external" | "closed"


@dataclass(frozen=True)
class Availability:
    asset: AssetRules
    start: datetime
    end: datetime
    free: list[FreeInterval]
    busy: list[BusyBlock]

    @property
    def timezone(self) -> str:
        return self.asset.timezone


def check_window(start: datetime, end: datetime, max_days: int, *, start_field: str = "from",
                 end_field: str = "to") -> None:
    """A window must be aware, in supported years, end after start, and at most `max_days` long."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValidationFailed(N_("Times need a timezone offset."), field=start_field)
    check_year(start, start_field)
    check_year(end, end_field)
    if end <= start:
        raise ValidationFailed(N_("The end must be after the start."), field=end_field)
    if end - start > timedelta(days=max_days):
        raise ValidationFailed(
            N_("The time window may be at most %(days)s days long."), field=end_field, days=max_days
        )


def busy_blocks(asset: AssetRules, free: Sequence[FreeInterval], start: datetime,
                end: datetime) -> list[BusyBlock]:
    """Everything in [start, end) that is not free, labelled with the reason."""
    opened = rules.open_intervals(asset.hours, asset.timezone, start, end)
    closed = rules.complement(opened, start, end)
    closure = rules.subtract(opened, rules.subtract(opened, rules.clip(asset.closed, start, end)))
    available = rules.subtract(opened, closure)
    external = rules.subtract(available, rules.subtract(available, rules.clip(asset.external, start, end)))
    available = rules.subtract(available, external)
    booked = rules.subtract(available, [Interval(f.start, f.end) for f in free])
    blocks = [BusyBlock(i.start, i.end, "closed") for i in closed]
    blocks += [BusyBlock(i.start, i.end, "closure") for i in closure]
    blocks += [BusyBlock(i.start, i.end, "external") for i in external]
    blocks += [BusyBlock(i.start, i.end, "booking") for i in booked]
    return sorted(blocks, key=lambda b: b.start)


async def get_availability(identity: Identity | None, asset_id: int, start: datetime,
                           end: datetime) -> Availability:
    """Free and busy time of a visible asset over [start, end) (at most 62 days). Two queries
    (more only when its closures must first be stored further ahead)."""
    check_window(start, end, MAX_WINDOW_DAYS)
    asset = await visible_asset_rules(identity, asset_id, start, end)
    if asset is None:
        raise NotFound(N_("This asset does not exist or is not visible to you."))
    if asset.needs_repair and await ensure_covered(asset.id, end):
        asset = await visible_asset_rules(identity, asset_id, start, end) or asset
    holds = [h.hold for h in await holds_for_assets([asset.id], start, end)]
    free = rules.free_intervals(asset.hours, asset.busy, holds, asset.quantity, asset.timezone,
                                start, end, asset.buffer_before, asset.buffer_after)
    start_utc, end_utc = start.astimezone(rules.UTC), end.astimezone(rules.UTC)
    return Availability(asset, start_utc, end_utc, free, busy_blocks(asset, free, start_utc, end_utc))


# --- the week calendar on the asset page --------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    state: str  # "free" | "booking" | "closure" | "external" | "closed" | "past" | "none"
    start: datetime | None = None
    end: datetime | None = None
    quantity: int = 0
    # Pre-filled booking span for a free cell (at least the minimum duration when it fits).
    book_start: datetime | None = None
    book_end: datetime | None = None


@dataclass(frozen=True)
class Row:
    label: str  # local "HH:MM"
    cells: list[Cell]


@dataclass(frozen=True)
class WeekCalendar:
    asset: AssetRules
    monday: date
    days: list[date]
    step_minutes: int
    rows: list[Row] = field(default_factory=list)

    @property
    def previous_week(self) -> date:
        return self.monday - timedelta(days=7)

    @property
    def next_week(self) -> date:
        return self.monday + timedelta(days=7)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def row_range(hours: Sequence[rules.WeeklyHours]) -> tuple[int, int]:
    """First and last minute of the grid: earliest opening to latest closing (or all day)."""
    if not hours:
        return 0, 1440
    return min(h.start_minute for h in hours), max(h.end_minute for h in hours)


def _cell(availability: Availability, busy: Sequence[BusyBlock], wall_start: datetime,
          wall_end: datetime, now: datetime) -> Cell:
    asset = availability.asset
    instants = rules.wall_to_instants(asset.timezone, wall_start, wall_end)
    if not instants:
        return Cell("none")  # a row that does not exist on this day (the March switch)
    # In the repeated October hour a row stands for two separate pieces of time. When both are
    # free the cell is free, and it books the first of them that is not over yet.
    pieces = [next((f for f in availability.free if f.start <= i.start and i.end <= f.end), None)
              for i in instants]
    if all(p is not None for p in pieces):
        ahead = [(i, p) for i, p in zip(instants, pieces) if i.end > now]
        if not ahead:
            return Cell("past", instants[0].start, instants[0].end)
        first, piece = ahead[0]
        assert piece is not None
        book_end = first.end
        wanted = first.start + timedelta(minutes=asset.min_duration_minutes)
        if wanted > book_end and wanted <= piece.end:
            book_end = wanted
        quantity = min(p.quantity for p in pieces if p is not None)
        return Cell("free", first.start, first.end, quantity, first.start, book_end)
    start, end = instants[0].start, instants[-1].end
    reasons = {b.source for b in busy if b.start < end and start < b.end}
    for reason in ("booking", "closure", "external", "closed"):
        if reason in reasons:
            return Cell(reason, start, end)
    # Partly free (a free piece starts or ends inside the cell): not bookable as a whole.
    return Cell("booking", start, end)


def build_week(availability: Availability, monday: date, now: datetime) -> WeekCalendar:
    """The grid of a week: rows of 30 or 60 minutes from earliest opening to latest closing."""
    asset = availability.asset
    first, last = row_range(asset.hours)
    step = 30 if last - first <= 14 * 60 and asset.slot_minutes <= 30 else 60
    first -= first % step
    days = [monday + timedelta(days=i) for i in range(7)]
    rows = []
    for minute in range(first, last, step):
        cells = []
        for d in days:
            wall = datetime.combine(d, time()) + timedelta(minutes=minute)
            cells.append(_cell(availability, availability.busy, wall, wall + timedelta(minutes=step), now))
        rows.append(Row(f"{minute // 60:02d}:{minute % 60:02d}", cells))
    return WeekCalendar(asset, monday, days, step, rows)


async def week_calendar(identity: Identity | None, asset_id: int, day: date | None,
                        timezone: str) -> WeekCalendar:
    """The week around `day` (this week by default) of a visible asset, in its timezone."""
    z = ZoneInfo(timezone)
    now = clock.now()
    monday = monday_of(day or now.astimezone(z).date())
    # The asset's own zone is only known after loading it; networks share one zone, so the
    # caller's guess (the asset's network zone) is right, and the grid re-reads the asset's.
    start = datetime.combine(monday, time(), z)
    end = datetime.combine(monday + timedelta(days=7), time(), z)
    availability = await get_availability(identity, asset_id, start, end)
    if availability.timezone != timezone:
        z = ZoneInfo(availability.timezone)
        start = datetime.combine(monday, time(), z)
        end = datetime.combine(monday + timedelta(days=7), time(), z)
        availability = await get_availability(identity, asset_id, start, end)
    return build_week(availability, monday, now)
