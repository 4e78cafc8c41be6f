"""The one RRULE parser and bounded search, in the three dialects that use it.

Series (bookings/recurrence.py) have their own tests in tests/unit/bookings/test_recurrence.py;
here: what closures and imported calendars may say, and that a refusal names the part.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from resourcepool.errors import ValidationFailed
from resourcepool.rrules import CALENDARS, CLOSURES, SERIES, _BoundedRule, parse_rrule, rrule_dates

BERLIN = ZoneInfo("Europe/Berlin")


def dates(text: str, dialect=CLOSURES, start=datetime(2026, 1, 5, 16), stop=datetime(2027, 1, 1)) -> list[datetime]:
    return list(rrule_dates(parse_rrule(text, BERLIN, dialect).dateutil(start), start, stop))


def test_closures__take_a_rule_without_end_and_normalise_the_prefix():
    rule = parse_rrule("RRULE:freq=WEEKLY;byday=MO", BERLIN, CLOSURES)
    assert rule.text == "freq=WEEKLY;byday=MO" and rule.count is None and rule.until is None
    assert len(dates("FREQ=WEEKLY;BYDAY=MO")) == 52


def test_closures__first_saturday_of_the_month_and_yearly_parts():
    assert [d.day for d in dates("FREQ=MONTHLY;BYDAY=1SA", stop=datetime(2026, 5, 1))] == [7, 7, 4]
    assert [d.date().isoformat() for d in dates("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=24;COUNT=2",
                                                stop=datetime(2030, 1, 1))] == ["2026-12-24", "2027-12-24"]
    assert [d.day for d in dates("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
                                 stop=datetime(2026, 3, 1))] == [30, 27]


@pytest.mark.parametrize("text,part", [
    ("FREQ=SECONDLY;COUNT=2", None), ("FREQ=DAILY;BYHOUR=3", "BYHOUR"), ("FREQ=WEEKLY;BYDAY=1MO", "BYDAY"),
    ("FREQ=MONTHLY;BYDAY=6MO", "BYDAY"), ("FREQ=DAILY;COUNT=2;UNTIL=20270101", None),
    ("FREQ=DAILY;BYMONTH=13", "BYMONTH"), ("FREQ=DAILY;BYMONTHDAY=0", "BYMONTHDAY"),
    ("FREQ=DAILY;COUNT=\u0663", "COUNT"), ("FREQ=DAILY;X-NAME=1", "X-NAME"), ("FREQ=DAILY;COUNT=2\nFREQ=DAILY", None),
    ("DTSTART:20260101T000000\nRRULE:FREQ=DAILY;COUNT=2", None), ("", None), ("FREQ=DAILY;UNTIL=20261301", "UNTIL"),
    ("FREQ=DAILY;INTERVAL=1000", "INTERVAL"), ("FREQ=DAILY;COUNT=1;" + "X" * 600, None),
])
def test_closures__refuse_what_they_may_not_say_on_the_rrule_field(text, part):
    with pytest.raises(ValidationFailed) as refused:
        parse_rrule(text, BERLIN, CLOSURES)
    assert refused.value.field == "rrule"
    if part:
        assert refused.value.params["part"] == part


def test_series__need_an_end_and_keep_their_frequencies():
    with pytest.raises(ValidationFailed) as refused:
        parse_rrule("FREQ=WEEKLY", BERLIN, SERIES)
    assert refused.value.field == "recurrence"
    with pytest.raises(ValidationFailed):
        parse_rrule("FREQ=YEARLY;COUNT=2", BERLIN, SERIES)


def test_calendars__take_sub_daily_rules_and_hours():
    start = datetime(2026, 1, 5, 8)
    rule = parse_rrule("FREQ=DAILY;BYHOUR=8,12;BYMINUTE=0,30;COUNT=6", BERLIN, CALENDARS)
    found = list(rrule_dates(rule.dateutil(start), start, datetime(2026, 2, 1)))
    assert [d.strftime("%d %H:%M") for d in found] == ["05 08:00", "05 08:30", "05 12:00", "05 12:30",
                                                      "06 08:00", "06 08:30"]


def test_until_in_utc__is_read_as_the_zones_wall_clock_and_keeps_aware_starts_aware():
    rule = parse_rrule("FREQ=WEEKLY;UNTIL=20260119T150000Z", BERLIN, CLOSURES)
    assert rule.until == datetime(2026, 1, 19, 16)
    aware = datetime(2026, 1, 5, 16, tzinfo=BERLIN)
    assert len(list(rrule_dates(rule.dateutil(aware), aware, datetime(2027, 1, 1, tzinfo=BERLIN)))) == 3


@pytest.mark.parametrize("text", [
    "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",               # never
    "FREQ=DAILY;INTERVAL=7;BYMONTHDAY=31;BYDAY=MO",     # a weekday the interval never meets
    "FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30",            # never, sub-daily
])
def test_rrule_dates__a_rule_without_dates_looks_through_a_bounded_number_of_months(text, monkeypatch):
    # dateutil alone looks until the year 9999 for these (seconds of CPU each). Counted, not
    # timed: each month dateutil enters reads `_byeaster` once.
    looks = 0
    original = _BoundedRule._byeaster

    def counting(self):
        nonlocal looks
        looks += 1
        return original.fget(self)

    monkeypatch.setattr(_BoundedRule, "_byeaster", property(counting))
    rule = parse_rrule(text, BERLIN, CALENDARS)
    assert list(rrule_dates(rule.dateutil(datetime(2026, 12, 31, 18)), datetime(2026, 12, 31),
                            datetime(2027, 12, 31))) == []
    assert looks <= 12 + 4
