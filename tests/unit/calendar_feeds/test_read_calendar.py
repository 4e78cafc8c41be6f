"""Reading an .ics file into busy times: what counts, DST, and every limit (pure, no database)."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from resourcepool.calendar_feeds import imports
from resourcepool.calendar_feeds.imports import MAX_BUSY, MAX_EVENTS, read_calendar
from resourcepool.errors import ValidationFailed
from tests.external_calendar_support import TUESDAYS, big_calendar, calendar, event

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2027, 1, 1, tzinfo=BERLIN)
END = START + timedelta(days=427)


def busy(data: bytes, tz: str = "Europe/Berlin") -> list[tuple[str, str]]:
    found = read_calendar(data, tz, START, END).busy
    z = ZoneInfo(tz)
    return [(b.start.astimezone(z).strftime("%Y-%m-%d %H:%M"), b.end.astimezone(z).strftime("%Y-%m-%d %H:%M"))
            for b in found]


def refused(data: bytes) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as caught:
        read_calendar(data, "Europe/Berlin", START, END)
    assert caught.value.field == "file"
    return caught.value


def test_a_weekly_event__is_busy_at_18_00_local_across_the_march_and_october_switches():
    found = busy(TUESDAYS)
    assert len(found) == 61  # 5 January 2027 … 1 March 2028
    assert {start[11:] for start, _ in found} == {"18:00"} and {end[11:] for _, end in found} == {"20:00"}
    assert ("2027-03-30 18:00", "2027-03-30 20:00") in found  # after the March switch
    assert ("2027-11-02 18:00", "2027-11-02 20:00") in found  # after the October switch
    offsets = {b.start.astimezone(BERLIN).utcoffset() for b in read_calendar(TUESDAYS, "Europe/Berlin", START, END).busy}
    assert offsets == {timedelta(hours=1), timedelta(hours=2)}


def test_an_event_in_the_march_gap__takes_no_time_and_one_across_october_its_real_length():
    # 02:55–03:00 does not exist on 28 March 2027 (02:55 is read as 03:55, after its end).
    data = calendar(event("20270326T025500", "20270326T030000", rrule="FREQ=DAILY;COUNT=4"),
                    event("20271031T013000", "20271031T033000", uid="oct"))
    found = read_calendar(data, "Europe/Berlin", START, END).busy
    assert all(b.end > b.start for b in found)
    assert [b.start.astimezone(BERLIN).day for b in found if b.end - b.start == timedelta(minutes=5)] == [26, 27, 29]
    assert [b.end - b.start for b in found if b.start.month == 10] == [timedelta(hours=3)]


def test_exdates_changed_occurrences_cancelled_and_free_events__are_honoured():
    data = calendar(
        event("20270105T180000", "20270105T200000", rrule="FREQ=WEEKLY;COUNT=4",
              extra="EXDATE;TZID=Europe/Berlin:20270112T180000\r\n"),
        # The third rehearsal moves to Wednesday morning.
        event("20270120T090000", "20270120T100000", extra="RECURRENCE-ID;TZID=Europe/Berlin:20270119T180000\r\n"),
        event("20270201T100000", "20270201T110000", uid="cancelled", extra="STATUS:CANCELLED\r\n"),
        event("20270202T100000", "20270202T110000", uid="free", extra="TRANSP:TRANSPARENT\r\n"),
    )
    assert busy(data) == [("2027-01-05 18:00", "2027-01-05 20:00"), ("2027-01-20 09:00", "2027-01-20 10:00"),
                          ("2027-01-26 18:00", "2027-01-26 20:00")]


def test_all_day_floating_and_utc_times__are_read_in_the_assets_zone():
    data = calendar(event("20270224", "20270226", uid="a", all_day=True),
                    event("20270301T100000", "20270301T110000", uid="f", tz=None),
                    event("20270302T100000Z", "20270302T110000Z", uid="u", tz=None))
    assert busy(data) == [("2027-02-24 00:00", "2027-02-26 00:00"), ("2027-03-01 10:00", "2027-03-01 11:00"),
                          ("2027-03-02 11:00", "2027-03-02 12:00")]


def test_events_outside_the_window__are_left_out_and_long_ones_clipped():
    data = calendar(event("20260101T100000", "20260101T110000", uid="old"),
                    event("20261220", "20270110", uid="long", all_day=True))
    assert busy(data) == [("2027-01-01 00:00", "2027-01-10 00:00")]


@pytest.mark.parametrize("data,message", [
    (b"hello world", "This is not an iCalendar file (.ics)."),
    (b"BEGIN:VEVENT\r\nUID:1\r\nEND:VEVENT\r\n", "This is not an iCalendar file (.ics)."),
    (b"", "The file is empty."),
    (calendar(event("20270105T180000", "20270105T200000", tz="Mars/Olympus")),
     "The calendar uses a time zone that is not known: Mars/Olympus."),
    (calendar(event("20270105T180000", "20270105T200000", rrule="FREQ=WEEKLY;X-ODD=1")),
     "An event's repeat rule cannot be read: FREQ=WEEKLY;X-ODD=1"),
])
def test_a_bad_file__is_refused_saying_why(data, message):
    assert str(refused(data)) == message


def test_an_endless_rule_producing_millions_of_dates__is_refused_after_the_limit(monkeypatch):
    # FREQ=SECONDLY without end: 36 million dates in the window. Counted, not timed: the
    # expansion stops after MAX_DATES dates.
    produced = []
    original = imports.rrule_dates

    def counting(*args):
        for date in original(*args):
            produced.append(date)
            yield date

    monkeypatch.setattr(imports, "rrule_dates", counting)
    exc = refused(calendar(event("20270105T180000", "20270105T180001", rrule="FREQ=SECONDLY")))
    assert str(exc) == f"The calendar has more than {MAX_BUSY} busy times in the next 427 days."
    assert len(produced) <= MAX_BUSY + 1


def test_a_rule_without_any_date__costs_a_bounded_search():
    # dateutil alone would look until the year 9999 for a 30 February.
    data = calendar(event("20270105T180000", "20270105T190000", rrule="FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"))
    assert busy(data) == [("2027-01-05 18:00", "2027-01-05 19:00")]  # DTSTART itself counts (RFC 5545)


def test_too_many_events_and_too_many_bytes__are_refused():
    many = calendar(*(event("20270105T180000", "20270105T190000", uid=f"u{i}") for i in range(MAX_EVENTS + 1)))
    assert str(refused(many)) == f"The calendar has more than {MAX_EVENTS} events."
    assert refused(big_calendar(imports.MAX_BYTES + 10)).code == "payload_too_large"


def test_busy_times__are_merged_when_they_overlap():
    data = calendar(event("20270105T180000", "20270105T200000", uid="a"),
                    event("20270105T190000", "20270105T210000", uid="b"))
    assert busy(data) == [("2027-01-05 18:00", "2027-01-05 21:00")]
    assert read_calendar(data, "Europe/Berlin", START, END).occurrences == 2
