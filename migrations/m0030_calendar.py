"""Calendars: feed tokens, per-user notification settings, reminders sent once per booking and user."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from resourcepool.db.migrate import execute_sql

ID = "2026-12-03T18:00:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "calendar feeds, notification settings, reminders"

SQL = r"""
-- A subscribable iCalendar feed: the URL carries a random token, the table only its SHA-256.
CREATE TABLE calendar_feed (
    id bigserial PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
    scope text NOT NULL CHECK (scope IN ('asset', 'organisation', 'user')),
    asset_id bigint REFERENCES asset(id) ON DELETE CASCADE,
    organisation_id bigint REFERENCES organisation(id) ON DELETE CASCADE,
    token_hash text NOT NULL UNIQUE CHECK (char_length(token_hash) = 64),
    created_at timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at timestamptz,
    CHECK ((scope = 'asset') = (asset_id IS NOT NULL)),
    CHECK ((scope = 'organisation') = (organisation_id IS NOT NULL))
);
CREATE INDEX calendar_feed_user ON calendar_feed (user_id) WHERE revoked_at IS NULL;

-- Which emails a user wants. No row: the defaults (everything, reminder 24 h before).
CREATE TABLE notification_settings (
    user_id bigint PRIMARY KEY REFERENCES app_user(id) ON DELETE CASCADE,
    -- about the bookings they made: received, confirmed, declined, cancelled, expired
    booking_emails boolean NOT NULL DEFAULT true,
    -- as a manager: requests for and changes to bookings of their organisation's assets
    owner_emails boolean NOT NULL DEFAULT true,
    reminder_minutes integer NOT NULL DEFAULT 1440 CHECK (reminder_minutes IN (0, 120, 1440)),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- One row per reminder sent: the primary key makes "once per booking and user" hold even
-- when two reminder loops in two processes pick the same booking at the same moment.
CREATE TABLE booking_reminder (
    booking_id bigint NOT NULL REFERENCES booking(id) ON DELETE CASCADE,
    user_id bigint NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
    sent_at timestamptz NOT NULL,
    PRIMARY KEY (booking_id, user_id)
);
-- The reminder loop looks for confirmed bookings starting within the next day.
CREATE INDEX booking_confirmed_start ON booking (starts_at) WHERE status = 'confirmed';
"""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="resourcepool", description=DESCRIPTION)

    async def run():
        await execute_sql(SQL)

    manager.add_raw(run)
    return manager
