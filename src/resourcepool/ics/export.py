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
  rules (timezones.py: what Outlook reads; Thunderbird and Google read the Olson name).

Events are written as content lines (ics_text.py, fast enough for a feed of thousands),
VTIMEZONEs with icalendar.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from resourcepool import i18n
from resourcepool.ics import text as ics_text
from resourcepool.ics.timezones import vtimezone_text
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


# --- events ------------------------------------------------------------------------------

def booking_event(row: dict[str, Any], *, base_url: str, language: str, details: bool,
                  stamp: datetime | None = None, attendee: Person | None = None,
                  organizer: Person | None = None, status: str | None = None) -> str:
    """One booking as a VEVENT (CRLF content lines).

    `row`: id, starts_at, ends_at, timezone, status, updated_at, created_at, event_count,
    asset_title, and with `details` also purpose, organisation_name, user_name, owner_name and
    optionally asset_address. Without `details` (someone else's booking in an asset feed) the
    event is a busy block: no purpose, no names. `stamp`: DTSTAMP (default: updated_at).
    `status` overrides the STATUS (a CANCEL message always says CANCELLED)."""
    tzid = row["timezone"]
    tz = ZoneInfo(tzid)
    event_status = status or EVENT_STATUS.get(row["status"], "CONFIRMED")
    out = [
        "BEGIN:VEVENT",
        f"UID:{booking_uid(row['id'], base_url)}",
        f"DTSTAMP:{ics_text.utc(stamp or row['updated_at'])}",
        f"CREATED:{ics_text.utc(row['created_at'])}",
        f"LAST-MODIFIED:{ics_text.utc(row['updated_at'])}",
        f"SEQUENCE:{sequence(row['event_count'])}",
        f"DTSTART;TZID={tzid}:{ics_text.local(row['starts_at'].astimezone(tz))}",
        f"DTEND;TZID={tzid}:{ics_text.local(row['ends_at'].astimezone(tz))}",
        f"STATUS:{event_status}",
        f"TRANSP:{'TRANSPARENT' if event_status == 'CANCELLED' else 'OPAQUE'}",
    ]
    if details:
        summary = f"{row['asset_title']}: {row['purpose']}"
        if row["status"] == "requested":
            summary += " " + i18n.gettext(TENTATIVE_SUFFIX, language)
        link = f"{base_url}/bookings/{row['id']}"
        description = "\n".join((
            i18n.translate(N_("Purpose: %(purpose)s"), {"purpose": row["purpose"]}, language),
            i18n.translate(N_("Booked by: %(organisation)s (%(person)s)"),
                           {"organisation": row["organisation_name"], "person": row["user_name"]},
                           language),
            i18n.translate(N_("Offered by: %(owner)s"), {"owner": row["owner_name"]}, language),
            link))
        location = ", ".join(p for p in (row["asset_title"], row.get("asset_address") or "") if p)
        out += [f"SUMMARY:{ics_text.text(summary)}",
                f"DESCRIPTION:{ics_text.text(description)}",
                f"LOCATION:{ics_text.text(location)}",
                f"URL:{link}"]
    else:
        summary = f"{row['asset_title']}: {i18n.gettext(BUSY_SUMMARY, language)}"
        out += [f"SUMMARY:{ics_text.text(summary)}", "CLASS:PRIVATE"]
    if organizer is not None:
        out.append(f"ORGANIZER{_cn(organizer)}:mailto:{organizer.email}")
    if attendee is not None:
        # RSVP=FALSE: nobody reads replies; the booking is already what the person asked for.
        out.append(f"ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=FALSE{_cn(attendee)}"
                   f":mailto:{attendee.email}")
    out.append("END:VEVENT")
    return ics_text.lines(*out)


def _cn(person: Person) -> str:
    return f";CN={ics_text.param(person.name)}" if person.name else ""


def calendar(events: Iterable[str], *, method: str | None = None, name: str | None = None,
             timezones: Iterable[str] = (), year: int | None = None,
             refresh_minutes: int | None = None) -> bytes:
    """A VCALENDAR with a VTIMEZONE per zone used and the events, serialised (UTF-8, CRLF)."""
    head = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN"]
    if method:
        head.append(f"METHOD:{method}")
    if name:
        head.append(f"X-WR-CALNAME:{ics_text.text(name)}")
    if refresh_minutes:
        # How often subscribed clients should look again (Microsoft reads the X- one).
        head.append(f"REFRESH-INTERVAL;VALUE=DURATION:PT{refresh_minutes}M")
        head.append(f"X-PUBLISHED-TTL:PT{refresh_minutes}M")
    zones = sorted(set(timezones))
    if len(zones) == 1:
        head.append(f"X-WR-TIMEZONE:{zones[0]}")
    year = year or datetime.now().year
    parts = [ics_text.lines(*head)]
    parts += [vtimezone_text(tzid, year) for tzid in zones]
    parts += list(events)
    parts.append(ics_text.lines("END:VCALENDAR"))
    return "".join(parts).encode()
