"""The pure availability rules, checked against a minute-by-minute brute force.

The oracle is the definition in rules.py: an instant is open when its local wall-clock time
lies in that weekday's opening hours; a recurring closure occurrence covers the instants
whose wall-clock time lies in [occurrence, occurrence + wall-clock length).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resourcepool.errors import ValidationFailed
from resourcepool.availability.rules import (
    ClosureRule,
    FreeInterval,
    Hold,
    Interval,
    WeeklyHours,
    available_intervals,
    closed_intervals,
    closure_occurrences,
    free_intervals,
    guarded_holds,
    is_bookable_span,
    max_units_held,
    open_intervals,
    subtract,
    wall_window,
    week_minutes,
)
from tests.bounded_work import at_most_calls

UTC = timezone.utc
BERLIN = "Europe/Berlin"
ZONES = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"]
MINUTE = timedelta(minutes=1)


def at(text: str, tz: str = BERLIN) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(tz))


def local(iv: Interval | FreeInterval, tz: str = BERLIN) -> tuple[str, str]:
    z = ZoneInfo(tz)
    return (iv.start.astimezone(z).strftime("%Y-%m-%d %H:%M%z"),
            iv.end.astimezone(z).strftime("%Y-%m-%d %H:%M%z"))


# --- examples ---------------------------------------------------------------------------------

DAILY_8_22 = [WeeklyHours(d, 8 * 60, 22 * 60) for d in range(7)]


@pytest.mark.parametrize("day", ["2026-03-29", "2026-10-25", "2026-07-01"])
def test_open_intervals__keep_local_opening_hours_on_switch_days(day):
    found = open_intervals(DAILY_8_22, BERLIN, at(day + "T00:00"), at(day + "T23:59"))
    assert len(found) == 1
    z = ZoneInfo(BERLIN)
    assert found[0].start.astimezone(z).strftime("%H:%M") == "08:00"
    assert found[0].end.astimezone(z).strftime("%H:%M") == "22:00"


def test_open_intervals__last_a_real_hour_less_in_march_and_more_in_october():
    march = open_intervals([WeeklyHours(6, 0, 1440)], BERLIN, at("2026-03-29T00:00"), at("2026-03-30T00:00"))
    october = open_intervals([WeeklyHours(6, 0, 1440)], BERLIN, at("2026-10-25T00:00"), at("2026-10-26T00:00"))
    assert march[0].duration == timedelta(hours=23)
    assert october[0].duration == timedelta(hours=25)


def test_open_intervals__hours_inside_the_march_gap_are_empty():
    assert open_intervals([WeeklyHours(6, 120, 180)], BERLIN, at("2026-03-29T00:00"), at("2026-03-30T00:00")) == []


def test_open_intervals__hours_reaching_into_the_gap_stop_at_the_jump():
    found = open_intervals([WeeklyHours(6, 60, 150)], BERLIN, at("2026-03-29T00:00"), at("2026-03-30T00:00"))
    assert [local(iv) for iv in found] == [("2026-03-29 01:00+0100", "2026-03-29 03:00+0200")]
    assert found[0].duration == timedelta(hours=1)


def test_open_intervals__hours_starting_in_the_gap_start_at_the_jump():
    found = open_intervals([WeeklyHours(6, 150, 240)], BERLIN, at("2026-03-29T00:00"), at("2026-03-30T00:00"))
    assert [local(iv) for iv in found] == [("2026-03-29 03:00+0200", "2026-03-29 04:00+0200")]


def test_open_intervals__the_repeated_october_hour_is_open_twice():
    found = open_intervals([WeeklyHours(6, 120, 150)], BERLIN, at("2026-10-25T00:00"), at("2026-10-26T00:00"))
    assert [local(iv) for iv in found] == [
        ("2026-10-25 02:00+0200", "2026-10-25 02:30+0200"),
        ("2026-10-25 02:00+0100", "2026-10-25 02:30+0100"),
    ]


def test_open_intervals__no_hours_means_always_open():
    assert open_intervals([], BERLIN, at("2026-01-01T00:00"), at("2026-01-03T00:00")) == [
        Interval(at("2026-01-01T00:00").astimezone(UTC), at("2026-01-03T00:00").astimezone(UTC))
    ]


def test_open_intervals__midnight_to_midnight_over_days_is_one_interval():
    found = open_intervals([WeeklyHours(0, 1200, 1440), WeeklyHours(1, 0, 120)], BERLIN,
                           at("2026-06-01T00:00"), at("2026-06-03T00:00"))
    assert [local(iv) for iv in found] == [("2026-06-01 20:00+0200", "2026-06-02 02:00+0200")]


def test_open_intervals__refuse_naive_datetimes():
    with pytest.raises(ValueError):
        open_intervals([], BERLIN, datetime(2026, 1, 1), datetime(2026, 1, 2))


def test_weekly_hours__refuse_impossible_values():
    with pytest.raises(ValueError):
        WeeklyHours(7, 0, 60)
    with pytest.raises(ValueError):
        WeeklyHours(0, 60, 60)
    with pytest.raises(ValueError):
        WeeklyHours(0, 0, 1441)


def test_closed_intervals__a_weekly_closure_keeps_its_wall_clock_time_across_october():
    c = ClosureRule(at("2026-10-15T18:00"), at("2026-10-15T20:00"), "FREQ=WEEKLY;COUNT=3")
    found = closed_intervals([c], BERLIN, at("2026-10-01T00:00"), at("2026-12-01T00:00"))
    assert [local(iv) for iv in found] == [
        ("2026-10-15 18:00+0200", "2026-10-15 20:00+0200"),
        ("2026-10-22 18:00+0200", "2026-10-22 20:00+0200"),
        ("2026-10-29 18:00+0100", "2026-10-29 20:00+0100"),
    ]


def test_closed_intervals__a_night_closure_over_the_october_switch_lasts_seven_hours():
    c = ClosureRule(at("2026-10-24T00:00"), at("2026-10-24T06:00"), "FREQ=DAILY;COUNT=3")
    found = closed_intervals([c], BERLIN, at("2026-10-25T00:00"), at("2026-10-25T12:00"))
    assert [local(iv) for iv in found] == [("2026-10-25 00:00+0200", "2026-10-25 06:00+0100")]
    assert found[0].duration == timedelta(hours=7)


def test_closed_intervals__a_one_off_closure_over_the_switch_is_taken_as_instants():
    c = ClosureRule(at("2026-10-25T00:00"), at("2026-10-25T06:00"))
    found = closed_intervals([c], BERLIN, at("2026-10-24T00:00"), at("2026-10-26T00:00"))
    assert found[0].duration == timedelta(hours=7)


def test_closed_intervals__accept_a_utc_until_and_an_rrule_prefix():
    c = ClosureRule(at("2026-01-05T09:00"), at("2026-01-05T10:00"), "RRULE:FREQ=WEEKLY;UNTIL=20260120T000000Z")
    found = closed_intervals([c], BERLIN, at("2026-01-01T00:00"), at("2026-03-01T00:00"))
    assert len(found) == 3


@pytest.mark.parametrize("rule", ["FREQ=SOMETIMES", "FREQ=SECONDLY", "FREQ=DAILY;BYHOUR=1,2"])
def test_closed_intervals__refuse_a_rule_closures_may_not_have(rule):
    with pytest.raises(ValidationFailed) as refused:
        closed_intervals([ClosureRule(at("2026-01-05T09:00"), at("2026-01-05T10:00"), rule)],
                         BERLIN, at("2026-01-01T00:00"), at("2026-02-01T00:00"))
    assert refused.value.field == "rrule"


def test_closure_occurrences__stop_at_the_limit_and_say_where_to_go_on():
    c = ClosureRule(at("2026-01-01T09:00"), at("2026-01-01T10:00"), "FREQ=DAILY")
    first = closure_occurrences(c, BERLIN, at("2026-01-01T00:00"), at("2027-01-01T00:00"), 10)
    assert first.count == 10 and first.resume == at("2026-01-11T09:00")
    rest = closure_occurrences(c, BERLIN, first.resume, at("2026-01-13T00:00"), 10)
    assert [local(iv)[0] for iv in rest.pieces] == ["2026-01-11 09:00+0100", "2026-01-12 09:00+0100"]
    assert rest.resume is None


def test_closure_occurrences__an_occurrence_in_the_october_repeat_belongs_to_one_range_only():
    # 02:15–02:45 happens twice on 25 October; the occurrence is keyed by its first instant.
    c = ClosureRule(at("2026-10-24T02:15"), at("2026-10-24T02:45"), "FREQ=DAILY;COUNT=3")
    key = datetime(2026, 10, 25, 0, 15, tzinfo=UTC)
    before = closure_occurrences(c, BERLIN, at("2026-10-24T12:00"), key, 10)
    after = closure_occurrences(c, BERLIN, key, at("2026-10-25T12:00"), 10)
    assert before.count == 0 and after.count == 1
    assert [iv.duration for iv in after.pieces] == [timedelta(minutes=30), timedelta(minutes=30)]


def test_closed_intervals__a_stored_rule_without_more_dates_answers_at_once():
    # Refused when entered today, but older data or another path may hold one.
    c = ClosureRule(at("2026-01-05T09:00"), at("2026-01-05T10:00"), "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;COUNT=1")
    with at_most_calls(20_000):  # dateutil alone looks until the year 9999: about 10**6 calls
        assert closed_intervals([c], BERLIN, at("2026-03-01T00:00"), at("2026-05-01T00:00")) == []


def test_free_intervals__ten_units_with_seven_held_leave_three():
    start, end = at("2026-05-04T08:00"), at("2026-05-04T12:00")
    holds = [Hold(at("2026-05-04T09:00"), at("2026-05-04T11:00"), 4),
             Hold(at("2026-05-04T09:00"), at("2026-05-04T10:00"), 3)]
    found = free_intervals([], [], holds, 10, BERLIN, start, end)
    assert [(local(f), f.quantity) for f in found] == [
        (("2026-05-04 08:00+0200", "2026-05-04 09:00+0200"), 10),
        (("2026-05-04 09:00+0200", "2026-05-04 10:00+0200"), 3),
        (("2026-05-04 10:00+0200", "2026-05-04 11:00+0200"), 6),
        (("2026-05-04 11:00+0200", "2026-05-04 12:00+0200"), 10),
    ]


def test_free_intervals__a_fully_held_single_unit_leaves_a_gap():
    start, end = at("2026-05-04T08:00"), at("2026-05-04T12:00")
    found = free_intervals(DAILY_8_22, [], [Hold(at("2026-05-04T09:00"), at("2026-05-04T10:00"))], 1,
                           BERLIN, start, end)
    assert [local(f) for f in found] == [("2026-05-04 08:00+0200", "2026-05-04 09:00+0200"),
                                         ("2026-05-04 10:00+0200", "2026-05-04 12:00+0200")]


def test_is_bookable_span__inside_hours_yes_across_closing_no_during_closure_no():
    closure = Interval(at("2026-05-05T12:00"), at("2026-05-05T13:00"))
    assert is_bookable_span(DAILY_8_22, [], BERLIN, at("2026-05-04T18:00"), at("2026-05-04T22:00"))
    assert not is_bookable_span(DAILY_8_22, [], BERLIN, at("2026-05-04T21:00"), at("2026-05-04T23:00"))
    assert not is_bookable_span(DAILY_8_22, [closure], BERLIN, at("2026-05-05T11:00"), at("2026-05-05T12:30"))
    assert is_bookable_span(DAILY_8_22, [closure], BERLIN, at("2026-05-05T11:00"), at("2026-05-05T12:00"))
    assert not is_bookable_span(DAILY_8_22, [], BERLIN, at("2026-05-04T10:00"), at("2026-05-04T10:00"))


def test_subtract__cuts_holes():
    a = at("2026-01-01T00:00")
    h = timedelta(hours=1)
    assert subtract([Interval(a, a + 5 * h)], [Interval(a + h, a + 2 * h), Interval(a + 3 * h, a + 6 * h)]) == [
        Interval(a, a + h), Interval(a + 2 * h, a + 3 * h)]


def test_guarded_holds__stretch_a_single_unit_by_the_other_sides_buffer():
    hold = Hold(at("2026-05-04T09:30"), at("2026-05-04T12:15"))
    assert guarded_holds([hold], timedelta(minutes=30), timedelta(minutes=15)) == [
        Hold(at("2026-05-04T09:15").astimezone(UTC), at("2026-05-04T12:45").astimezone(UTC))]


def test_guarded_holds__of_a_pool_take_the_peak_where_widened_pieces_meet():
    a = at("2026-01-01T10:00")
    h = timedelta(hours=1)
    holds = [Hold(a, a + h, 2), Hold(a + 2 * h, a + 3 * h, 1)]
    # An hour after each new booking: 2 units bar [09:00, 11:00), 1 unit [11:00, 13:00).
    found = guarded_holds(holds, timedelta(0), h)
    assert [(x.start, x.end, x.quantity) for x in found] == [
        (a - h, a + h, 2), (a + h, a + 3 * h, 1)]
    assert sum(x.quantity for x in found if x.start <= a + h < x.end) == 1  # not 2 + 1


guard_hold_st = st.tuples(st.integers(0, 48), st.integers(1, 24), st.integers(1, 3))


@settings(max_examples=200, deadline=None)
@given(holds=st.lists(guard_hold_st, max_size=8), before=st.integers(0, 12), after=st.integers(0, 12),
       slot=st.tuples(st.integers(0, 60), st.integers(1, 16)))
def test_guarded_holds__give_the_units_the_booking_service_would_meet(holds, before, after, slot):
    """The booking service: units held anywhere in [s − before, e + after) count against [s, e)."""
    a = at("2026-01-01T00:00")
    q = timedelta(minutes=15)
    hold_objs = [Hold(a + o * q, a + (o + d) * q, n) for o, d, n in holds]
    s, e = a + slot[0] * q, a + (slot[0] + slot[1]) * q
    guarded = guarded_holds(hold_objs, before * q, after * q)
    for x, y in zip(guarded, guarded[1:]):
        assert x.end <= y.start
    assert max_units_held(guarded, s, e) == max_units_held(hold_objs, s - before * q, e + after * q)


def test_max_units_held__is_the_peak_of_overlapping_holds():
    a = at("2026-01-01T00:00")
    h = timedelta(hours=1)
    holds = [Hold(a, a + 2 * h, 2), Hold(a + h, a + 3 * h, 3), Hold(a + 2 * h, a + 4 * h, 1)]
    assert max_units_held(holds, a, a + 4 * h) == 5
    assert max_units_held(holds, a + 2 * h, a + 4 * h) == 4


# --- properties against a brute force -------------------------------------------------------


def _oracle_open(hours, tz, t):
    if not hours:
        return True
    lt = t.astimezone(ZoneInfo(tz))
    m = lt.hour * 60 + lt.minute
    return any(h.weekday == lt.weekday() and h.start_minute <= m < h.end_minute for h in hours)


def _oracle_closed(closures, tz, t):
    z = ZoneInfo(tz)
    for c in closures:
        if not c.rrule:
            if c.starts_at <= t < c.ends_at:
                return True
            continue
        first = c.starts_at.astimezone(z).replace(tzinfo=None)
        length = c.ends_at.astimezone(z).replace(tzinfo=None) - first
        wall = t.astimezone(z).replace(tzinfo=None)
        for occ in rrulestr(c.rrule, dtstart=first):
            if occ > wall:
                break
            if occ <= wall < occ + length:
                return True
    return False


def _containing(intervals, t):
    return next((iv for iv in intervals if iv.start <= t < iv.end), None)


def _well_formed(intervals, start, end):
    for iv in intervals:
        assert start <= iv.start < iv.end <= end
    for a, b in zip(intervals, intervals[1:]):
        assert a.end < b.start or (isinstance(a, FreeInterval) and a.end <= b.start)


hours_st = st.lists(
    st.builds(
        lambda wd, s, length: WeeklyHours(wd, s, min(1440, s + length)),
        st.integers(0, 6), st.integers(0, 1439).map(lambda m: m - m % 15), st.integers(15, 900),
    ),
    max_size=6,
)
# Windows around the EU/US/AU switch days and ordinary days.
anchor_st = st.sampled_from([
    "2026-03-28", "2026-03-08", "2026-10-24", "2026-11-01", "2026-04-04", "2026-10-03", "2026-06-15",
])
window_st = st.tuples(anchor_st, st.integers(0, 36 * 60), st.integers(1, 60 * 60)).map(
    lambda t: (datetime.fromisoformat(t[0] + "T00:00+00:00") + timedelta(minutes=t[1]),
               datetime.fromisoformat(t[0] + "T00:00+00:00") + timedelta(minutes=t[1] + t[2]))
)


def _minutes(start, end):
    t = start
    while t < end:
        yield t
        t += MINUTE


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hours=hours_st, tz=st.sampled_from(ZONES), window=window_st)
def test_open_intervals__match_the_wall_clock_definition_minute_by_minute(hours, tz, window):
    start, end = window
    found = open_intervals(hours, tz, start, end)
    _well_formed(found, start, end)
    for t in _minutes(start, end):
        assert (_containing(found, t) is not None) == _oracle_open(hours, tz, t), t


closure_st = st.builds(
    lambda day, start_min, length, rule: (day, start_min, length, rule),
    st.integers(-3, 3), st.integers(0, 95).map(lambda q: q * 15), st.integers(1, 48).map(lambda q: q * 15),
    st.sampled_from([None, "FREQ=DAILY", "FREQ=DAILY;INTERVAL=2", "FREQ=WEEKLY;COUNT=2", "FREQ=WEEKLY;BYDAY=SA,SU"]),
)


def _make_closures(specs, tz, anchor):
    z = ZoneInfo(tz)
    out = []
    for day, start_min, length, rule in specs:
        wall = datetime.fromisoformat(anchor) + timedelta(days=day, minutes=start_min)
        s = wall.replace(tzinfo=z)
        e = (wall + timedelta(minutes=length)).replace(tzinfo=z)
        if e > s:
            out.append(ClosureRule(s, e, rule))
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs=st.lists(closure_st, max_size=3), tz=st.sampled_from(ZONES[:3]), window=window_st)
def test_closed_intervals__match_the_wall_clock_definition_minute_by_minute(specs, tz, window):
    start, end = window
    closures = _make_closures(specs, tz, start.date().isoformat())
    found = closed_intervals(closures, tz, start, end)
    _well_formed(found, start, end)
    for t in _minutes(start, end):
        assert (_containing(found, t) is not None) == _oracle_closed(closures, tz, t), t


hold_st = st.tuples(st.integers(0, 40 * 60), st.integers(15, 6 * 60), st.integers(1, 4))


buffer_st = st.sampled_from([0, 0, 5, 15, 30, 90]).map(lambda m: timedelta(minutes=m))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hours=hours_st, specs=st.lists(closure_st, max_size=2), holds=st.lists(hold_st, max_size=6),
       quantity=st.integers(1, 8), tz=st.sampled_from(ZONES[:3]), window=window_st,
       before=buffer_st, after=buffer_st)
def test_free_intervals__give_the_free_units_of_every_minute(hours, specs, holds, quantity, tz, window,
                                                              before, after):
    start, end = window
    closures = _make_closures(specs, tz, start.date().isoformat())
    base = start.replace(minute=0)
    hold_objs = [Hold(base + timedelta(minutes=o), base + timedelta(minutes=o + d), q) for o, d, q in holds]
    busy = closed_intervals(closures, tz, start, end)
    found = free_intervals(hours, busy, hold_objs, quantity, tz, start, end, before, after)
    _well_formed(found, start, end)
    held = {t: sum(h.quantity for h in hold_objs if h.start <= t < h.end)
            for t in _minutes(start - before, end + after)}
    for t in _minutes(start, end):
        free = 0
        if _oracle_open(hours, tz, t) and not _oracle_closed(closures, tz, t):
            # A one-minute booking at t holds [t − before, t + 1 min + after).
            peak = max(held[u] for u in _minutes(t - before, t + MINUTE + after))
            free = max(0, quantity - peak)
        piece = _containing(found, t)
        assert (piece.quantity if piece else 0) == free, t
    for a, b in zip(found, found[1:]):
        assert not (a.end == b.start and a.quantity == b.quantity)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hours=hours_st, specs=st.lists(closure_st, max_size=2), tz=st.sampled_from(ZONES[:3]), window=window_st)
def test_is_bookable_span__is_true_exactly_when_every_minute_is_available(hours, specs, tz, window):
    start, end = window
    end = min(end, start + timedelta(hours=12))
    closures = _make_closures(specs, tz, start.date().isoformat())
    expected = all(
        _oracle_open(hours, tz, t) and not _oracle_closed(closures, tz, t) for t in _minutes(start, end)
    )
    busy = closed_intervals(closures, tz, start, end)
    assert is_bookable_span(hours, busy, tz, start, end) == expected
    assert (available_intervals(hours, busy, tz, start, end) == [Interval(start, end)]) == expected


# --- the week-minutes form the search uses --------------------------------------------------


def test_wall_window__a_window_over_midnight_is_one_stretch_of_the_week():
    w = wall_window(BERLIN, at("2026-06-14T23:00"), at("2026-06-15T01:30"))  # Sunday to Monday
    assert (w.start_minute, w.end_minute, w.continuous) == (6 * 1440 + 23 * 60, 6 * 1440 + 25 * 60 + 30, True)


@pytest.mark.parametrize("start, end", [("2026-10-25T01:00", "2026-10-25T04:00"),
                                        ("2026-03-28T12:00", "2026-04-02T12:00")])
def test_wall_window__a_clock_change_inside_is_not_continuous(start, end):
    assert not wall_window(BERLIN, at(start), at(end)).continuous


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hours=hours_st, tz=st.sampled_from(ZONES), window=window_st)
def test_wall_window__in_week_minutes_is_open_exactly_when_every_minute_is(hours, tz, window):
    start, end = window
    w = wall_window(tz, start, end)
    assert 0 <= w.start_minute < 10080 and w.start_minute < w.end_minute <= 20160
    if not w.continuous:
        return
    covered = any(lo <= w.start_minute and w.end_minute <= hi for lo, hi in week_minutes(hours))
    assert covered == all(_oracle_open(hours, tz, t) for t in _minutes(start, end))
