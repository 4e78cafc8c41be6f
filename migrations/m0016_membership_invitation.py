"""Membership invitations: a person who already has an account joins an organisation only
once they accept. New people still get an account and an invitation link at once (m0001).

Also the recipient's name on outbox messages, for a personal To header ("Anna Becker <…>").
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from resourcepool.db.migrate import execute_sql

ID = "2026-11-30T16:00:16:000000"
VERSION = "1.38.0"
DESCRIPTION = "membership_invitation"

SQL = r"""
CREATE TABLE membership_invitation (
    id bigserial PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
    organisation_id bigint NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
    role text NOT NULL CHECK (role IN ('member', 'manager')),
    invited_by bigint REFERENCES app_user(id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    -- One open invitation per person and organisation; accepting or declining deletes it.
    UNIQUE (user_id, organisation_id)
);
CREATE INDEX membership_invitation_org ON membership_invitation (organisation_id);

ALTER TABLE outbox_message ADD COLUMN to_name text NOT NULL DEFAULT '' CHECK (char_length(to_name) <= 200);
"""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="resourcepool", description=DESCRIPTION)

    async def run():
        await execute_sql(SQL)

    manager.add_raw(run)
    return manager
