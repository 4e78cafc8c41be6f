"""The VTIMEZONEs we write (yearly rules, as Outlook reads them) give the same local time as the
IANA database for every hour of several years, also around both daylight-saving switches."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import icalendar
import pytest

from resourcepool.ics.timezones import vtimezone, vtimezone_text


@pytest.mark.parametrize("tzid", ["Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Tokyo"])
def test_the_rules__match_the_iana_zone_hour_by_hour(tzid):
    ours = vtimezone(tzid, 2026).to_tz()  # icalendar turns the component into a tzinfo
    iana = ZoneInfo(tzid)
    at = datetime(2026, 1, 1, tzinfo=timezone.utc)
    while at < datetime(2029, 1, 1, tzinfo=timezone.utc):
        assert at.astimezone(ours).utcoffset() == at.astimezone(iana).utcoffset(), (tzid, at)
        at += timedelta(hours=1)


def test_berlin__switches_on_the_last_sundays_of_march_and_october():
    text = vtimezone_text("Europe/Berlin", 2026)
    parsed = icalendar.Calendar.from_ical("BEGIN:VCALENDAR\r\n" + text + "END:VCALENDAR\r\n")
    [component] = parsed.walk("VTIMEZONE")
    daylight, standard = component.walk("DAYLIGHT")[0], component.walk("STANDARD")[0]
    assert daylight["DTSTART"].dt == datetime(1970, 3, 29, 2, 0)
    assert daylight["RRULE"]["BYDAY"] == ["-1SU"] and daylight["RRULE"]["BYMONTH"] == [3]
    assert standard["DTSTART"].dt == datetime(1970, 10, 25, 3, 0)
    assert standard["RRULE"]["BYDAY"] == ["-1SU"] and standard["RRULE"]["BYMONTH"] == [10]
    assert (daylight["TZOFFSETTO"].td, standard["TZOFFSETTO"].td) == (timedelta(hours=2), timedelta(hours=1))
