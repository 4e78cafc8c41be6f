"""Booking emails through the outbox, each in its recipient's language, each carrying the
booking as a calendar invitation (iMIP, RFC 6047) so mail clients offer "add to calendar".

Who hears what (each side only if their notification settings want it):
- the person who booked: request received / confirmed at once, approved, declined,
  cancelled, expired, and the reminder (reminders.py);
- the managers of the owner: a new request or booking, and what became of it.
A confirmed or requested booking travels as METHOD:REQUEST, a declined, cancelled or expired
one as METHOD:CANCEL, with the same UID and SEQUENCE as the feeds (ics.export), so a
client that added the booking from the email replaces or removes that very event.

Called inside the transition's transaction, so a message is queued only if the change
commits. The iCalendar export is a pure module of the calendar domain (no database, nothing of
bookings imported): the booking emails and the feeds share it so both give the same UID and
SEQUENCE.
"""

from __future__ import annotations

import asyncio
from email.utils import parseaddr
from typing import Any

from resourcepool import clock, i18n
from resourcepool.bookings import queries
from resourcepool.ics import export
from resourcepool.notifications import messages
from resourcepool.notifications.outbox import enqueue_message
from resourcepool.settings import get_settings

METHODS = {
    "requested": "REQUEST", "confirmed_owner": "REQUEST", "approved_owner": "REQUEST",
    "request_received": "REQUEST", "approved": "REQUEST", "reminder": "REQUEST",
    "declined": "CANCEL", "declined_owner": "CANCEL", "cancelled": "CANCEL",
    "cancelled_owner": "CANCEL", "expired": "CANCEL", "expired_owner": "CANCEL",
}
# A series of many dates: its calendar is built in a worker thread (CPU-bound, up to 200 events).
_THREAD_FROM = 8

Person = dict[str, Any]  # email, name, locale


def _language(person: Person) -> str:
    return person.get("locale") if person.get("locale") in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE


def _calendar(bookings: list[dict[str, Any]], counts: dict[int, int], person: Person, method: str,
              language: str) -> bytes:
    settings = get_settings()
    organizer = export.Person(parseaddr(settings.mail_from)[1] or "noreply@localhost",
                              bookings[0]["owner_name"])
    attendee = export.Person(person["email"], person.get("name") or "")
    now = clock.now()
    events = [
        export.booking_event({**b, "event_count": counts.get(b["id"], 1)}, base_url=settings.base_url,
                             language=language, details=True, stamp=now, attendee=attendee,
                             organizer=organizer, status="CANCELLED" if method == "CANCEL" else None)
        for b in bookings]
    return export.calendar(events, method=method, timezones={b["timezone"] for b in bookings},
                           year=now.year)


async def send(recipients: list[Person], kind: str, bookings: list[dict[str, Any]],
               reason: str = "", counts: dict[int, int] | None = None) -> None:
    """Queue `kind` about `bookings` (one, or the dates of a series) to each recipient."""
    if not recipients or not bookings:
        return
    first = bookings[0]
    if counts is None:
        counts = await queries.event_counts([b["id"] for b in bookings])
    base_url = get_settings().base_url
    method = METHODS[kind]
    for person in recipients:
        language = _language(person)
        tz = first["timezone"]
        subject, body = messages.render(
            kind, language,
            asset=first["asset_title"], owner=first["owner_name"],
            when=i18n.format_span(first["starts_at"], first["ends_at"], tz, language),
            organisation=first["organisation_name"], purpose=first["purpose"],
            reason=reason or "–", link=f"{base_url}/bookings/{first['id']}",
            where=first.get("asset_address") or "", settings=f"{base_url}/account#notifications")
        if len(bookings) > 1:
            dates = [i18n.format_span(b["starts_at"], b["ends_at"], b["timezone"], language)
                     for b in bookings]
            body += "\n" + messages.paragraph(messages.SERIES_DATES, language) + "\n" + \
                "\n".join(dates) + "\n"
        if len(bookings) >= _THREAD_FROM:
            ics = await asyncio.to_thread(_calendar, bookings, counts, person, method, language)
        else:
            ics = _calendar(bookings, counts, person, method, language)
        await enqueue_message(person["email"], subject, body, to_name=person.get("name") or "",
                              ics=ics.decode(), ics_method=method)


async def booking_made(bookings: list[dict[str, Any]], managers: list[Person] | None = None,
                       booker: Person | None = None) -> None:
    """A new booking (or the dates of a new series): the owner's managers are asked or told,
    the person who booked gets their confirmation. `managers` and `booker` when the caller
    has already read them (saving round trips)."""
    first = bookings[0]
    requested = first["status"] == "requested"
    counts = {b["id"]: 1 for b in bookings}  # a new booking has its first history row only
    if managers is None:
        managers = await queries.manager_addresses(first["owner_organisation_id"])
    await send(managers, "requested" if requested else "confirmed_owner", bookings, counts=counts)
    if booker is not None:
        await send([booker], "request_received" if requested else "approved", bookings, counts=counts)


async def tell_both(bookings: list[dict[str, Any]], kind: str, reason: str = "") -> None:
    """A change both sides keep in their calendars → the person who booked (`kind`) and the
    owner's managers (`<kind>_owner`). Several bookings (the rest of a series cancelled at once)
    go out as one email per person, all dates in it."""
    first = bookings[0]
    counts = await queries.event_counts([b["id"] for b in bookings])
    person = await queries.user_address(first["user_id"])
    if person:
        await send([person], kind, bookings, reason, counts)
    managers = await queries.manager_addresses(first["owner_organisation_id"])
    await send(managers, f"{kind}_owner", bookings, reason, counts)
