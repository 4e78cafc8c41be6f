"""Recurring bookings (pure): a restricted RRULE expanded in the asset's timezone.

Occurrences are computed on *naive local* datetimes (dateutil.rrule) and only then given the
zone, so 18:00 stays 18:00 on the wall clock across daylight-saving changes.

Nonexistent local times (the spring gap, e.g. 02:30 on the last Sunday of March in Berlin)
follow RFC 5545 §3.3.5: they are read with the offset before the gap, so 02:30 becomes 03:30
local, and such an occurrence keeps its length (02:30–03:30 becomes 03:30–04:30). Ambiguous
times (the autumn hour that happens twice) take the first occurrence.

Supported: FREQ=DAILY|WEEKLY|MONTHLY, INTERVAL, BYDAY (weekly: MO…SU; monthly: 1TU, -1FR),
BYMONTHDAY, WKST, COUNT or UNTIL (one is required). At most MAX_OCCURRENCES occurrences.
Anything else, or a malformed value, is refused with a message naming the part. The requested
start must be the rule's first date: a rule that would begin later is refused, not shifted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from dateutil import rrule as du

from resourcepool.errors import N_, PolicyViolation, ValidationFailed
from resourcepool.rrules import rrule_dates
from resourcepool.textrules import clean_text, in_supported_years

MAX_OCCURRENCES = 200
SEARCH_DAYS = 3660
MAX_RULE_LENGTH = 500

_FREQS = {"DAILY": du.DAILY, "WEEKLY": du.WEEKLY, "MONTHLY": du.MONTHLY}
_DAYS = {"MO": du.MO, "TU": du.TU, "WE": du.WE, "TH": du.TH, "FR": du.FR, "SA": du.SA, "SU": du.SU}
_PARTS = ("FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "COUNT", "UNTIL", "WKST")
# ASCII only: Python's int() and \d also accept other scripts' digits ("٣"), RFC 5545 does not.
_INTEGER = re.compile(r"[+-]?[0-9]{1,6}")
_BYDAY = re.compile(r"([+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU)")
_UNTIL = re.compile(r"([0-9]{8})(T([0-9]{6})(Z)?)?")


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
    wkst: int | None = None


def _bad(message: str = N_("The repeat rule is not valid."), **params: str) -> ValidationFailed:
    return ValidationFailed(message, field="recurrence", **params)


def _bad_part(part: str) -> ValidationFailed:
    return _bad(N_("The repeat rule's %(part)s is not valid."), part=part)


def _integer(text: str, part: str) -> int:
    if not _INTEGER.fullmatch(text):
        raise _bad_part(part)
    return int(text)


def _split(text: str) -> dict[str, str]:
    """NAME=value parts, names upper-cased; each part at most once and one we support."""
    parts: dict[str, str] = {}
    for item in text.split(";"):
        key, sep, value = item.partition("=")
        key = key.strip().upper()
        if not sep or not key:
            raise _bad(N_("The repeat rule is not valid: each part must look like NAME=value."))
        if key not in _PARTS:
            raise _bad(N_("The repeat rule's part %(part)s is not supported."), part=key[:20])
        if key in parts:
            raise _bad(N_("The repeat rule names %(part)s twice."), part=key)
        if not value.strip():
            raise _bad_part(key)
        parts[key] = value.strip().upper()
    return parts


def _until(value: str, tz: ZoneInfo) -> datetime:
    match = _UNTIL.fullmatch(value)
    if not match:
        raise _bad_part("UNTIL")
    try:
        if match.group(2):
            moment = datetime.strptime(match.group(1) + match.group(3), "%Y%m%d%H%M%S")
        else:
            # A bare date means "up to and including that day" in the asset's zone.
            moment = datetime.strptime(match.group(1), "%Y%m%d").replace(hour=23, minute=59, second=59)
    except ValueError:
        raise _bad_part("UNTIL") from None
    if not in_supported_years(moment):
        raise _bad_part("UNTIL")
    if match.group(4):  # UTC → wall clock of the asset's zone
        moment = moment.replace(tzinfo=timezone.utc).astimezone(tz).replace(tzinfo=None)
    return moment


def _byday(value: str, freq: str) -> tuple:
    days = []
    for token in value.split(","):
        match = _BYDAY.fullmatch(token.strip())
        if not match:
            raise _bad_part("BYDAY")
        n, day = match.groups()
        if n and freq != "MONTHLY":
            raise _bad_part("BYDAY")  # "the first Monday" only means something in a month
        days.append(_DAYS[day](int(n)) if n else _DAYS[day])
    return tuple(days)


def parse_rule(text: str, tz: ZoneInfo) -> Rule:
    """Read an RRULE (with or without the "RRULE:" prefix); refuse what we do not support,
    naming the part."""
    text = clean_text(text, "recurrence", max_length=MAX_RULE_LENGTH)
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    if not text:
        raise _bad()
    parts = _split(text)
    if parts.get("FREQ") not in _FREQS:
        raise _bad(N_("The repeat rule needs FREQ=DAILY, WEEKLY or MONTHLY."))
    if "COUNT" in parts and "UNTIL" in parts:
        raise _bad(N_("A repeat ends either after a number of times (COUNT) or on a last date "
                      "(UNTIL), not both."))
    if "COUNT" not in parts and "UNTIL" not in parts:
        raise _bad(N_("A repeat needs an end: a number of times or a last date."))
    interval = _integer(parts.get("INTERVAL", "1"), "INTERVAL")
    if not 1 <= interval <= 99:
        raise _bad_part("INTERVAL")
    count = _integer(parts["COUNT"], "COUNT") if "COUNT" in parts else None
    if count is not None and count < 1:
        raise _bad_part("COUNT")
    bymonthday = None
    if "BYMONTHDAY" in parts:
        bymonthday = tuple(_integer(d.strip(), "BYMONTHDAY") for d in parts["BYMONTHDAY"].split(","))
        if any(d == 0 or not -31 <= d <= 31 for d in bymonthday):
            raise _bad_part("BYMONTHDAY")
    byweekday = _byday(parts["BYDAY"], parts["FREQ"]) if "BYDAY" in parts else None
    wkst = None
    if "WKST" in parts:
        if parts["WKST"] not in _DAYS:
            raise _bad_part("WKST")
        # Honoured, not ignored: it decides which weeks count for INTERVAL>1 with BYDAY.
        wkst = _DAYS[parts["WKST"]].weekday
    until_local = _until(parts["UNTIL"], tz) if "UNTIL" in parts else None
    return Rule(freq=_FREQS[parts["FREQ"]], interval=interval, byweekday=byweekday,
                bymonthday=bymonthday, count=count, until_local=until_local, text="RRULE:" + text,
                wkst=wkst)


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
    if rule.wkst is not None:
        kwargs["wkst"] = rule.wkst
    occurrences: list[Occurrence] = []
    # Bounded: a rule with no (further) date would otherwise keep dateutil looking until the
    # year 9999. Dates more than ten years ahead lie beyond any booking horizon anyway.
    for naive in rrule_dates(du.rrule(rule.freq, **kwargs), local_start,
                             local_start + timedelta(days=SEARCH_DAYS)):
        if not occurrences:
            # dateutil silently drops a start that the rule does not produce and begins later;
            # the caller checked the requested start, so the series must begin exactly there.
            if naive != local_start:
                raise _first_date_mismatch(local_start)
            # The requested instants themselves (an ambiguous autumn time keeps its offset).
            occurrences.append(Occurrence(first_start, first_end))
            _check_horizon(first_end, not_after)
            continue
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
        _check_horizon(end, not_after)
        occurrences.append(Occurrence(start, end))
    if not occurrences:
        raise _first_date_mismatch(local_start)  # e.g. UNTIL before the start
    if rule.count is not None and len(occurrences) < rule.count and not_after is not None:
        # The rest lies beyond the search's ten years, so certainly beyond the horizon.
        _check_horizon(not_after + timedelta(seconds=1), not_after)
    return occurrences


def _first_date_mismatch(local_start: datetime) -> ValidationFailed:
    return _bad(N_("The first date must match the rule: %(date)s is not one of its dates."),
                date=local_start.date().isoformat())


def _check_horizon(end: datetime, not_after: datetime | None) -> None:
    if not_after is not None and end > not_after:
        raise PolicyViolation(
            N_("The repeat goes beyond how far ahead this asset can be booked."),
            field="recurrence", rule="horizon")


def weekly_rule(weekdays: list[int], until_day: str, interval: int = 1) -> str:
    """The rule the booking form builds: every `interval` weeks on `weekdays` (0=Monday) until a day."""
    names = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
    days = ",".join(names[d] for d in sorted(set(weekdays)))
    return f"FREQ=WEEKLY;INTERVAL={interval};BYDAY={days};UNTIL={until_day.replace('-', '')}"
