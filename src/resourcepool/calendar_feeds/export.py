"""Bookings → iCalendar (RFC 5545), pure: no database, no I/O. Used by the feeds, the single
booking download and the invitation emails, so all three give a booking the same UID and
SEQUENCE and calendar clients recognise one event however it reached them.

- UID: `booking-<id>@<host of the base URL>`, stable for the booking's life.
- SEQUENCE: the number of the booking's history rows minus one (every change of a booking
  writes one `booking_event` row), so it rises on every change without a column of its own.
- LAST-MODIFIED and, in feeds, DTSTAMP: the booking's `updated_at` (a feed has no METHOD, so
  DTSTAMP is "when the information was last revised" — and the body stays the same between
  two requests that change nothing, which the ETag relies on).
- DTSTART/DTEND carry the asset's TZID and every zone used gets a VTIMEZONE with yearly
  rules (what Outlook reads; Thunderbird and Google read the Olson name).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Any, Iterable
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vCalAddress, vText

from resourcepool import i18n
from resourcepool.errors import N_

PRODID = "-//resourcepool//resourcepool calendar//EN"

# booking.status → the event's STATUS. A decided-against or cancelled booking stays in feeds
# as CANCELLED (for a while) so subscribed clients remove it.
EVENT_STATUS = {
    "requested": "TENTATIVE",
    "confirmed": "CONFIRMED",
    "completed": "CONFIRMED",
    "no_show": "CONFIRMED",
    "declined": "CANCELLED",
    "cancelled": "CANCELLED",
    "expired": "CANCELLED",
}
BUSY_SUMMARY = N_("Booked")
TENTATIVE_SUFFIX = N_("(request)")


@dataclass(frozen=True)
class Person:
    email: str
    name: str = ""


def booking_uid(booking_id: int, base_url: str) -> str:
    host = urlsplit(base_url).hostname or "resourcepool"
    return f"booking-{booking_id}@{host}"


def sequence(event_count: int) -> int:
    """SEQUENCE from the number of history rows (the first row, the booking's creation, is 0)."""
    return max(event_count - 1, 0)


def _utc(value: datetime) -> datetime:
    return value.astimezone(timezone.utc)


# --- VTIMEZONE -----------------------------------------------------------------------------

def _transitions(tz: ZoneInfo, year: int) -> list[tuple[datetime, timedelta, timedelta, str]]:
    """The offset changes of `tz` in `year`: (instant in UTC, offset before, after, name after)."""
    found = []
    at = datetime(year, 1, 1, tzinfo=timezone.utc)
    end = datetime(year + 1, 1, 1, tzinfo=timezone.utc)
    step = timedelta(days=1)
    before = at.astimezone(tz).utcoffset()
    while at < end:
        nxt = at + step
        after = nxt.astimezone(tz).utcoffset()
        if after != before:
            low, high = at, nxt  # bisect to the minute
            while high - low > timedelta(minutes=1):
                mid = low + (high - low) / 2
                if mid.astimezone(tz).utcoffset() == before:
                    low = mid
                else:
                    high = mid
            # Real zones change on a whole minute, which `high` is less than a minute after.
            high = high.replace(second=0, microsecond=0)
            found.append((high, before, after, high.astimezone(tz).tzname() or ""))
            before = after
        at = nxt
    return found


@lru_cache(maxsize=64)
def vtimezone(tzid: str, year: int) -> Timezone:
    """A VTIMEZONE for `tzid` with yearly rules taken from `year`'s transitions
    (e.g. Europe/Berlin: last Sunday of March 02:00 → CEST, last Sunday of October 03:00 → CET).
    A zone without daylight saving gets one STANDARD observance."""
    tz = ZoneInfo(tzid)
    component = Timezone()
    component.add("tzid", tzid)
    component.add("x-lic-location", tzid)
    changes = _transitions(tz, year)
    if not changes:
        offset = datetime(year, 1, 1, tzinfo=timezone.utc).astimezone(tz)
        standard = TimezoneStandard()
        standard.add("dtstart", datetime(1970, 1, 1))
        standard.add("tzoffsetfrom", offset.utcoffset())
        standard.add("tzoffsetto", offset.utcoffset())
        standard.add("tzname", offset.tzname() or tzid)
        component.add_component(standard)
        return component
    for instant, before, after, name in changes:
        # DTSTART is the local wall-clock time of the change, read in the offset before it.
        local = (instant + before).replace(tzinfo=None)
        week = (local.day - 1) // 7 + 1
        last = (local + timedelta(days=7)).month != local.month
        weekday = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[local.weekday()]
        observance = TimezoneDaylight() if _is_dst(tz, instant) else TimezoneStandard()
        observance.add("dtstart", local.replace(year=1970, day=_same_weekday_1970(local, last, week)))
        observance.add("rrule", {"freq": "yearly", "bymonth": local.month,
                                 "byday": f"{-1 if last else week}{weekday}"})
        observance.add("tzoffsetfrom", before)
        observance.add("tzoffsetto", after)
        observance.add("tzname", name)
        component.add_component(observance)
    return component


def _is_dst(tz: ZoneInfo, instant: datetime) -> bool:
    """Whether the offset from `instant` on is daylight saving time."""
    return bool(instant.astimezone(tz).dst())


def _same_weekday_1970(local: datetime, last: bool, week: int) -> int:
    """The day in 1970 of the same month that the rule (n-th or last weekday) gives, so
    DTSTART is itself an occurrence of its RRULE, as RFC 5545 asks."""
    first = datetime(1970, local.month, 1)
    shift = (local.weekday() - first.weekday()) % 7
    day = 1 + shift + 7 * (week - 1)
    if last:
        day = 1 + shift
        while True:
            try:
                datetime(1970, local.month, day + 7)
            except ValueError:
                break
            day += 7
    return day


# --- events ------------------------------------------------------------------------------

def booking_event(row: dict[str, Any], *, base_url: str, language: str, details: bool,
                  stamp: datetime | None = None, attendee: Person | None = None,
                  organizer: Person | None = None, status: str | None = None) -> Event:
    """One booking as a VEVENT.

    `row`: id, starts_at, ends_at, timezone, status, updated_at, created_at, event_count,
    asset_title, and with `details` also purpose, organisation_name, user_name, owner_name and
    optionally asset_address. Without `details` (someone else's booking in an asset feed) the
    event is a busy block: no purpose, no names. `stamp`: DTSTAMP (default: updated_at).
    `status` overrides the STATUS (a CANCEL message always says CANCELLED)."""
    tzid = row["timezone"]
    tz = ZoneInfo(tzid)
    event = Event()
    event.add("uid", booking_uid(row["id"], base_url))
    event.add("dtstamp", _utc(stamp or row["updated_at"]))
    event.add("created", _utc(row["created_at"]))
    event.add("last-modified", _utc(row["updated_at"]))
    event.add("sequence", sequence(row["event_count"]))
    event.add("dtstart", row["starts_at"].astimezone(tz))
    event.add("dtend", row["ends_at"].astimezone(tz))
    event_status = status or EVENT_STATUS.get(row["status"], "CONFIRMED")
    event.add("status", event_status)
    event.add("transp", "TRANSPARENT" if event_status == "CANCELLED" else "OPAQUE")
    if details:
        summary = f"{row['asset_title']}: {row['purpose']}"
        if row["status"] == "requested":
            summary += " " + i18n.gettext(TENTATIVE_SUFFIX, language)
        event.add("summary", summary)
        lines = [
            i18n.translate(N_("Purpose: %(purpose)s"), {"purpose": row["purpose"]}, language),
            i18n.translate(N_("Booked by: %(organisation)s (%(person)s)"),
                           {"organisation": row["organisation_name"], "person": row["user_name"]},
                           language),
            i18n.translate(N_("Offered by: %(owner)s"), {"owner": row["owner_name"]}, language),
        ]
        link = f"{base_url}/bookings/{row['id']}"
        lines.append(link)
        event.add("description", "\n".join(lines))
        event.add("url", link)
        location = ", ".join(p for p in (row["asset_title"], row.get("asset_address") or "") if p)
        event.add("location", location)
    else:
        event.add("summary", f"{row['asset_title']}: {i18n.gettext(BUSY_SUMMARY, language)}")
        event.add("class", "PRIVATE")
    if organizer is not None:
        event.add("organizer", _address(organizer))
    if attendee is not None:
        address = _address(attendee)
        address.params["ROLE"] = "REQ-PARTICIPANT"
        address.params["PARTSTAT"] = "ACCEPTED"
        address.params["RSVP"] = "FALSE"
        event.add("attendee", address)
    return event


def _address(person: Person) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    if person.name:
        address.params["CN"] = vText(person.name)
    return address


def calendar(events: Iterable[Event], *, method: str | None = None, name: str | None = None,
             timezones: Iterable[str] = (), year: int | None = None,
             refresh_minutes: int | None = None) -> bytes:
    """A VCALENDAR with a VTIMEZONE per zone used and the events, serialised (CRLF, folded)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    if refresh_minutes:
        # How often subscribed clients should look again (Apple/Microsoft read the X- one).
        cal.add("refresh-interval", timedelta(minutes=refresh_minutes), parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", timedelta(minutes=refresh_minutes))
    zones = sorted(set(timezones))
    if len(zones) == 1:
        cal.add("x-wr-timezone", zones[0])
    for tzid in zones:
        cal.add_component(vtimezone(tzid, year or datetime.now(timezone.utc).year))
    for event in events:
        cal.add_component(event)
    return cal.to_ical()
