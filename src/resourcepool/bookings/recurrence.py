"""Recurring bookings (pure): a restricted RRULE expanded in the asset's timezone.

Occurrences are computed on *naive local* datetimes (dateutil.rrule) and only then given the
zone, so 18:00 stays 18:00 on the wall clock across daylight-saving changes.

Nonexistent local times (the spring gap, e.g. 02:30 on the last Sunday of March in Berlin)
follow RFC 5545 §3.3.5: they are read with the offset before the gap, so 02:30 becomes 03:30
local, and such an occurrence keeps its length (02:30–03:30 becomes 03:30–04:30). Ambiguous
times (the autumn hour that happens twice) take the first occurrence.

Supported: FREQ=DAILY|WEEKLY|MONTHLY, INTERVAL, BYDAY (weekly: MO…SU; monthly: 1TU, -1FR),
BYMONTHDAY, COUNT or UNTIL (one is required). At most MAX_OCCURRENCES occurrences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from dateutil import rrule as du

from resourcepool.errors import N_, PolicyViolation, ValidationFailed

MAX_OCCURRENCES = 200
MAX_RULE_LENGTH = 500

_FREQS = {"DAILY": du.DAILY, "WEEKLY": du.WEEKLY, "MONTHLY": du.MONTHLY}
_DAYS = {"MO": du.MO, "TU": du.TU, "WE": du.WE, "TH": du.TH, "FR": du.FR, "SA": du.SA, "SU": du.SU}
_BYDAY = re.compile(r"^([+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU)$")
_UNTIL = re.compile(r"^(\d{8})(T(\d{6})(Z)?)?$")


@dataclass(frozen=True)
class Occurrence:
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Rule:
    freq: int
    interval: int
    byweekday: tuple | None
    bymonthday: tuple[int, ...] | None
    count: int | None
    until_local: datetime | None  # naive, in the asset's zone
    text: str


def _bad(message: str = N_("The repeat rule is not valid.")) -> ValidationFailed:
    return ValidationFailed(message, field="recurrence")


def parse_rule(text: str, tz: ZoneInfo) -> Rule:
    """Read an RRULE (with or without the "RRULE:" prefix); refuse what we do not support."""
    text = (text or "").strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    if not text or len(text) > MAX_RULE_LENGTH:
        raise _bad()
    parts: dict[str, str] = {}
    for item in text.split(";"):
        key, sep, value = item.partition("=")
        key = key.strip().upper()
        if not sep or not value.strip() or key in parts:
            raise _bad()
        parts[key] = value.strip().upper()
    unknown = set(parts) - {"FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "COUNT", "UNTIL", "WKST"}
    if unknown or parts.get("FREQ") not in _FREQS:
        raise _bad()
    if "COUNT" in parts and "UNTIL" in parts:
        raise _bad()
    if "COUNT" not in parts and "UNTIL" not in parts:
        raise _bad(N_("A repeat needs an end: a number of times or a last date."))
    try:
        interval = int(parts.get("INTERVAL", "1"))
        count = int(parts["COUNT"]) if "COUNT" in parts else None
        bymonthday = (tuple(int(d) for d in parts["BYMONTHDAY"].split(","))
                      if "BYMONTHDAY" in parts else None)
    except ValueError:
        raise _bad() from None
    if not 1 <= interval <= 99 or (count is not None and count < 1):
        raise _bad()
    if bymonthday and any(d == 0 or not -31 <= d <= 31 for d in bymonthday):
        raise _bad()
    byweekday = None
    if "BYDAY" in parts:
        days = []
        for token in parts["BYDAY"].split(","):
            match = _BYDAY.match(token.strip())
            if not match:
                raise _bad()
            n, day = match.groups()
            if n and parts["FREQ"] != "MONTHLY":
                raise _bad()
            days.append(_DAYS[day](int(n)) if n else _DAYS[day])
        byweekday = tuple(days)
    until_local = None
    if "UNTIL" in parts:
        match = _UNTIL.match(parts["UNTIL"])
        if not match:
            raise _bad()
        try:
            if match.group(2):
                moment = datetime.strptime(match.group(1) + match.group(3), "%Y%m%d%H%M%S")
            else:
                # A bare date means "up to and including that day" in the asset's zone.
                moment = datetime.strptime(match.group(1), "%Y%m%d").replace(hour=23, minute=59, second=59)
        except ValueError:
            raise _bad() from None
        if not 2000 <= moment.year <= 2200:
            raise _bad()
        if match.group(4):  # UTC → wall clock of the asset's zone
            moment = moment.replace(tzinfo=timezone.utc).astimezone(tz).replace(tzinfo=None)
        until_local = moment
    return Rule(freq=_FREQS[parts["FREQ"]], interval=interval, byweekday=byweekday,
                bymonthday=bymonthday, count=count, until_local=until_local, text="RRULE:" + text)


def localise(naive: datetime, tz: ZoneInfo) -> datetime:
    """Wall-clock time in `tz` → aware instant; gap times move forward (RFC 5545 §3.3.5)."""
    aware = naive.replace(tzinfo=tz, fold=0)
    # fold=0 reads a nonexistent time with the pre-gap offset: 02:30 → 01:30 UTC = 03:30 CEST.
    return aware.astimezone(timezone.utc).astimezone(tz)


def expand(rule: Rule, first_start: datetime, first_end: datetime, tz: ZoneInfo,
           not_after: datetime | None = None,
           max_occurrences: int = MAX_OCCURRENCES) -> list[Occurrence]:
    """Every occurrence of the series whose first one is [first_start, first_end).

    Raises PolicyViolation (rule "recurrence_limit") beyond `max_occurrences` occurrences or
    when an occurrence would end after `not_after` (the asset's booking horizon)."""
    local_start = first_start.astimezone(tz).replace(tzinfo=None)
    local_end = first_end.astimezone(tz).replace(tzinfo=None)
    wall_duration = local_end - local_start
    if wall_duration <= timedelta(0):
        raise ValidationFailed(N_("The end must be after the start."), field="end")
    kwargs: dict = {"dtstart": local_start, "interval": rule.interval}
    if rule.byweekday:
        kwargs["byweekday"] = list(rule.byweekday)
    if rule.bymonthday:
        kwargs["bymonthday"] = list(rule.bymonthday)
    if rule.count is not None:
        kwargs["count"] = rule.count
    if rule.until_local is not None:
        kwargs["until"] = rule.until_local
    occurrences: list[Occurrence] = []
    for naive in du.rrule(rule.freq, **kwargs):
        if len(occurrences) >= max_occurrences:
            raise PolicyViolation(
                N_("A repeat may have at most %(max)s dates; shorten it."), field="recurrence",
                rule="recurrence_limit", max=max_occurrences)
        start = localise(naive, tz)
        if start.replace(tzinfo=None) != naive:
            # The start fell into the spring gap and moved forward: move the whole occurrence,
            # so it keeps its length instead of shrinking (or vanishing, for a 1-hour booking).
            end = start + wall_duration
        else:
            end = localise(naive + wall_duration, tz)
        if not_after is not None and end > not_after:
            raise PolicyViolation(
                N_("The repeat goes beyond how far ahead this asset can be booked."),
                field="recurrence", rule="horizon")
        occurrences.append(Occurrence(start, end))
    if not occurrences:
        raise _bad()
    return occurrences


def weekly_rule(weekdays: list[int], until_day: str, interval: int = 1) -> str:
    """The rule the booking form builds: every `interval` weeks on `weekdays` (0=Monday) until a day."""
    names = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
    days = ",".join(names[d] for d in sorted(set(weekdays)))
    return f"FREQ=WEEKLY;INTERVAL={interval};BYDAY={days};UNTIL={until_day.replace('-', '')}"
