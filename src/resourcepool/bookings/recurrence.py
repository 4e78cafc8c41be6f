"""Recurring bookings (pure): a restricted RRULE expanded in the asset's timezone.

Occurrences are computed on *naive local* datetimes (dateutil.rrule) and only then given the
zone, so 18:00 stays 18:00 on the wall clock across daylight-saving changes.

Nonexistent local times (the spring gap, e.g. 02:30 on the last Sunday of March in Berlin)
follow RFC 5545 §3.3.5: they are read with the offset before the gap, so 02:30 becomes 03:30
local, and such an occurrence keeps its length (02:30–03:30 becomes 03:30–04:30). Ambiguous
times (the autumn hour that happens twice) take the first occurrence.

Supported (the series dialect of `resourcepool.rrules`, the one parser): FREQ=DAILY|WEEKLY|MONTHLY,
INTERVAL, BYDAY (weekly: MO…SU; monthly: 1TU, -1FR), BYMONTHDAY, WKST, COUNT or UNTIL (one is
required). At most MAX_OCCURRENCES occurrences. Anything else, or a malformed value, is refused
with a message naming the part. The requested
start must be the rule's first date: a rule that would begin later is refused, not shifted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from resourcepool.errors import N_, PolicyViolation, ValidationFailed
from resourcepool.rrules import SERIES, Rule, parse_rrule, rrule_dates

MAX_OCCURRENCES = 200
SEARCH_DAYS = 3660


@dataclass(frozen=True)
class Occurrence:
    start: datetime
    end: datetime


def _bad(message: str = N_("The repeat rule is not valid."), **params: str) -> ValidationFailed:
    return ValidationFailed(message, field="recurrence", **params)


def parse_rule(text: str, tz: ZoneInfo) -> Rule:
    """Read a series' RRULE (with or without the "RRULE:" prefix) with the one parser
    (`rrules.parse_rrule`, series dialect); refuse what we do not support, naming the part."""
    return parse_rrule(text, tz, SERIES)


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
    occurrences: list[Occurrence] = []
    # Bounded: a rule with no (further) date would otherwise keep dateutil looking until the
    # year 9999. Dates more than ten years ahead lie beyond any booking horizon anyway.
    for naive in rrule_dates(rule.dateutil(local_start), local_start,
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
