"""Catalogue and availability: assets with their booking policy, opening hours, closures."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from resourcepool.db.migrate import execute_sql

ID = "2026-11-23T16:00:02:000000"
VERSION = "1.38.0"
DESCRIPTION = "catalogue"

SQL = r"""
CREATE TABLE asset (
    id bigserial PRIMARY KEY,
    organisation_id bigint NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('room', 'vehicle', 'device', 'expertise')),
    title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
    description text NOT NULL DEFAULT '' CHECK (char_length(description) <= 10000),
    status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'paused', 'retired')),
    -- IANA zone in which opening hours and closures are read (the network's).
    timezone text NOT NULL DEFAULT 'Europe/Berlin',
    address text NOT NULL DEFAULT '' CHECK (char_length(address) <= 500),
    district text NOT NULL DEFAULT '' CHECK (char_length(district) <= 100),
    latitude double precision CHECK (latitude BETWEEN -90 AND 90),
    longitude double precision CHECK (longitude BETWEEN -180 AND 180),
    usage_instructions text NOT NULL DEFAULT '' CHECK (char_length(usage_instructions) <= 10000),
    quantity integer NOT NULL DEFAULT 1 CHECK (quantity BETWEEN 1 AND 10000),
    -- room
    capacity integer CHECK (capacity BETWEEN 1 AND 100000),
    area_m2 integer CHECK (area_m2 BETWEEN 1 AND 1000000),
    accessibility text[] NOT NULL DEFAULT '{}',
    -- vehicle
    seats integer CHECK (seats BETWEEN 1 AND 100),
    licence_class text NOT NULL DEFAULT '' CHECK (char_length(licence_class) <= 20),
    cargo_volume_l integer CHECK (cargo_volume_l BETWEEN 0 AND 100000),
    fuel text CHECK (fuel IN ('petrol', 'diesel', 'electric', 'hybrid', 'other')),
    -- device
    category text NOT NULL DEFAULT '' CHECK (char_length(category) <= 100),
    -- expertise
    topics text[] NOT NULL DEFAULT '{}',
    languages text[] NOT NULL DEFAULT '{}',
    delivery text CHECK (delivery IN ('on_site', 'remote', 'both')),
    -- booking policy (enforced by the booking service)
    approval_required boolean NOT NULL DEFAULT false,
    min_duration_minutes integer NOT NULL DEFAULT 30 CHECK (min_duration_minutes BETWEEN 1 AND 525600),
    max_duration_minutes integer NOT NULL DEFAULT 1440 CHECK (max_duration_minutes BETWEEN 1 AND 525600),
    slot_minutes integer NOT NULL DEFAULT 30 CHECK (slot_minutes BETWEEN 1 AND 1440),
    lead_time_minutes integer NOT NULL DEFAULT 0 CHECK (lead_time_minutes BETWEEN 0 AND 525600),
    horizon_days integer NOT NULL DEFAULT 365 CHECK (horizon_days BETWEEN 1 AND 1830),
    buffer_before_minutes integer NOT NULL DEFAULT 0 CHECK (buffer_before_minutes BETWEEN 0 AND 1440),
    buffer_after_minutes integer NOT NULL DEFAULT 0 CHECK (buffer_after_minutes BETWEEN 0 AND 1440),
    cancellation_deadline_hours integer NOT NULL DEFAULT 24 CHECK (cancellation_deadline_hours BETWEEN 0 AND 8760),
    -- NULL means everybody in the asset's networks may book.
    allowed_sectors text[] CHECK (allowed_sectors <@ ARRAY['nonprofit', 'business', 'municipality', 'informal']),
    allowed_organisation_ids bigint[],
    credits_per_hour integer NOT NULL DEFAULT 0 CHECK (credits_per_hour BETWEEN 0 AND 100000000),
    replacement_value_per_hour_cents integer NOT NULL DEFAULT 0 CHECK (replacement_value_per_hour_cents BETWEEN 0 AND 100000000),
    search_document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('german', title), 'A')
        || setweight(to_tsvector('english', title), 'A')
        || setweight(to_tsvector('german', category || ' ' || district), 'B')
        || setweight(to_tsvector('german', description), 'C')
        || setweight(to_tsvector('english', description), 'C')
    ) STORED,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK (max_duration_minutes >= min_duration_minutes)
);
CREATE INDEX asset_org ON asset (organisation_id);
CREATE INDEX asset_kind_status ON asset (kind, status);
CREATE INDEX asset_search ON asset USING gin (search_document);
CREATE INDEX asset_capacity ON asset (capacity) WHERE status = 'active';

CREATE TABLE asset_network (
    id bigserial PRIMARY KEY,
    asset_id bigint NOT NULL REFERENCES asset(id) ON DELETE CASCADE,
    network_id bigint NOT NULL REFERENCES network(id) ON DELETE CASCADE,
    UNIQUE (asset_id, network_id)
);
CREATE INDEX asset_network_network ON asset_network (network_id, asset_id);

CREATE TABLE asset_photo (
    id bigserial PRIMARY KEY,
    asset_id bigint NOT NULL UNIQUE REFERENCES asset(id) ON DELETE CASCADE,
    content_type text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
    data bytea NOT NULL CHECK (octet_length(data) <= 5242880),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Weekly opening hours in the asset's timezone, as minutes from local midnight.
CREATE TABLE opening_hours (
    id bigserial PRIMARY KEY,
    asset_id bigint NOT NULL REFERENCES asset(id) ON DELETE CASCADE,
    weekday smallint NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    start_minute integer NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
    end_minute integer NOT NULL CHECK (end_minute BETWEEN 1 AND 1440),
    CHECK (end_minute > start_minute)
);
CREATE INDEX opening_hours_asset ON opening_hours (asset_id, weekday);

-- Closures: one-off [starts_at, ends_at), or the first occurrence of an RRULE read in the
-- asset's timezone (wall-clock times kept across daylight-saving changes).
CREATE TABLE closure (
    id bigserial PRIMARY KEY,
    asset_id bigint NOT NULL REFERENCES asset(id) ON DELETE CASCADE,
    starts_at timestamptz NOT NULL,
    ends_at timestamptz NOT NULL,
    rrule text CHECK (char_length(rrule) <= 500),
    reason text NOT NULL DEFAULT '' CHECK (char_length(reason) <= 500),
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at)
);
CREATE INDEX closure_asset ON closure (asset_id, starts_at);
"""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="resourcepool", description=DESCRIPTION)

    async def run():
        await execute_sql(SQL)

    manager.add_raw(run)
    return manager
