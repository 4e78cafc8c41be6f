"""Recurrence rules (RFC 5545 RRULE): the one parser and the one bounded search (pure).

Closures, booking series and imported calendars all read their rules here, each with its
own `Dialect` (which frequencies and parts it accepts, whether an end is required), and
expand them with `rrule_dates`, whose work is bounded whatever the rule says.

Why a parser of our own in front of dateutil: dateutil's `rrulestr` accepts digits of every
script (int("٣") is 3), silently ignores what it does not know, and its errors name nothing.
Here each part is read with ASCII patterns, checked against its range, and a refusal names
the part, so the form or the API can say what is wrong.

Why a bounded search: dateutil looks for a rule's next date until the year 9999 before it
gives up — also inside `between()` — so a rule with no (more) dates, e.g.
`FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30` or a weekly rule whose BYDAY never meets its INTERVAL,
costs seconds of CPU.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone, tzinfo
from typing import Any, Iterator

from dateutil import rrule as du
from dateutil.rrule import rrule as RRule

from resourcepool.errors import N_, ValidationFailed
from resourcepool.textrules import clean_text, in_supported_years

FREQUENCIES = {"YEARLY": du.YEARLY, "MONTHLY": du.MONTHLY, "WEEKLY": du.WEEKLY, "DAILY": du.DAILY,
               "HOURLY": du.HOURLY, "MINUTELY": du.MINUTELY, "SECONDLY": du.SECONDLY}
WEEKDAYS = {"MO": du.MO, "TU": du.TU, "WE": du.WE, "TH": du.TH, "FR": du.FR, "SA": du.SA, "SU": du.SU}
# Lists of numbers: (dateutil keyword, lowest, highest, zero allowed).
_NUMBER_LISTS = {
    "BYMONTHDAY": ("bymonthday", -31, 31, False),
    "BYMONTH": ("bymonth", 1, 12, True),
    "BYYEARDAY": ("byyearday", -366, 366, False),
    "BYWEEKNO": ("byweekno", -53, 53, False),
    "BYSETPOS": ("bysetpos", -366, 366, False),
    "BYHOUR": ("byhour", 0, 23, True),
    "BYMINUTE": ("byminute", 0, 59, True),
    "BYSECOND": ("bysecond", 0, 59, True),
}
ALL_PARTS = frozenset({"FREQ", "INTERVAL", "BYDAY", "COUNT", "UNTIL", "WKST", *_NUMBER_LISTS})
MAX_INTERVAL = 999
MAX_COUNT = 100_000
MAX_LIST = 366  # values in one BY… part
# ASCII only: Python's int() and \d also accept other scripts' digits ("٣"), RFC 5545 does not.
_INTEGER = re.compile(r"[+-]?[0-9]{1,6}")
_BYDAY = re.compile(r"([+-]?[0-9]{1,2})?(MO|TU|WE|TH|FR|SA|SU)")
_UNTIL = re.compile(r"([0-9]{8})(T([0-9]{6})(Z)?)?")


@dataclass(frozen=True)
class Dialect:
    """What one kind of rule may say: frequencies, parts, whether it must end, its form field."""

    frequencies: frozenset[str]
    parts: frozenset[str]
    field: str
    require_end: bool = False
    max_length: int = 500


# Booking series: what the booking form builds, and a little more for API clients.
SERIES = Dialect(frozenset({"DAILY", "WEEKLY", "MONTHLY"}),
                 frozenset({"FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "COUNT", "UNTIL", "WKST"}),
                 field="recurrence", require_end=True)
# Closures: one occurrence on a date at most (the time of day is the closure's own).
CLOSURES = Dialect(frozenset({"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}),
                   ALL_PARTS - {"BYHOUR", "BYMINUTE", "BYSECOND"}, field="rrule")
# Imported calendars: anything RFC 5545 allows (limits on occurrences apply when expanding).
CALENDARS = Dialect(frozenset(FREQUENCIES), ALL_PARTS, field="file", max_length=2000)


@dataclass(frozen=True)
class Rule:
    """A checked rule. `until` is a naive wall-clock time in the zone the rule is read in."""

    freq: int
    text: str  # normalised, without "RRULE:"
    interval: int = 1
    count: int | None = None
    until: datetime | None = None
    wkst: int | None = None
    byweekday: tuple[Any, ...] | None = None
    numbers: dict[str, tuple[int, ...]] = field(default_factory=dict)

    def dateutil(self, dtstart: datetime) -> RRule:
        """The dateutil rule from `dtstart` (naive wall-clock, or aware: then it keeps the
        wall-clock time of its zone on every date)."""
        kwargs: dict[str, Any] = {"dtstart": dtstart, "interval": self.interval, **self.numbers}
        if self.byweekday:
            kwargs["byweekday"] = list(self.byweekday)
        if self.count is not None:
            kwargs["count"] = self.count
        if self.until is not None:
            kwargs["until"] = self.until.replace(tzinfo=dtstart.tzinfo)
        if self.wkst is not None:
            kwargs["wkst"] = self.wkst
        return du.rrule(self.freq, **kwargs)


def _bad(dialect: Dialect, message: str = N_("The repeat rule is not valid."),
         **params: str) -> ValidationFailed:
    return ValidationFailed(message, field=dialect.field, **params)


def _bad_part(dialect: Dialect, part: str) -> ValidationFailed:
    return _bad(dialect, N_("The repeat rule's %(part)s is not valid."), part=part)


def _integer(dialect: Dialect, text: str, part: str, low: int, high: int, zero: bool = True) -> int:
    if not _INTEGER.fullmatch(text):
        raise _bad_part(dialect, part)
    value = int(text)
    if not low <= value <= high or (value == 0 and not zero):
        raise _bad_part(dialect, part)
    return value


def _split(dialect: Dialect, text: str) -> dict[str, str]:
    """NAME=value parts, names upper-cased; each part at most once and one the dialect takes."""
    parts: dict[str, str] = {}
    for item in text.split(";"):
        key, sep, value = item.partition("=")
        key = key.strip().upper()
        if not sep or not key:
            raise _bad(dialect, N_("The repeat rule is not valid: each part must look like NAME=value."))
        if key not in dialect.parts:
            raise _bad(dialect, N_("The repeat rule's part %(part)s is not supported."), part=key[:20])
        if key in parts:
            raise _bad(dialect, N_("The repeat rule names %(part)s twice."), part=key)
        if not value.strip():
            raise _bad_part(dialect, key)
        parts[key] = value.strip().upper()
    return parts


def _until(dialect: Dialect, value: str, zone: tzinfo) -> datetime:
    """UNTIL as a naive wall-clock time in `zone` (UTC values converted, a date = its last second)."""
    match = _UNTIL.fullmatch(value)
    if not match:
        raise _bad_part(dialect, "UNTIL")
    try:
        if match.group(2):
            moment = datetime.strptime(match.group(1) + match.group(3), "%Y%m%d%H%M%S")
        else:
            # A bare date means "up to and including that day".
            moment = datetime.strptime(match.group(1), "%Y%m%d").replace(hour=23, minute=59, second=59)
    except ValueError:
        raise _bad_part(dialect, "UNTIL") from None
    if not in_supported_years(moment):
        raise _bad_part(dialect, "UNTIL")
    if match.group(4):  # UTC → wall clock of the zone
        moment = moment.replace(tzinfo=timezone.utc).astimezone(zone).replace(tzinfo=None)
    return moment


def _byday(dialect: Dialect, value: str, freq: str) -> tuple[Any, ...]:
    days = []
    for token in value.split(","):
        match = _BYDAY.fullmatch(token.strip())
        if not match:
            raise _bad_part(dialect, "BYDAY")
        n, day = match.groups()
        if n:
            # "The first Monday" only means something in a month or a year.
            limit = {"MONTHLY": 5, "YEARLY": 53}.get(freq, 0)
            number = int(n)
            if not limit or number == 0 or abs(number) > limit:
                raise _bad_part(dialect, "BYDAY")
            days.append(WEEKDAYS[day](number))
        else:
            days.append(WEEKDAYS[day])
    if len(days) > MAX_LIST:
        raise _bad_part(dialect, "BYDAY")
    return tuple(days)


def parse_rrule(text: Any, zone: tzinfo, dialect: Dialect) -> Rule:
    """Read an RRULE (with or without "RRULE:") as `dialect` allows; UNTIL is read in `zone`.

    Raises ValidationFailed on the dialect's field, naming the part when one part is wrong."""
    text = clean_text(text, dialect.field, max_length=dialect.max_length)
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    if not text:
        raise _bad(dialect)
    parts = _split(dialect, text)
    freq = parts.get("FREQ")
    if freq not in dialect.frequencies:
        if dialect is SERIES:
            raise _bad(dialect, N_("The repeat rule needs FREQ=DAILY, WEEKLY or MONTHLY."))
        if freq in FREQUENCIES:
            raise _bad(dialect, N_("Repeat daily, weekly, monthly or yearly."))
        raise _bad_part(dialect, "FREQ")
    if "COUNT" in parts and "UNTIL" in parts:
        raise _bad(dialect, N_("A repeat ends either after a number of times (COUNT) or on a last date "
                               "(UNTIL), not both."))
    if dialect.require_end and "COUNT" not in parts and "UNTIL" not in parts:
        raise _bad(dialect, N_("A repeat needs an end: a number of times or a last date."))
    numbers: dict[str, tuple[int, ...]] = {}
    for part, (keyword, low, high, zero) in _NUMBER_LISTS.items():
        if part in parts:
            values = parts[part].split(",")
            if len(values) > MAX_LIST:
                raise _bad_part(dialect, part)
            numbers[keyword] = tuple(_integer(dialect, v.strip(), part, low, high, zero) for v in values)
    wkst = None
    if "WKST" in parts:
        if parts["WKST"] not in WEEKDAYS:
            raise _bad_part(dialect, "WKST")
        # Honoured, not ignored: it decides which weeks count for INTERVAL>1 with BYDAY.
        wkst = WEEKDAYS[parts["WKST"]].weekday
    return Rule(
        freq=FREQUENCIES[freq],
        text=text,
        interval=_integer(dialect, parts.get("INTERVAL", "1"), "INTERVAL", 1, MAX_INTERVAL),
        count=_integer(dialect, parts["COUNT"], "COUNT", 1, MAX_COUNT) if "COUNT" in parts else None,
        until=_until(dialect, parts["UNTIL"], zone) if "UNTIL" in parts else None,
        wkst=wkst,
        byweekday=_byday(dialect, parts["BYDAY"], freq) if "BYDAY" in parts else None,
        numbers=numbers,
    )


# --- the bounded search ------------------------------------------------------------------------


class _LookedTooFar(Exception):
    pass


class _BoundedRule(RRule):
    """A copy of a rule whose search for dates gives up after a number of calendar months.

    dateutil's iteration reads `_byeaster` once on entering each new month (each new year
    for FREQ=YEARLY, each period for longer intervals) while it looks for the next date;
    counting those reads bounds the months it may look through.
    """

    _looks_left = 0

    @property  # type: ignore[override]
    def _byeaster(self) -> Any:
        self._looks_left -= 1
        if self._looks_left < 0:
            raise _LookedTooFar
        return self.__dict__["_byeaster"]


def rrule_dates(rule: RRule, start: datetime, stop: datetime) -> Iterator[datetime]:
    """The dates of `rule` in [start, stop], found with bounded work.

    dateutil looks for a next date until the year 9999 and only then gives up, also inside
    `between()`: `FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;COUNT=1` (no date, ever) costs ten
    seconds of CPU. Here the search stops a few months past `stop` (measured from the
    rule's DTSTART, where dateutil always begins). `start`/`stop` must be naive or aware as
    the rule's DTSTART is. The caller bounds how many dates it takes (a FREQ=SECONDLY rule
    has many in a day).
    """
    bounded = _BoundedRule.__new__(_BoundedRule)
    bounded.__dict__.update(rule.__dict__)
    first = rule._dtstart  # type: ignore[attr-defined]
    bounded._looks_left = max(0, (stop.year - first.year) * 12 + stop.month - first.month) + 3
    try:
        for date in bounded._iter():  # type: ignore[attr-defined]
            if date > stop:
                return
            if date >= start:
                yield date
    except _LookedTooFar:
        return
