"""Booking emails through the outbox, in each recipient's language (plain text for now).

Called inside the transition's transaction, so a message is queued only if the change commits.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from resourcepool.bookings import queries
from resourcepool.errors import N_
from resourcepool.notifications.outbox import enqueue_message
from resourcepool.settings import get_settings
from resourcepool import i18n

SUBJECTS = {
    "requested": N_("Booking request: %(asset)s on %(when)s"),
    "confirmed_owner": N_("New booking: %(asset)s on %(when)s"),
    "approved": N_("Booking confirmed: %(asset)s on %(when)s"),
    "declined": N_("Booking declined: %(asset)s on %(when)s"),
    "cancelled": N_("Booking cancelled: %(asset)s on %(when)s"),
}
# Bodies as lists of lines, each line one message to translate.
BODIES = {
    "requested": [N_("%(organisation)s asks to book %(asset)s on %(when)s."),
                  N_("Purpose: %(purpose)s"), "",
                  N_("Please approve or decline the request: %(link)s")],
    "confirmed_owner": [N_("%(organisation)s booked %(asset)s on %(when)s."),
                        N_("Purpose: %(purpose)s"), "", N_("Details: %(link)s")],
    "approved": [N_("Your booking of %(asset)s on %(when)s is confirmed."), "",
                 N_("Details and usage instructions: %(link)s")],
    "declined": [N_("Your booking request for %(asset)s on %(when)s was declined."),
                 N_("Reason: %(reason)s"), "", N_("Details: %(link)s")],
    "cancelled": [N_("The booking of %(asset)s on %(when)s was cancelled."),
                  N_("Reason: %(reason)s"), "", N_("Details: %(link)s")],
}


def _text(message: str, language: str, params: dict[str, Any]) -> str:
    if not message:
        return ""
    return i18n.gettext(message, language) % params


def _when(booking: dict[str, Any]) -> str:
    tz = ZoneInfo(booking["timezone"])
    start, end = booking["starts_at"].astimezone(tz), booking["ends_at"].astimezone(tz)
    if start.date() == end.date():
        return f"{start:%d.%m.%Y %H:%M}–{end:%H:%M}"
    return f"{start:%d.%m.%Y %H:%M} – {end:%d.%m.%Y %H:%M}"


async def _send(recipients: list[dict[str, Any]], kind: str, booking: dict[str, Any],
                reason: str = "") -> None:
    params = {
        "asset": booking["asset_title"],
        "when": _when(booking),
        "organisation": booking["organisation_name"],
        "purpose": booking["purpose"],
        "reason": reason or "–",
        "link": f"{get_settings().base_url}/bookings/{booking['id']}",
    }
    for person in recipients:
        language = person.get("locale") or "de"
        await enqueue_message(person["email"], _text(SUBJECTS[kind], language, params),
                              "\n".join(_text(line, language, params) for line in BODIES[kind]) + "\n")


async def booking_made(booking: dict[str, Any], managers: list[dict[str, Any]] | None = None) -> None:
    """Tell the owner's managers about a new request (or an instant booking). `managers`
    (email, locale) when the caller has already read them, saving a round trip."""
    kind = "requested" if booking["status"] == "requested" else "confirmed_owner"
    if managers is None:
        managers = await queries.manager_addresses(booking["owner_organisation_id"])
    await _send(managers, kind, booking)


async def tell_booker(booking: dict[str, Any], kind: str, reason: str = "") -> None:
    """Approved / declined / cancelled → the person who booked."""
    person = await queries.user_address(booking["user_id"])
    if person:
        await _send([person], kind, booking, reason)


async def tell_owner(booking: dict[str, Any], kind: str, reason: str = "") -> None:
    await _send(await queries.manager_addresses(booking["owner_organisation_id"]), kind, booking, reason)
