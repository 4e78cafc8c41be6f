"""Texts of the emails this domain sends, in German and English (by the recipient's language).

Kept as plain text with the link on its own line so any mail client shows it clickably.
"""

from __future__ import annotations

from typing import Any

_TEXTS: dict[str, dict[str, tuple[str, str]]] = {
    "invitation": {
        "de": (
            "Einladung zu {organisation} bei resourcepool",
            "Hallo {name},\n\n{inviter} hat Sie zu „{organisation}“ bei resourcepool eingeladen, "
            "der Plattform, auf der Organisationen im Quartier Räume, Fahrzeuge, Geräte und "
            "Fachwissen teilen.\n\nÜber diesen Link legen Sie Ihr Passwort fest (7 Tage gültig):\n\n"
            "{url}\n\nWenn Sie die Einladung nicht erwartet haben, können Sie diese Nachricht ignorieren.\n",
        ),
        "en": (
            "Invitation to {organisation} on resourcepool",
            "Hello {name},\n\n{inviter} has invited you to \"{organisation}\" on resourcepool, where "
            "the organisations of a neighbourhood share rooms, vehicles, devices and expertise.\n\n"
            "Set your password with this link (valid for 7 days):\n\n{url}\n\n"
            "If you did not expect this invitation, you can ignore this message.\n",
        ),
    },
    "membership_offer": {
        "de": (
            "Einladung zu {organisation}",
            "Hallo {name},\n\n{inviter} lädt Sie ein, bei resourcepool „{organisation}“ beizutreten "
            "(Rolle: {role}).\n\nMelden Sie sich an und nehmen Sie die Einladung auf Ihrer Kontoseite an "
            "oder lehnen Sie sie ab (30 Tage lang):\n\n{url}\n\n"
            "Haben Sie noch kein Passwort, nutzen Sie den Link aus Ihrer ersten Einladung oder "
            "„Passwort vergessen?“ auf der Anmeldeseite.\n",
        ),
        "en": (
            "Invitation to {organisation}",
            "Hello {name},\n\n{inviter} invites you to join \"{organisation}\" on resourcepool "
            "(role: {role}).\n\nSign in to accept or decline the invitation on your account page "
            "(within 30 days):\n\n{url}\n\n"
            "If you have no password yet, use the link of your first invitation or "
            "\"Forgot your password?\" on the sign-in page.\n",
        ),
    },
    "verified": {
        "de": (
            "{organisation} ist im {network} bestätigt",
            "Hallo {name},\n\ndie Koordination hat „{organisation}“ im {network} bestätigt. "
            "Sie können jetzt buchen und eigene Ressourcen anbieten.\n{note}\n{url}\n",
        ),
        "en": (
            "{organisation} is verified in {network}",
            "Hello {name},\n\nthe coordinators have verified \"{organisation}\" in {network}. "
            "You can now book and offer your own resources.\n{note}\n{url}\n",
        ),
    },
    "rejected": {
        "de": (
            "Ihre Bewerbung beim {network}",
            "Hallo {name},\n\ndie Koordination hat die Aufnahme von „{organisation}“ in das "
            "{network} abgelehnt.\n\nBegründung: {note}\n\n{url}\n",
        ),
        "en": (
            "Your application to {network}",
            "Hello {name},\n\nthe coordinators have declined \"{organisation}\"'s application to "
            "{network}.\n\nReason: {note}\n\n{url}\n",
        ),
    },
    "verify_again": {
        "de": (
            "Bitte erneut bestätigen: {organisation}",
            "Hallo {name},\n\ndie Koordination von „{changed_by}“ hat Namen oder Bereich von "
            "„{organisation}“ geändert. Deshalb wartet die Organisation in „{network}“ erneut auf "
            "Ihre Bestätigung; bis dahin kann sie dort nicht neu buchen. Ihre bestehenden "
            "Buchungen bleiben, wie sie sind.\n\n{url}\n",
        ),
        "en": (
            "Please verify again: {organisation}",
            "Hello {name},\n\nthe coordinators of {changed_by} have changed the name or sector of "
            "\"{organisation}\". It is therefore waiting for your verification in {network} again; "
            "until then it cannot make new bookings there. Its existing bookings stay as they "
            "are.\n\n{url}\n",
        ),
    },
    "application": {
        "de": (
            "Neue Bewerbung: {organisation}",
            "Hallo {name},\n\n„{organisation}“ möchte dem {network} beitreten und wartet auf "
            "Ihre Bestätigung.\n\n{url}\n",
        ),
        "en": (
            "New application: {organisation}",
            "Hello {name},\n\n\"{organisation}\" wants to join {network} and is waiting for your "
            "verification.\n\n{url}\n",
        ),
    },
}

ROLE_NAMES = {"de": {"member": "Mitglied", "manager": "Verantwortlich"},
              "en": {"member": "member", "manager": "manager"}}


def render(kind: str, language: str | None, **values: Any) -> tuple[str, str]:
    """(subject, body) of a message kind in the recipient's language (German by default)."""
    language = language if language in ("de", "en") else "de"
    if "role" in values:
        values["role"] = ROLE_NAMES[language].get(values["role"], values["role"])
    if "note" in values:
        values["note"] = values["note"] or ""
    subject, body = _TEXTS[kind][language]
    return subject.format(**values), body.format(**values)
