"""Bookings: series, bookings with the no-double-booking constraint, history, idempotency."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from resourcepool.db.migrate import execute_sql

ID = "2026-11-23T16:00:03:000000"
VERSION = "1.38.0"
DESCRIPTION = "bookings"

SQL = r"""
CREATE TABLE booking_series (
    id bigserial PRIMARY KEY,
    asset_id bigint NOT NULL REFERENCES asset(id) ON DELETE CASCADE,
    organisation_id bigint NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
    user_id bigint NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
    rrule text NOT NULL CHECK (char_length(rrule) <= 500),
    timezone text NOT NULL,
    first_start timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE booking (
    id bigserial PRIMARY KEY,
    asset_id bigint NOT NULL REFERENCES asset(id) ON DELETE CASCADE,
    organisation_id bigint NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
    user_id bigint NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
    series_id bigint REFERENCES booking_series(id) ON DELETE SET NULL,
    starts_at timestamptz NOT NULL,
    ends_at timestamptz NOT NULL,
    -- The span the booking keeps from others: [starts_at - buffer_before, ends_at + buffer_after).
    held_from timestamptz NOT NULL,
    held_until timestamptz NOT NULL,
    quantity integer NOT NULL DEFAULT 1 CHECK (quantity BETWEEN 1 AND 10000),
    -- True when the asset has a single unit: then the exclusion constraint below guards it.
    exclusive boolean NOT NULL,
    purpose text NOT NULL CHECK (char_length(purpose) BETWEEN 1 AND 500),
    attendees integer CHECK (attendees BETWEEN 1 AND 100000),
    status text NOT NULL CHECK (status IN ('requested', 'confirmed', 'declined', 'cancelled', 'expired', 'completed', 'no_show')),
    status_reason text NOT NULL DEFAULT '' CHECK (char_length(status_reason) <= 2000),
    cancelled_late boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at),
    CHECK (held_from <= starts_at AND held_until >= ends_at),
    -- No double booking: singleton int8range because the embedded server has no btree_gist.
    CONSTRAINT booking_no_overlap EXCLUDE USING gist (
        int8range(asset_id, asset_id, '[]') WITH =,
        tstzrange(held_from, held_until, '[)') WITH &&
    ) WHERE (exclusive AND status IN ('requested', 'confirmed'))
);
-- Same expressions as the constraint so range queries of non-exclusive holds use an index too.
CREATE INDEX booking_asset_span ON booking USING gist (
    int8range(asset_id, asset_id, '[]'),
    tstzrange(held_from, held_until, '[)')
) WHERE status IN ('requested', 'confirmed');
CREATE INDEX booking_asset_start ON booking (asset_id, starts_at);
CREATE INDEX booking_org_start ON booking (organisation_id, starts_at);
CREATE INDEX booking_user_start ON booking (user_id, starts_at);
CREATE INDEX booking_series_idx ON booking (series_id) WHERE series_id IS NOT NULL;
CREATE INDEX booking_due ON booking (status, ends_at) WHERE status IN ('requested', 'confirmed');

CREATE TABLE booking_event (
    id bigserial PRIMARY KEY,
    booking_id bigint NOT NULL REFERENCES booking(id) ON DELETE CASCADE,
    at timestamptz NOT NULL DEFAULT now(),
    actor_user_id bigint REFERENCES app_user(id) ON DELETE SET NULL,
    from_status text,
    to_status text NOT NULL,
    reason text NOT NULL DEFAULT '' CHECK (char_length(reason) <= 2000)
);
CREATE INDEX booking_event_booking ON booking_event (booking_id, at);

CREATE TABLE idempotency_key (
    id bigserial PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
    endpoint text NOT NULL,
    key text NOT NULL CHECK (char_length(key) BETWEEN 1 AND 255),
    request_hash text NOT NULL,
    status_code integer,
    response_body jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, endpoint, key)
);
CREATE INDEX idempotency_key_created ON idempotency_key (created_at);
"""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="resourcepool", description=DESCRIPTION)

    async def run():
        await execute_sql(SQL)

    manager.add_raw(run)
    return manager
