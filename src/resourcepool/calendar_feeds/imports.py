"""Reading an external calendar (.ics) into busy times (pure CPU work: run it in a thread).

An owner whose room is also booked through someone else's calendar imports that calendar; its
events become busy times of the asset (stored by availability/external.py). What counts as
busy: every VEVENT that is not cancelled (STATUS:CANCELLED) and not marked free
(TRANSP:TRANSPARENT), recurring ones expanded by `recurring-ical-events` within the window
asked for — the asset's booking horizon — and each occurrence clipped to that window. All-day
events block their whole local days and floating times are read in the asset's timezone.

Bounded work whatever the file says: at most MAX_BYTES, MAX_EVENTS events and MAX_BUSY busy
times in the window, and every RRULE is read by the one parser (`resourcepool.rrules`,
calendar dialect) and searched with its bounded search, so a rule without (more) dates cannot
send dateutil looking until the year 9999 and an endless FREQ=SECONDLY stops at the limit.
Any problem is a ValidationFailed on the field "file" with a message saying what is wrong;
nothing is stored then.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Any, Iterator
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
from dateutil.rrule import rruleset
from recurring_ical_events.constants import NEGATIVE_RRULE_COUNT_REGEX
from recurring_ical_events.selection.name import ComponentsWithName
from recurring_ical_events.series import Series
from recurring_ical_events.util import compare_greater, convert_to_datetime

from resourcepool.availability.rules import Interval, merge
from resourcepool.errors import N_, ValidationFailed
from resourcepool.rrules import CALENDARS, parse_rrule, rrule_dates

MAX_BYTES = 2 * 1024 * 1024
MAX_EVENTS = 5000
MAX_BUSY = 10_000
# Dates a rule may produce in the window before the expansion gives up, counting those an
# EXDATE or a later change removes again.
MAX_DATES = 4 * MAX_BUSY
_EVENT_START = re.compile(rb"^BEGIN:VEVENT\s*$", re.IGNORECASE | re.MULTILINE)
# Properties whose TZID must name a zone the file defines or the world knows.
_TIMED = ("DTSTART", "DTEND", "DUE", "RECURRENCE-ID", "EXDATE", "RDATE")


@dataclass(frozen=True)
class ImportedCalendar:
    events: int  # VEVENT components in the file
    occurrences: int  # busy occurrences within the window
    busy: list[Interval]  # merged, within the window


def _refuse(message: str, **params: Any) -> ValidationFailed:
    return ValidationFailed(message, field="file", **params)


def too_large() -> ValidationFailed:
    return ValidationFailed(N_("The calendar is larger than %(mb)s MB."), field="file",
                            code="payload_too_large", mb=MAX_BYTES // (1024 * 1024))


class _TooMany(Exception):
    pass


class _BadRule(Exception):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def _bounded_series(zone: tzinfo, budget: list[int]) -> type[Series]:
    """A Series whose rules are read by our parser and searched with bounded work."""

    class BoundedRules(Series.RecurrenceRules):
        def rrulestr(self, rule_string: str) -> Any:
            text = NEGATIVE_RRULE_COUNT_REGEX.sub("", rule_string)  # "COUNT=-1" (Outlook)
            start = self.start
            try:
                rule = parse_rrule(text, start.tzinfo or zone, CALENDARS).dateutil(start)
            except ValidationFailed:
                raise _BadRule(text) from None
            rule.string = text
            rule.until = self._get_rrule_until(rule)
            return rule

        def rrule_between(self, span_start: Any, span_stop: Any) -> Iterator[Any]:
            span_start = convert_to_datetime(span_start, self.tzinfo)
            span_stop = convert_to_datetime(span_stop, self.tzinfo)
            for rule in self.rrules:
                # The first is a set of the RDATEs only (bounded by the file's size).
                found = (rule.between(span_start, span_stop, inc=True) if isinstance(rule, rruleset)
                         else rrule_dates(rule, span_start, span_stop))
                for start in found:
                    budget[0] += 1
                    if budget[0] > MAX_DATES:
                        raise _TooMany
                    if rule.until is None or not compare_greater(start, rule.until):
                        yield start

    class BoundedSeries(Series):
        RecurrenceRules = BoundedRules

    return BoundedSeries


def _check_zones(event: Any) -> None:
    """Refuse a TZID that is neither defined in the file nor known (icalendar would read such a
    time as floating — in the wrong zone — without a word)."""
    for name in _TIMED:
        values = event.get(name)
        for value in values if isinstance(values, list) else [values]:
            if value is None or "TZID" not in getattr(value, "params", {}):
                continue
            times = [d.dt for d in value.dts] if hasattr(value, "dts") else [value.dt]
            if any(isinstance(t, datetime) and t.tzinfo is None for t in times):
                raise _refuse(N_("The calendar uses a time zone that is not known: %(zone)s."),
                              zone=str(value.params["TZID"])[:100])


def _instant(value: date | datetime, zone: ZoneInfo) -> datetime:
    """As an instant in UTC: two aware times of one zone compare by their wall clock, so an
    event ending 03:00 after a start of 02:55 in the March gap would look 5 minutes long."""
    if isinstance(value, datetime):
        local = value if value.tzinfo is not None else value.replace(tzinfo=zone)  # floating
    else:
        local = datetime.combine(value, time(), zone)  # a whole day from local midnight
    return local.astimezone(timezone.utc)


def _is_busy(component: Any) -> bool:
    status = str(component.get("STATUS", "")).upper()
    transparency = str(component.get("TRANSP", "")).upper()
    return status != "CANCELLED" and transparency != "TRANSPARENT"


def read_calendar(data: bytes, tz: str, start: datetime, end: datetime) -> ImportedCalendar:
    """The busy times of an iCalendar file within [start, end), or ValidationFailed."""
    if len(data) > MAX_BYTES:
        raise too_large()
    if not data.strip():
        raise _refuse(N_("The file is empty."))
    # Counted on the bytes first: a file of 50,000 tiny events is refused before it is parsed.
    if len(_EVENT_START.findall(data)) > MAX_EVENTS:
        raise _refuse(N_("The calendar has more than %(max)s events."), max=MAX_EVENTS)
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except Exception:  # noqa: BLE001 — whatever the parser trips over, it is not a calendar
        calendar = None
    if calendar is None or getattr(calendar, "name", None) != "VCALENDAR":
        raise _refuse(N_("This is not an iCalendar file (.ics)."))
    events = calendar.walk("VEVENT")
    if len(events) > MAX_EVENTS:
        raise _refuse(N_("The calendar has more than %(max)s events."), max=MAX_EVENTS)
    for event in events:
        _check_zones(event)
    zone = ZoneInfo(tz)
    budget = [0]
    selection = ComponentsWithName("VEVENT", series=_bounded_series(zone, budget))
    window_start, window_end = start.astimezone(zone), end.astimezone(zone)
    start, end = start.astimezone(timezone.utc), end.astimezone(timezone.utc)
    pieces: list[Interval] = []
    try:
        query = recurring_ical_events.of(calendar, components=[selection])
        for series in query.series:
            for occurrence in series.between(window_start, window_end):
                if not _is_busy(occurrence._adapter._component):
                    continue
                s = max(_instant(occurrence.start, zone), start)
                e = min(_instant(occurrence.end, zone), end)
                if e <= s:
                    continue
                if len(pieces) >= MAX_BUSY:
                    raise _TooMany
                pieces.append(Interval(s, e))
    except _BadRule as exc:
        raise _refuse(N_("An event's repeat rule cannot be read: %(rule)s"), rule=exc.text[:100]) from None
    except _TooMany:
        days = (end - start).days
        raise _refuse(N_("The calendar has more than %(max)s busy times in the next %(days)s days."),
                      max=MAX_BUSY, days=days) from None
    except Exception:  # noqa: BLE001 — a broken event, a date the library cannot compare…
        raise _refuse(N_("The calendar's events cannot be read.")) from None
    return ImportedCalendar(len(events), len(pieces), merge(pieces))


def window(now: datetime, horizon_days: int, margin_days: int) -> tuple[datetime, datetime]:
    """The stretch of time imported: from now to the booking horizon and a margin (events under
    way now are included, from now)."""
    return now, now + timedelta(days=horizon_days + margin_days)
