"""VTIMEZONE components (built with icalendar) with yearly rules, as Outlook needs them.

Thunderbird and Google Calendar go by the Olson name in TZID; Outlook reads the VTIMEZONE, and
a list of one-off transitions (what icalendar's `Timezone.from_tzid` writes) does not serve a
feed that stays subscribed for years. So the rules are taken from one year's transitions:
Europe/Berlin becomes "last Sunday of March 02:00 → CEST, last Sunday of October 03:00 → CET".
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard


def _transitions(tz: ZoneInfo, year: int) -> list[tuple[datetime, timedelta, timedelta, str]]:
    """The offset changes of `tz` in `year`: (instant in UTC, offset before, after, name after)."""
    found = []
    at = datetime(year, 1, 1, tzinfo=timezone.utc)
    end = datetime(year + 1, 1, 1, tzinfo=timezone.utc)
    step = timedelta(days=1)
    before = at.astimezone(tz).utcoffset()
    while at < end:
        nxt = at + step
        after = nxt.astimezone(tz).utcoffset()
        if after != before:
            low, high = at, nxt  # bisect to the minute
            while high - low > timedelta(minutes=1):
                mid = low + (high - low) / 2
                if mid.astimezone(tz).utcoffset() == before:
                    low = mid
                else:
                    high = mid
            # Real zones change on a whole minute, which `high` is less than a minute after.
            high = high.replace(second=0, microsecond=0)
            found.append((high, before, after, high.astimezone(tz).tzname() or ""))
            before = after
        at = nxt
    return found


@lru_cache(maxsize=64)
def vtimezone_text(tzid: str, year: int) -> str:
    """The VTIMEZONE of `tzid` serialised (CRLF lines), cached: feeds repeat it on every read."""
    return vtimezone(tzid, year).to_ical().decode()


def vtimezone(tzid: str, year: int) -> Timezone:
    """A VTIMEZONE for `tzid` with yearly rules taken from `year`'s transitions
    (e.g. Europe/Berlin: last Sunday of March 02:00 → CEST, last Sunday of October 03:00 → CET).
    A zone without daylight saving gets one STANDARD observance."""
    tz = ZoneInfo(tzid)
    component = Timezone()
    component.add("tzid", tzid)
    component.add("x-lic-location", tzid)
    changes = _transitions(tz, year)
    if not changes:
        offset = datetime(year, 1, 1, tzinfo=timezone.utc).astimezone(tz)
        standard = TimezoneStandard()
        standard.add("dtstart", datetime(1970, 1, 1))
        standard.add("tzoffsetfrom", offset.utcoffset())
        standard.add("tzoffsetto", offset.utcoffset())
        standard.add("tzname", offset.tzname() or tzid)
        component.add_component(standard)
        return component
    for instant, before, after, name in changes:
        # DTSTART is the local wall-clock time of the change, read in the offset before it.
        local = (instant + before).replace(tzinfo=None)
        week = (local.day - 1) // 7 + 1
        last = (local + timedelta(days=7)).month != local.month
        weekday = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[local.weekday()]
        observance = TimezoneDaylight() if _is_dst(tz, instant) else TimezoneStandard()
        observance.add("dtstart", local.replace(year=1970, day=_same_weekday_1970(local, last, week)))
        observance.add("rrule", {"freq": "yearly", "bymonth": local.month,
                                 "byday": f"{-1 if last else week}{weekday}"})
        observance.add("tzoffsetfrom", before)
        observance.add("tzoffsetto", after)
        observance.add("tzname", name)
        component.add_component(observance)
    return component


def _is_dst(tz: ZoneInfo, instant: datetime) -> bool:
    """Whether the offset from `instant` on is daylight saving time."""
    return bool(instant.astimezone(tz).dst())


def _same_weekday_1970(local: datetime, last: bool, week: int) -> int:
    """The day in 1970 of the same month that the rule (n-th or last weekday) gives, so
    DTSTART is itself an occurrence of its RRULE, as RFC 5545 asks."""
    first = datetime(1970, local.month, 1)
    shift = (local.weekday() - first.weekday()) % 7
    day = 1 + shift + 7 * (week - 1)
    if last:
        day = 1 + shift
        while True:
            try:
                datetime(1970, local.month, day + 7)
            except ValueError:
                break
            day += 7
    return day
