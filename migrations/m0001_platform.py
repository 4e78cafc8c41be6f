"""Platform: networks, organisations, users, memberships, sessions, tokens, outbox."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from resourcepool.db.migrate import execute_sql

ID = "2026-11-23T16:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "platform"

SQL = r"""
CREATE TABLE network (
    id bigserial PRIMARY KEY,
    slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$'),
    name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    timezone text NOT NULL DEFAULT 'Europe/Berlin' CHECK (char_length(timezone) BETWEEN 1 AND 64),
    locale text NOT NULL DEFAULT 'de' CHECK (locale IN ('de', 'en')),
    public_catalogue boolean NOT NULL DEFAULT false,
    description text NOT NULL DEFAULT '' CHECK (char_length(description) <= 5000),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE organisation (
    id bigserial PRIMARY KEY,
    name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    sector text NOT NULL CHECK (sector IN ('nonprofit', 'business', 'municipality', 'informal')),
    description text NOT NULL DEFAULT '' CHECK (char_length(description) <= 5000),
    address text NOT NULL DEFAULT '' CHECK (char_length(address) <= 500),
    district text NOT NULL DEFAULT '' CHECK (char_length(district) <= 100),
    contact_email text NOT NULL DEFAULT '' CHECK (char_length(contact_email) <= 254),
    contact_phone text NOT NULL DEFAULT '' CHECK (char_length(contact_phone) <= 50),
    website text NOT NULL DEFAULT '' CHECK (char_length(website) <= 500),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE app_user (
    id bigserial PRIMARY KEY,
    email text NOT NULL CHECK (char_length(email) BETWEEN 3 AND 254 AND position('@' IN email) > 1),
    name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    -- NULL until the user sets a password (accepting an invitation).
    password_hash text,
    locale text CHECK (locale IN ('de', 'en')),
    is_active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    password_changed_at timestamptz
);
CREATE UNIQUE INDEX app_user_email_key ON app_user (lower(email));

-- An organisation's place in a network; a coordinator of that network verifies it.
CREATE TABLE network_organisation (
    id bigserial PRIMARY KEY,
    network_id bigint NOT NULL REFERENCES network(id) ON DELETE CASCADE,
    organisation_id bigint NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'verified', 'rejected')),
    applied_at timestamptz NOT NULL DEFAULT now(),
    decided_at timestamptz,
    decided_by bigint REFERENCES app_user(id) ON DELETE SET NULL,
    decision_note text NOT NULL DEFAULT '' CHECK (char_length(decision_note) <= 2000),
    UNIQUE (network_id, organisation_id),
    CHECK ((status = 'pending') = (decided_at IS NULL))
);
CREATE INDEX network_organisation_org ON network_organisation (organisation_id);

CREATE TABLE membership (
    id bigserial PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
    organisation_id bigint NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
    role text NOT NULL CHECK (role IN ('member', 'manager')),
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, organisation_id)
);
CREATE INDEX membership_org ON membership (organisation_id);

CREATE TABLE coordinator (
    id bigserial PRIMARY KEY,
    network_id bigint NOT NULL REFERENCES network(id) ON DELETE CASCADE,
    user_id bigint NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (network_id, user_id)
);
CREATE INDEX coordinator_user ON coordinator (user_id);

-- Server-side sessions; the cookie carries a random token, the table only its SHA-256.
CREATE TABLE web_session (
    id bigserial PRIMARY KEY,
    token_hash text NOT NULL UNIQUE,
    user_id bigint NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    ip text NOT NULL DEFAULT '',
    user_agent text NOT NULL DEFAULT ''
);
CREATE INDEX web_session_user ON web_session (user_id);

CREATE TABLE api_token (
    id bigserial PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
    name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
    token_hash text NOT NULL UNIQUE,
    prefix text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at timestamptz
);
CREATE INDEX api_token_user ON api_token (user_id);

CREATE TABLE login_attempt (
    id bigserial PRIMARY KEY,
    email_key text NOT NULL,
    ip text NOT NULL,
    attempted_at timestamptz NOT NULL DEFAULT now(),
    succeeded boolean NOT NULL
);
CREATE INDEX login_attempt_email ON login_attempt (email_key, attempted_at);
CREATE INDEX login_attempt_ip ON login_attempt (ip, attempted_at);

-- One-time links: invitations and password resets (hashed, expiring, single use).
CREATE TABLE user_token (
    id bigserial PRIMARY KEY,
    purpose text NOT NULL CHECK (purpose IN ('invitation', 'password_reset')),
    token_hash text NOT NULL UNIQUE,
    user_id bigint NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
    organisation_id bigint REFERENCES organisation(id) ON DELETE CASCADE,
    created_by bigint REFERENCES app_user(id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at timestamptz
);
CREATE INDEX user_token_user ON user_token (user_id, purpose);

CREATE TABLE outbox_message (
    id bigserial PRIMARY KEY,
    to_address text NOT NULL CHECK (char_length(to_address) <= 254),
    subject text NOT NULL CHECK (char_length(subject) <= 500),
    body_text text NOT NULL,
    ics text,
    ics_method text CHECK (ics_method IN ('REQUEST', 'CANCEL', 'PUBLISH')),
    created_at timestamptz NOT NULL DEFAULT now(),
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    attempts integer NOT NULL DEFAULT 0,
    sent_at timestamptz,
    last_error text NOT NULL DEFAULT ''
);
CREATE INDEX outbox_message_due ON outbox_message (next_attempt_at) WHERE sent_at IS NULL;
"""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="resourcepool", description=DESCRIPTION)

    async def run():
        await execute_sql(SQL)

    manager.add_raw(run)
    return manager
