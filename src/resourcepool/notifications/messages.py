"""Every email the app sends, as English source strings translated through the gettext
catalogues (`i18n`), in the recipient's language.

A message is a subject and a body of paragraphs, each paragraph one msgid with %(name)s
placeholders; "" is an empty line. Dates are formatted by the caller with Babel
(`i18n.format_span(..., language=…)`) in the recipient's language and the network's
timezone, and passed in as values. Plain text with each link on a line of its own, so any mail
client shows it clickably. tests/unit/test_email_messages.py renders every kind in both
languages and fails on a paragraph without a German translation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from resourcepool import i18n
from resourcepool.errors import N_


@dataclass(frozen=True)
class Message:
    subject: str
    body: tuple[str, ...]


_GREETING = N_("Hello %(name)s,")

MESSAGES: dict[str, Message] = {
    # --- accounts and organisations ---
    "invitation": Message(
        N_("Invitation to %(organisation)s on resourcepool"),
        (_GREETING, "",
         N_("%(inviter)s has invited you to \"%(organisation)s\" on resourcepool, where the "
            "organisations of a neighbourhood share rooms, vehicles, devices and expertise."), "",
         N_("Set your password with this link (valid for 7 days):"), "", "%(url)s", "",
         N_("If you did not expect this invitation, you can ignore this message."))),
    "membership_offer": Message(
        N_("Invitation to %(organisation)s"),
        (_GREETING, "",
         N_("%(inviter)s invites you to join \"%(organisation)s\" on resourcepool (role: %(role)s)."), "",
         N_("Sign in to accept or decline the invitation on your account page (within 30 days):"), "",
         "%(url)s", "",
         N_("If you have no password yet, use the link of your first invitation or \"Forgot your "
            "password?\" on the sign-in page."))),
    "verified": Message(
        N_("%(organisation)s is verified in %(network)s"),
        (_GREETING, "",
         N_("the coordinators have verified \"%(organisation)s\" in %(network)s. You can now book "
            "and offer your own resources."), "%(note)s", "%(url)s")),
    "rejected": Message(
        N_("Your application to %(network)s"),
        (_GREETING, "",
         N_("the coordinators have declined \"%(organisation)s\"'s application to %(network)s."), "",
         N_("Reason: %(note)s"), "", "%(url)s")),
    "verify_again": Message(
        N_("Please verify again: %(organisation)s"),
        (_GREETING, "",
         N_("the coordinators of %(changed_by)s have changed the name or sector of "
            "\"%(organisation)s\". It is therefore waiting for your verification in %(network)s "
            "again; until then it cannot make new bookings there. Its existing bookings stay as "
            "they are."), "", "%(url)s")),
    "application": Message(
        N_("New application: %(organisation)s"),
        (_GREETING, "",
         N_("\"%(organisation)s\" wants to join %(network)s and is waiting for your verification."), "",
         "%(url)s")),
    "password_reset": Message(
        N_("Set a new password for resourcepool"),
        (_GREETING, "",
         N_("someone (hopefully you) asked to set a new password for your resourcepool account."),
         N_("Open this link within one hour to choose it:"), "", "%(link)s", "",
         N_("If you did not ask for this, you can ignore this message; your password stays as it is."))),
    # --- bookings, to the owner's managers ---
    "requested": Message(
        N_("Booking request: %(asset)s on %(when)s"),
        (N_("%(organisation)s asks to book %(asset)s on %(when)s."), N_("Purpose: %(purpose)s"), "",
         N_("Please approve or decline the request: %(link)s"))),
    "confirmed_owner": Message(
        N_("New booking: %(asset)s on %(when)s"),
        (N_("%(organisation)s booked %(asset)s on %(when)s."), N_("Purpose: %(purpose)s"), "",
         N_("Details: %(link)s"))),
    "approved_owner": Message(
        N_("Request approved: %(asset)s on %(when)s"),
        (N_("The request of %(organisation)s for %(asset)s on %(when)s has been approved."), "",
         N_("Details: %(link)s"))),
    "declined_owner": Message(
        N_("Request declined: %(asset)s on %(when)s"),
        (N_("The request of %(organisation)s for %(asset)s on %(when)s has been declined."),
         N_("Reason: %(reason)s"), "", N_("Details: %(link)s"))),
    "cancelled_owner": Message(
        N_("Booking cancelled: %(asset)s on %(when)s"),
        (N_("The booking of %(asset)s on %(when)s by %(organisation)s was cancelled."),
         N_("Reason: %(reason)s"), "", N_("Details: %(link)s"))),
    "expired_owner": Message(
        N_("Request expired: %(asset)s on %(when)s"),
        (N_("The request of %(organisation)s for %(asset)s on %(when)s was not decided before "
            "its start and has expired."), "", N_("Details: %(link)s"))),
    # --- bookings, to the person who booked ---
    "request_received": Message(
        N_("Request sent: %(asset)s on %(when)s"),
        (N_("Your request for %(asset)s on %(when)s has been sent to %(owner)s."),
         N_("You will get an email as soon as they approve or decline it."), "",
         N_("Details: %(link)s"))),
    "approved": Message(
        N_("Booking confirmed: %(asset)s on %(when)s"),
        (N_("Your booking of %(asset)s on %(when)s is confirmed."), "",
         N_("Details and usage instructions: %(link)s"))),
    "declined": Message(
        N_("Booking declined: %(asset)s on %(when)s"),
        (N_("Your booking request for %(asset)s on %(when)s was declined."), N_("Reason: %(reason)s"),
         "", N_("Details: %(link)s"))),
    "cancelled": Message(
        N_("Booking cancelled: %(asset)s on %(when)s"),
        (N_("The booking of %(asset)s on %(when)s was cancelled."), N_("Reason: %(reason)s"), "",
         N_("Details: %(link)s"))),
    "expired": Message(
        N_("Request expired: %(asset)s on %(when)s"),
        (N_("Your request for %(asset)s on %(when)s was not decided before its start and has "
            "expired."), "", N_("Details: %(link)s"))),
    "reminder": Message(
        N_("Reminder: %(asset)s on %(when)s"),
        (N_("This is a reminder of your booking of %(asset)s on %(when)s."), "%(where)s", "",
         N_("Details and usage instructions: %(link)s"), "",
         N_("You can change or switch off reminders on your account page: %(settings)s"))),
}
# A series is told in one message: the dates follow the body, one per line.
SERIES_DATES = N_("All dates:")

ROLE_NAMES = {"member": N_("member"), "manager": N_("manager")}


def render(kind: str, language: str | None, **values: Any) -> tuple[str, str]:
    """(subject, body) of a message kind in the recipient's language (German by default)."""
    language = language if language in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE
    if "role" in values:
        values["role"] = i18n.gettext(ROLE_NAMES.get(values["role"], values["role"]), language)
    if "note" in values:
        values["note"] = values["note"] or ""
    message = MESSAGES[kind]
    subject = i18n.translate(message.subject, values, language)
    lines = [i18n.translate(line, values, language) if line else "" for line in message.body]
    return subject, "\n".join(lines) + "\n"


def paragraph(msgid: str, language: str | None, **values: Any) -> str:
    """One more translated paragraph for a body (e.g. the list of a series' dates)."""
    return i18n.translate(msgid, values,
                          language if language in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE)
