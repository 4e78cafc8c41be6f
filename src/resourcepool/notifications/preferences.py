"""Per-user notification settings: which emails, and when the reminder before a booking comes.

No row means the defaults: every email, a reminder 24 hours before. Account emails (password
reset, invitations) are always sent; they are not a matter of taste.
"""

from __future__ import annotations

from dataclasses import dataclass

from resourcepool import clock
from resourcepool.db import sql
from resourcepool.errors import N_, ValidationFailed

REMINDER_CHOICES = (0, 120, 1440)  # minutes before the start; 0: no reminder
DEFAULT_REMINDER = 1440


@dataclass(frozen=True)
class Preferences:
    booking_emails: bool = True  # about the bookings they made
    owner_emails: bool = True  # as a manager: about bookings of their organisation's assets
    reminder_minutes: int = DEFAULT_REMINDER


async def get_preferences(user_id: int) -> Preferences:
    row = await sql.fetch_one(
        """SELECT booking_emails, owner_emails, reminder_minutes FROM notification_settings
           WHERE user_id = $1""", user_id)
    return Preferences(**row) if row else Preferences()


def check_reminder(value: object) -> int:
    """The reminder lead in minutes, if it is one of the choices; else ValidationFailed."""
    if isinstance(value, bool) or not isinstance(value, int) or value not in REMINDER_CHOICES:
        raise ValidationFailed(N_("Choose no reminder, 2 hours or 24 hours before."),
                               field="reminder_minutes")
    return value


async def save_preferences(user_id: int, preferences: Preferences) -> Preferences:
    """Store a user's settings (all three at once)."""
    check_reminder(preferences.reminder_minutes)
    await sql.execute(
        """INSERT INTO notification_settings (user_id, booking_emails, owner_emails, reminder_minutes,
                                              updated_at)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (user_id) DO UPDATE SET booking_emails = $2, owner_emails = $3,
                                               reminder_minutes = $4, updated_at = $5""",
        user_id, bool(preferences.booking_emails), bool(preferences.owner_emails),
        preferences.reminder_minutes, clock.now())
    return preferences
