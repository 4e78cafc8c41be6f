"""Recurring bookings keep their wall-clock time across daylight saving; limits hold."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from resourcepool.bookings import recurrence
from resourcepool.errors import PolicyViolation, ValidationFailed
from tests.bounded_work import at_most_calls

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def expand(rule, start, end, tz=BERLIN, **kw):
    return recurrence.expand(recurrence.parse_rule(rule, tz), start, end, tz, **kw)


def test_weekly_from_march_to_november__stays_at_18_00_berlin_across_both_transitions():
    start = datetime(2026, 3, 3, 18, 0, tzinfo=BERLIN)
    occ = expand("FREQ=WEEKLY;BYDAY=TU;UNTIL=20261124", start, start + timedelta(hours=2))
    assert len(occ) == 39
    for o in occ:
        local_start, local_end = o.start.astimezone(BERLIN), o.end.astimezone(BERLIN)
        assert (local_start.hour, local_start.minute, local_end.hour) == (18, 0, 20)
        assert local_start.weekday() == 1
    offsets = {o.start.utcoffset() for o in occ}
    assert offsets == {timedelta(hours=1), timedelta(hours=2)}


def test_weekly_in_new_york__keeps_wall_clock_across_the_us_transitions():
    start = datetime(2026, 3, 2, 9, 0, tzinfo=NEW_YORK)
    occ = expand("FREQ=WEEKLY;BYDAY=MO;COUNT=40", start, start + timedelta(hours=1), NEW_YORK)
    assert {o.start.astimezone(NEW_YORK).hour for o in occ} == {9}


def test_every_second_week_on_two_days__with_count():
    start = datetime(2026, 5, 4, 10, 0, tzinfo=BERLIN)  # Monday
    occ = expand("RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;COUNT=4", start, start + timedelta(hours=1))
    assert [o.start.date().isoformat() for o in occ] == ["2026-05-04", "2026-05-07", "2026-05-18", "2026-05-21"]


def test_monthly_on_the_first_tuesday():
    start = datetime(2026, 1, 6, 18, 0, tzinfo=BERLIN)
    occ = expand("FREQ=MONTHLY;BYDAY=1TU;COUNT=3", start, start + timedelta(hours=1))
    assert [o.start.day for o in occ] == [6, 3, 3]


def test_monthly_by_day__skips_months_without_that_day():
    start = datetime(2026, 1, 31, 18, 0, tzinfo=BERLIN)
    occ = expand("FREQ=MONTHLY;BYMONTHDAY=31;COUNT=3", start, start + timedelta(hours=1))
    assert [o.start.month for o in occ] == [1, 3, 5]


def test_a_nonexistent_time__moves_forward_by_the_gap():
    # 02:30 on 29 March 2026 does not exist in Berlin: it is read as 03:30 CEST (RFC 5545 §3.3.5).
    start = datetime(2026, 3, 22, 2, 30, tzinfo=BERLIN)
    occ = expand("FREQ=WEEKLY;COUNT=3", start, start + timedelta(hours=1))
    gap_day = occ[1].start.astimezone(BERLIN)
    assert (gap_day.day, gap_day.hour, gap_day.minute) == (29, 3, 30)
    # The occurrence keeps its hour instead of shrinking to nothing (03:30 is also the wall end).
    assert occ[1].end - occ[1].start == timedelta(hours=1)
    assert occ[1].end.astimezone(BERLIN).hour == 4
    assert occ[2].start.astimezone(BERLIN).hour == 2


def test_an_ambiguous_time__takes_the_first_occurrence():
    start = datetime(2026, 10, 18, 2, 30, tzinfo=BERLIN)
    occ = expand("FREQ=WEEKLY;COUNT=2", start, start + timedelta(minutes=30))
    assert occ[1].start.utcoffset() == timedelta(hours=2)


def test_until_in_utc__is_read_in_the_assets_zone():
    start = datetime(2026, 6, 1, 18, 0, tzinfo=BERLIN)
    occ = expand("FREQ=WEEKLY;UNTIL=20260615T160000Z", start, start + timedelta(hours=1))
    assert len(occ) == 3  # 1, 8, 15 June: 15 June 18:00 CEST == 16:00 UTC


def test_more_than_200_occurrences__are_refused():
    start = datetime(2026, 6, 1, 18, 0, tzinfo=BERLIN)
    with pytest.raises(PolicyViolation) as info:
        expand("FREQ=DAILY;COUNT=10000", start, start + timedelta(hours=1))
    assert info.value.params["rule"] == "recurrence_limit"


def test_beyond_the_horizon__is_refused():
    start = datetime(2026, 6, 1, 18, 0, tzinfo=BERLIN)
    with pytest.raises(PolicyViolation) as info:
        expand("FREQ=WEEKLY;COUNT=10", start, start + timedelta(hours=1),
               not_after=start + timedelta(days=30))
    assert info.value.params["rule"] == "horizon"


@pytest.mark.parametrize("rule", [
    "", "FREQ=YEARLY;COUNT=2", "FREQ=WEEKLY", "FREQ=WEEKLY;COUNT=2;UNTIL=20270101",
    "FREQ=WEEKLY;BYDAY=XX;COUNT=2", "FREQ=WEEKLY;BYDAY=1MO;COUNT=2", "FREQ=WEEKLY;COUNT=abc",
    "FREQ=WEEKLY;COUNT=0", "FREQ=WEEKLY;INTERVAL=0;COUNT=2", "FREQ=WEEKLY;BYSETPOS=1;COUNT=2",
    "FREQ=WEEKLY;UNTIL=2027-01-01", "FREQ=WEEKLY;UNTIL=20271301", "garbage", "FREQ=MINUTELY;COUNT=5",
    "FREQ=WEEKLY;COUNT=2;COUNT=3", "FREQ=WEEKLY;UNTIL=99991231T235959Z", "FREQ=WEEKLY;UNTIL=00010101",
])
def test_unsupported_or_malformed_rules__are_refused(rule):
    with pytest.raises(ValidationFailed):
        recurrence.parse_rule(rule, BERLIN)


def test_the_forms_weekly_rule():
    assert recurrence.weekly_rule([3, 1], "2026-12-31") == "FREQ=WEEKLY;INTERVAL=1;BYDAY=TU,TH;UNTIL=20261231"


@pytest.mark.parametrize("rule,part", [
    ("FREQ=WEEKLY;COUNT=2;WKST=XX", "WKST"),
    ("FREQ=WEEKLY;COUNT=\u0663", "COUNT"),            # Arabic-Indic three: int() would take it
    ("FREQ=WEEKLY;INTERVAL=\uff12;COUNT=2", "INTERVAL"),  # full-width two
    ("FREQ=MONTHLY;BYMONTHDAY=\u0661\u0665;COUNT=2", "BYMONTHDAY"),
    ("FREQ=WEEKLY;UNTIL=\u0662\u0660\u0662\u0667\u0660\u0661\u0660\u0661", "UNTIL"),
    ("FREQ=WEEKLY;BYDAY=MO\u0663;COUNT=2", "BYDAY"),
    ("FREQ=WEEKLY;BYDAY=1MO;COUNT=2", "BYDAY"),
    ("FREQ=WEEKLY;INTERVAL=0;COUNT=2", "INTERVAL"),
    ("FREQ=WEEKLY;COUNT=0", "COUNT"),
    ("FREQ=WEEKLY;BYSETPOS=1;COUNT=2", "BYSETPOS"),
    ("FREQ=WEEKLY;COUNT=2;COUNT=3", "COUNT"),
])
def test_an_invalid_part__is_refused_with_a_message_naming_it(rule, part):
    with pytest.raises(ValidationFailed) as info:
        recurrence.parse_rule(rule, BERLIN)
    assert info.value.field == "recurrence"
    assert info.value.params["part"] == part
    assert part in str(info.value)


@pytest.mark.parametrize("rule", ["FREQ=WEEKLY;COUNT=2;WKST=\x00", "FREQ=WEEKLY;COUNT=2\x00",
                                  "FREQ=WEEKLY;COUNT=2;\x1b"])
def test_control_characters__are_refused_for_the_rule(rule):
    with pytest.raises(ValidationFailed) as info:
        recurrence.parse_rule(rule, BERLIN)
    assert info.value.field == "recurrence"


def test_wkst__is_honoured_for_every_second_week():
    # Start Sunday 3 May 2026, every 2nd week on Sunday and Tuesday. With weeks starting on
    # Monday, Sun 3 May and Tue 5 May lie in different weeks; with WKST=SU they share one.
    start = datetime(2026, 5, 3, 10, 0, tzinfo=BERLIN)
    monday = expand("FREQ=WEEKLY;INTERVAL=2;BYDAY=SU,TU;COUNT=3", start, start + timedelta(hours=1))
    sunday = expand("FREQ=WEEKLY;INTERVAL=2;BYDAY=SU,TU;COUNT=3;WKST=SU", start, start + timedelta(hours=1))
    assert [o.start.day for o in monday] == [3, 12, 17]
    assert [o.start.day for o in sunday] == [3, 5, 17]


def test_a_start_the_rule_does_not_produce__is_refused_not_shifted():
    # 1 Dec 2026 is a Tuesday; dateutil would begin on 3 Jan 2027 (-5SU: January is the first
    # month with five Sundays) while the past/shape rules were checked against 1 Dec.
    start = datetime(2026, 12, 1, 18, 0, tzinfo=BERLIN)
    with pytest.raises(ValidationFailed) as info:
        expand("FREQ=MONTHLY;BYDAY=-5SU,5SU;COUNT=3", start, start + timedelta(hours=1))
    assert info.value.field == "recurrence"
    assert str(info.value).startswith("The first date must match the rule: 2026-12-01")
    with pytest.raises(ValidationFailed):
        expand("FREQ=WEEKLY;BYDAY=WE;COUNT=3", start, start + timedelta(hours=1))
    with pytest.raises(ValidationFailed):
        expand("FREQ=WEEKLY;UNTIL=20261130", start, start + timedelta(hours=1))


def test_the_first_occurrence__is_exactly_the_requested_span():
    # The second 02:30 of the autumn night (fold=1, +01:00) stays the one asked for.
    start = datetime(2026, 10, 25, 2, 30, tzinfo=BERLIN, fold=1)
    occ = expand("FREQ=DAILY;COUNT=2", start, start + timedelta(minutes=30))
    assert occ[0].start == start and occ[0].start.utcoffset() == timedelta(hours=1)


def test_expand__a_rule_without_further_dates_answers_at_once():
    # Thursday 31 December; every 7 days stays on Thursdays, BYDAY=MO never meets it: dateutil
    # alone would look until the year 9999 (about a second of CPU per request).
    start = datetime(2026, 12, 31, 18, 0, tzinfo=BERLIN)
    rule = recurrence.parse_rule("FREQ=DAILY;INTERVAL=7;BYMONTHDAY=31;BYDAY=MO;COUNT=2", BERLIN)
    with at_most_calls(20_000), pytest.raises(ValidationFailed):  # dateutil alone: about 10**6
        recurrence.expand(rule, start, start + timedelta(hours=2), BERLIN)


def test_expand__dates_the_search_does_not_reach_are_beyond_the_horizon():
    # A Thursday the 31st every 52 weeks: the next one is more than ten years away.
    start = datetime(2026, 12, 31, 18, 0, tzinfo=BERLIN)
    rule = recurrence.parse_rule("FREQ=WEEKLY;INTERVAL=52;BYMONTHDAY=31;BYDAY=TH;COUNT=3", BERLIN)
    with pytest.raises(PolicyViolation) as refused:
        recurrence.expand(rule, start, start + timedelta(hours=2), BERLIN,
                          not_after=start + timedelta(days=365))
    assert refused.value.params["rule"] == "horizon"
