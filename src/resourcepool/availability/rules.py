"""Pure availability rules: opening hours and closures → open, closed and free intervals.

No database, no I/O. Every instant handled here is timezone-aware; results are in UTC,
sorted, non-overlapping and half-open `[start, end)`.

Daylight saving — the choice made here, and why
------------------------------------------------
Opening hours are *wall-clock* rules ("08:00–22:00 local"). We read them literally:

    an instant is open  ⇔  its local wall-clock time, on its local weekday, lies inside
                           one of that weekday's opening intervals.

This one definition settles every odd day without special cases:

* Local 08:00–22:00 stays 08:00–22:00 local on both switch days (13 or 15 real hours).
* March (gap, e.g. 02:00–03:00 does not exist in Europe/Berlin): opening hours of
  02:00–03:00 on that day are empty, 01:00–02:30 ends at the jump (01:00–02:00 CET),
  02:30–04:00 starts at the jump (03:00–04:00 CEST). Nothing is ever shifted *into*
  hours the rule did not name — a room is never "open" at 03:15 because of a rule
  that said 02:15.
* October (repeat, 02:00–03:00 happens twice): opening 02:00–02:30 is open during
  *both* passes of the clock; an interval spanning the repeat lasts an hour longer.

Recurring closures use the same wall-clock reading: each occurrence of the RRULE starts
at the first occurrence's local time and lasts the first occurrence's *wall-clock*
duration, so "every Monday 18:00–20:00" stays 18:00–20:00 local all year, and a night
closure 00:00–06:00 spanning the October switch covers 7 real hours. One-off closures are
exact instants (`[starts_at, ends_at)`) and need no interpretation.

Zones whose offset changes more than once within about a day are not supported
(none of the IANA zones in use does that).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from typing import Iterable, Sequence
from zoneinfo import ZoneInfo

from resourcepool.rrules import CLOSURES, Rule, parse_rrule, rrule_dates

UTC = timezone.utc
ZERO = timedelta(0)
MINUTES_PER_DAY = 1440
# closed_intervals stops expanding a recurring closure after this many occurrences.
MAX_OCCURRENCES = 5000


@dataclass(frozen=True)
class WeeklyHours:
    """An opening interval on a weekday, local time: Monday=0, minutes from local midnight."""

    weekday: int
    start_minute: int
    end_minute: int  # ≤ 1440 (1440 = midnight at the end of the day)

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError("weekday must be 0 (Monday) … 6 (Sunday)")
        if not 0 <= self.start_minute < self.end_minute <= MINUTES_PER_DAY:
            raise ValueError("need 0 ≤ start_minute < end_minute ≤ 1440")


@dataclass(frozen=True)
class ClosureRule:
    """A closure `[starts_at, ends_at)`; with an RRULE, the first of a wall-clock series."""

    starts_at: datetime
    ends_at: datetime
    rrule: str | None = None


@dataclass(frozen=True)
class Hold:
    """Units held by a booking over its whole span, buffers included."""

    start: datetime
    end: datetime
    quantity: int = 1


@dataclass(frozen=True)
class Interval:
    start: datetime
    end: datetime

    @property
    def duration(self) -> timedelta:
        return self.end - self.start


@dataclass(frozen=True)
class FreeInterval:
    start: datetime
    end: datetime
    quantity: int


# --- small interval algebra ----------------------------------------------------------------


def _aware(value: datetime, name: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")
    return value.astimezone(UTC)


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, with overlapping or touching intervals joined and empty ones dropped."""
    result: list[Interval] = []
    for iv in sorted((i for i in intervals if i.end > i.start), key=lambda i: i.start):
        if result and iv.start <= result[-1].end:
            if iv.end > result[-1].end:
                result[-1] = Interval(result[-1].start, iv.end)
        else:
            result.append(iv)
    return result


def clip(intervals: Iterable[Interval], start: datetime, end: datetime) -> list[Interval]:
    out = []
    for iv in intervals:
        s, e = max(iv.start, start), min(iv.end, end)
        if e > s:
            out.append(Interval(s, e))
    return out


def subtract(base: Sequence[Interval], removals: Sequence[Interval]) -> list[Interval]:
    """`base` minus `removals`; both merged lists (the result is merged too)."""
    result: list[Interval] = []
    removals = merge(removals)
    j = 0
    for iv in merge(base):
        cursor = iv.start
        while j < len(removals) and removals[j].end <= cursor:
            j += 1
        k = j
        while k < len(removals) and removals[k].start < iv.end:
            if removals[k].start > cursor:
                result.append(Interval(cursor, removals[k].start))
            cursor = max(cursor, removals[k].end)
            k += 1
        if cursor < iv.end:
            result.append(Interval(cursor, iv.end))
    return result


def complement(intervals: Sequence[Interval], start: datetime, end: datetime) -> list[Interval]:
    return subtract([Interval(start, end)], intervals)


def total(intervals: Iterable[Interval]) -> timedelta:
    return sum((iv.end - iv.start for iv in intervals), timedelta(0))


# --- wall-clock → instants -------------------------------------------------------------------


@lru_cache(maxsize=256)
def zone(tz: str) -> ZoneInfo:
    return ZoneInfo(tz)


def _offset(z: ZoneInfo, instant: datetime) -> timedelta:
    return instant.astimezone(z).utcoffset()  # type: ignore[return-value]


def _transition(z: ZoneInfo, lo: datetime, hi: datetime) -> datetime:
    """The first instant in (lo, hi] whose offset differs from lo's (offsets differ at lo, hi)."""
    before = _offset(z, lo)
    lo_s, hi_s = int(lo.timestamp()), int(hi.timestamp())
    while hi_s - lo_s > 1:
        mid = (lo_s + hi_s) // 2
        if _offset(z, datetime.fromtimestamp(mid, UTC)) == before:
            lo_s = mid
        else:
            hi_s = mid
    return datetime.fromtimestamp(hi_s, UTC)


def wall_to_instants(tz: str, wall_start: datetime, wall_end: datetime) -> list[Interval]:
    """Every instant whose local wall-clock time (naive, in `tz`) lies in [wall_start, wall_end).

    Usually one interval; on a switch day it is cut at the gap or doubled over the repeat.
    """
    if wall_end <= wall_start:
        return []
    z = zone(tz)
    day = timedelta(days=1)
    # Offsets a day either side bound the offsets inside (one transition at most).
    o1 = (wall_start - day).replace(tzinfo=z).utcoffset()
    o2 = (wall_end + day).replace(tzinfo=z).utcoffset()
    lo = (wall_start - max(o1, o2)).replace(tzinfo=UTC)  # type: ignore[type-var]
    hi = (wall_end - min(o1, o2)).replace(tzinfo=UTC)  # type: ignore[type-var]
    first, last = _offset(z, lo), _offset(z, hi)
    if first == last:
        segments = [(lo, hi, first)]
    else:
        t = _transition(z, lo, hi)
        segments = [(lo, t, first), (t, hi, last)]
    pieces = []
    for seg_start, seg_end, off in segments:
        s = max(seg_start, (wall_start - off).replace(tzinfo=UTC))
        e = min(seg_end, (wall_end - off).replace(tzinfo=UTC))
        if e > s:
            pieces.append(Interval(s, e))
    return merge(pieces)


def _local_dates(tz: str, start: datetime, end: datetime) -> list[date]:
    z = zone(tz)
    first = start.astimezone(z).date() - timedelta(days=1)
    last = end.astimezone(z).date() + timedelta(days=1)
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


# --- the public rules ------------------------------------------------------------------------


def open_intervals(
    hours: Sequence[WeeklyHours], tz: str, start: datetime, end: datetime
) -> list[Interval]:
    """When the asset is open within [start, end). No opening hours means always open."""
    start, end = _aware(start, "start"), _aware(end, "end")
    if end <= start:
        return []
    if not hours:
        return [Interval(start, end)]
    by_day: dict[int, list[WeeklyHours]] = {}
    for h in hours:
        by_day.setdefault(h.weekday, []).append(h)
    pieces: list[Interval] = []
    for d in _local_dates(tz, start, end):
        midnight = datetime.combine(d, time())
        for h in by_day.get(d.weekday(), ()):
            pieces.extend(
                wall_to_instants(
                    tz,
                    midnight + timedelta(minutes=h.start_minute),
                    midnight + timedelta(minutes=h.end_minute),
                )
            )
    return clip(merge(pieces), start, end)


@lru_cache(maxsize=4096)
def closure_rule(text: str, tz: str) -> Rule:
    """A stored closure RRULE read with the one parser (cached: the materialiser reads the
    same rules again as time passes). Raises ValidationFailed for a rule it cannot read."""
    return parse_rrule(text, zone(tz), CLOSURES)


@dataclass(frozen=True)
class Occurrences:
    """Occurrences of a recurring closure whose starts lie in [after, resume or before)."""

    pieces: list[Interval]  # as instants; an occurrence over a clock change may be two pieces
    count: int  # occurrences (not pieces)
    resume: datetime | None  # set when `limit` stopped the expansion: where to go on


def closure_occurrences(c: ClosureRule, tz: str, after: datetime, before: datetime,
                        limit: int) -> Occurrences:
    """The occurrences of the recurring closure `c` that start in [after, before), at most `limit`.

    Each starts at the first occurrence's local wall-clock time and lasts its wall-clock
    length (see the module docstring). An occurrence belongs to the range by the instant its
    wall-clock start denotes (the earlier one in the October repeat, the one after the gap in
    March), so consecutive ranges never store one twice.
    """
    after, before = _aware(after, "after"), _aware(before, "before")
    z = zone(tz)
    first_local = c.starts_at.astimezone(z)
    wall_start = first_local.replace(tzinfo=None)
    wall_length = c.ends_at.astimezone(z).replace(tzinfo=None) - wall_start
    if wall_length <= ZERO or before <= after:
        return Occurrences([], 0, None)
    rule = closure_rule(c.rrule or "", tz).dateutil(wall_start)
    # Wall-clock bounds of the range, a day wider for the offsets; exact below by instant.
    margin = timedelta(days=1)
    lo = max(wall_start, after.astimezone(z).replace(tzinfo=None) - margin)
    hi = before.astimezone(z).replace(tzinfo=None) + margin
    pieces: list[Interval] = []
    count = 0
    # rrule_dates: a rule with no more dates must not send dateutil looking until 9999.
    for occ in rrule_dates(rule, lo, hi):
        instant = occ.replace(tzinfo=z, fold=0).astimezone(UTC)
        if instant < after:
            continue
        if instant >= before:
            break
        if count == limit:
            return Occurrences(pieces, count, instant)
        count += 1
        pieces.extend(wall_to_instants(tz, occ, occ + wall_length))
    return Occurrences(pieces, count, None)


def closed_intervals(
    closures: Sequence[ClosureRule], tz: str, start: datetime, end: datetime
) -> list[Interval]:
    """When closures (one-off or recurring) close the asset within [start, end).

    The reference the stored occurrences are made from (availability/materialise.py); the
    requests themselves read those rows, never this."""
    start, end = _aware(start, "start"), _aware(end, "end")
    if end <= start:
        return []
    pieces: list[Interval] = []
    for c in closures:
        if c.rrule:
            # Occurrences starting up to a wall-clock length (plus a day for offsets) before
            # the window can still reach into it.
            length = c.ends_at - c.starts_at + timedelta(days=2)
            pieces.extend(closure_occurrences(c, tz, start - length, end, MAX_OCCURRENCES).pieces)
        else:
            pieces.append(Interval(_aware(c.starts_at, "starts_at"), _aware(c.ends_at, "ends_at")))
    return clip(merge(pieces), start, end)


def available_intervals(
    hours: Sequence[WeeklyHours],
    busy: Sequence[Interval],
    tz: str,
    start: datetime,
    end: datetime,
) -> list[Interval]:
    """Open and not busy (closures, external calendars; bookings not considered)."""
    return subtract(open_intervals(hours, tz, start, end), clip(merge(busy), start, end))


def _held_pieces(holds: Sequence[Hold]) -> list[tuple[datetime, datetime, int]]:
    """The held-units step function as (start, end, units > 0) pieces, in order."""
    changes: dict[datetime, int] = {}
    for h in holds:
        s, e = _aware(h.start, "hold start"), _aware(h.end, "hold end")
        if e > s and h.quantity > 0:
            changes[s] = changes.get(s, 0) + h.quantity
            changes[e] = changes.get(e, 0) - h.quantity
    points = sorted(changes)
    pieces, held = [], 0
    for here, after in zip(points, points[1:]):
        held += changes[here]
        if held > 0:
            pieces.append((here, after, held))
    return pieces


def guarded_holds(holds: Sequence[Hold], buffer_before: timedelta = ZERO,
                  buffer_after: timedelta = ZERO) -> list[Hold]:
    """The holds as they bar a new booking whose buffers are `buffer_before`/`buffer_after`.

    The booking service refuses [s, e) when its held span [s − before, e + after) meets more
    held units than the quantity leaves. So what bars an instant t of the new booking is the
    most units held anywhere in [t − before, t + after): each piece of the held-units step
    function, widened by `after` in front and `before` behind, the highest where they meet.
    With one unit that is every hold stretched to [held_from − after, held_until + before).
    The result is disjoint and sorted, so summing it (as free_intervals does) gives that peak.
    """
    pieces = _held_pieces(holds)
    if buffer_before == ZERO and buffer_after == ZERO:
        return [Hold(s, e, q) for s, e, q in pieces]
    widened = [(s - buffer_after, e + buffer_before, q) for s, e, q in pieces]  # sorted by start
    points = sorted({p for s, e, _ in widened for p in (s, e)})
    result: list[Hold] = []
    live: list[tuple[int, datetime]] = []  # (−units, end): the highest on top
    i = 0
    for here, after in zip(points, points[1:]):
        while i < len(widened) and widened[i][0] <= here:
            heapq.heappush(live, (-widened[i][2], widened[i][1]))
            i += 1
        while live and live[0][1] <= here:
            heapq.heappop(live)
        if not live:
            continue
        units = -live[0][0]
        if result and result[-1].end == here and result[-1].quantity == units:
            result[-1] = Hold(result[-1].start, after, units)
        else:
            result.append(Hold(here, after, units))
    return result


def free_intervals(
    hours: Sequence[WeeklyHours],
    busy: Sequence[Interval],
    holds: Sequence[Hold],
    quantity: int,
    tz: str,
    start: datetime,
    end: datetime,
    buffer_before: timedelta = ZERO,
    buffer_after: timedelta = ZERO,
) -> list[FreeInterval]:
    """Pieces of [start, end) that are open, not busy, with the number of free units (> 0).

    `busy` are the closure occurrences and external busy times (any order, may overlap).

    "Free" means bookable as far as holds go: a booking of up to that many units anywhere
    inside a piece, with the asset's buffers, does not meet too many held units (see
    guarded_holds). `holds` must include every hold overlapping
    [start − buffer_before, end + buffer_after). Adjacent pieces with the same number of free
    units are joined.
    """
    start, end = _aware(start, "start"), _aware(end, "end")
    holds = guarded_holds(holds, buffer_before, buffer_after)
    base = available_intervals(hours, busy, tz, start, end)
    # Sweep line over the holds: +q at their start, −q at their end.
    changes: dict[datetime, int] = {}
    for h in holds:
        s, e = max(_aware(h.start, "hold start"), start), min(_aware(h.end, "hold end"), end)
        if e > s and h.quantity > 0:
            changes[s] = changes.get(s, 0) + h.quantity
            changes[e] = changes.get(e, 0) - h.quantity
    points = sorted(changes)
    result: list[FreeInterval] = []

    def emit(s: datetime, e: datetime, free: int) -> None:
        if e <= s or free <= 0:
            return
        if result and result[-1].end == s and result[-1].quantity == free:
            result[-1] = FreeInterval(result[-1].start, e, free)
        else:
            result.append(FreeInterval(s, e, free))

    i, held = 0, 0
    for iv in base:
        cursor = iv.start
        # Apply every change at or before the interval's start.
        while i < len(points) and points[i] <= cursor:
            held += changes[points[i]]
            i += 1
        while i < len(points) and points[i] < iv.end:
            emit(cursor, points[i], quantity - held)
            cursor = points[i]
            held += changes[points[i]]
            i += 1
        emit(cursor, iv.end, quantity - held)
    return result


def is_bookable_span(
    hours: Sequence[WeeklyHours],
    busy: Sequence[Interval],
    tz: str,
    start: datetime,
    end: datetime,
) -> bool:
    """Whether the whole [start, end) lies inside opening hours and outside every busy time."""
    start, end = _aware(start, "start"), _aware(end, "end")
    if end <= start:
        return False
    open_ = open_intervals(hours, tz, start, end)
    if len(open_) != 1 or open_[0] != Interval(start, end):
        return False
    return not clip(busy, start, end)


MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY


@dataclass(frozen=True)
class WallWindow:
    """A window as minutes of the local week (Monday 00:00 = 0), see wall_window."""

    start_minute: int
    end_minute: int
    continuous: bool


def wall_window(tz: str, start: datetime, end: datetime) -> WallWindow:
    """Where [start, end) lies in the local week, and whether it is one unbroken stretch of
    wall-clock time (no clock change inside).

    When it is, the window is open exactly when every minute of the week in
    [start_minute, end_minute) is: the search compares that with each asset's opening hours as
    minutes of a week written twice (so a stretch may run over Sunday midnight), see
    `week_minutes`. The start is rounded down and the end up to whole minutes (opening hours
    are whole minutes), and the end is capped one week after the start (open for a whole week
    means always open). Zones change their offset at most once within about a day (see the
    module docstring), so the same offset at the start, a day after it, … and at the end means
    no change inside.
    """
    start, end = _aware(start, "start"), _aware(end, "end")
    z = zone(tz)
    local = start.astimezone(z)
    seconds = (local.weekday() * 86400 + local.hour * 3600 + local.minute * 60 + local.second
               + local.microsecond / 1e6)
    first = int(seconds // 60)
    last = -int(-(seconds + (end - start).total_seconds()) // 60)
    offsets = {local.utcoffset(), end.astimezone(z).utcoffset()}
    probe = start + timedelta(days=1)
    while probe < end:
        offsets.add(probe.astimezone(z).utcoffset())
        probe += timedelta(days=1)
    return WallWindow(first, min(last, first + MINUTES_PER_WEEK), len(offsets) == 1)


def week_minutes(hours: Sequence[WeeklyHours]) -> list[tuple[int, int]]:
    """Opening hours as merged [start, end) minutes of a week written twice (0 … 20160);
    no hours means always open. The same as the database's `asset.open_week`."""
    if not hours:
        return [(0, 2 * MINUTES_PER_WEEK)]
    pieces = sorted((h.weekday * MINUTES_PER_DAY + h.start_minute + shift,
                     h.weekday * MINUTES_PER_DAY + h.end_minute + shift)
                    for h in hours for shift in (0, MINUTES_PER_WEEK))
    merged: list[tuple[int, int]] = []
    for lo, hi in pieces:
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def max_units_held(holds: Sequence[Hold], start: datetime, end: datetime) -> int:
    """The largest number of units held at any instant of [start, end) — the test the booking
    service applies to a pooled asset (half-open spans that only touch do not add up)."""
    clipped = [Hold(max(h.start, start), min(h.end, end), h.quantity) for h in holds]
    return max((units for _, _, units in _held_pieces(clipped)), default=0)
