"""Busy times as rows: closure occurrences and imported calendar events in `asset_busy`.

Availability, the week calendar, the free-window search and the booking service used to
expand closure RRULEs in Python on every request (seconds for an asset with many of them).
Now every closure occurrence is a row, written when the closure is added and extended by a
worker job as time passes, and every busy time imported from an external calendar too; the
readers decide from these rows in SQL.

* `asset_busy(asset_id, starts_at, ends_at, closure_id | external_calendar_id, source)` —
  half-open `[starts_at, ends_at)`; `source` is 'closure' or 'external' (generated from which
  reference is set). A closure's occurrences run from its first date (past ones are kept:
  statistics subtract them from opening hours) up to `closure.materialised_until`; deleting
  the closure or the calendar deletes its rows. The composite foreign keys keep `asset_id`
  equal to the closure's or calendar's asset.
* `closure.materialised_until` — for a recurring closure, the instant up to which its
  occurrences are stored ('-infinity': none yet, 'infinity': all); one-off closures are stored
  by a trigger as they are inserted, by any writer.
* `external_calendar` — at most one per asset: an uploaded file or a subscribed URL with the
  content last read, its ETag / Last-Modified, refresh schedule and lease, and the last error
  (a message id with its parameters, translated when shown).

Indexes: the GiST index on (asset as a singleton int8range, span) serves one asset's window —
the same expressions as `booking_asset_span`, since the embedded server has no btree_gist —
and the one on the span alone serves the search's scan of a window over all assets.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from resourcepool.db.migrate import execute_sql

ID = "2026-12-03T18:00:40:000000"
VERSION = "1.38.0"
DESCRIPTION = "asset busy times"

SQL = r"""
ALTER TABLE closure ADD COLUMN materialised_until timestamptz NOT NULL DEFAULT '-infinity';
ALTER TABLE closure ADD CONSTRAINT closure_id_asset UNIQUE (id, asset_id);
CREATE INDEX closure_to_materialise ON closure (materialised_until)
    WHERE rrule IS NOT NULL AND materialised_until < 'infinity';

CREATE TABLE external_calendar (
    id bigserial PRIMARY KEY,
    asset_id bigint NOT NULL UNIQUE REFERENCES asset(id) ON DELETE CASCADE,
    source text NOT NULL CHECK (source IN ('file', 'url')),
    url text CHECK (char_length(url) <= 2000),
    -- The last calendar read (an upload, or the URL's last answer), expanded again as the
    -- horizon moves on and when the URL answers 304 Not Modified.
    content bytea NOT NULL DEFAULT '' CHECK (octet_length(content) <= 2097152),
    etag text CHECK (char_length(etag) <= 500),
    last_modified text CHECK (char_length(last_modified) <= 200),
    busy_count integer NOT NULL DEFAULT 0 CHECK (busy_count >= 0),
    event_count integer NOT NULL DEFAULT 0 CHECK (event_count >= 0),
    -- When the busy times were last read from the source (replaced, or found unchanged).
    refreshed_at timestamptz,
    -- The last attempt to read a subscribed URL, its error (empty: it worked).
    attempted_at timestamptz,
    error text NOT NULL DEFAULT '' CHECK (char_length(error) <= 1000),
    error_params jsonb NOT NULL DEFAULT '{}',
    failures integer NOT NULL DEFAULT 0,
    next_refresh_at timestamptz,
    -- A worker refreshing it holds the lease (no transaction stays open while it fetches).
    lease_token uuid,
    lease_until timestamptz,
    created_by bigint REFERENCES app_user(id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (id, asset_id),
    CHECK ((source = 'url') = (url IS NOT NULL))
);
CREATE INDEX external_calendar_due ON external_calendar (next_refresh_at) WHERE source = 'url';

CREATE TABLE asset_busy (
    id bigserial PRIMARY KEY,
    asset_id bigint NOT NULL REFERENCES asset(id) ON DELETE CASCADE,
    starts_at timestamptz NOT NULL,
    ends_at timestamptz NOT NULL,
    closure_id bigint,
    external_calendar_id bigint,
    source text NOT NULL GENERATED ALWAYS AS (
        CASE WHEN closure_id IS NOT NULL THEN 'closure' ELSE 'external' END) STORED,
    CHECK (ends_at > starts_at),
    CHECK (num_nonnulls(closure_id, external_calendar_id) = 1),
    FOREIGN KEY (closure_id, asset_id) REFERENCES closure (id, asset_id) ON DELETE CASCADE,
    FOREIGN KEY (external_calendar_id, asset_id) REFERENCES external_calendar (id, asset_id)
        ON DELETE CASCADE
);
CREATE INDEX asset_busy_asset_span ON asset_busy USING gist (
    int8range(asset_id, asset_id, '[]'), tstzrange(starts_at, ends_at, '[)'));
CREATE INDEX asset_busy_span ON asset_busy USING gist (tstzrange(starts_at, ends_at, '[)'));
CREATE INDEX asset_busy_closure ON asset_busy (closure_id) WHERE closure_id IS NOT NULL;
CREATE INDEX asset_busy_calendar ON asset_busy (external_calendar_id)
    WHERE external_calendar_id IS NOT NULL;

-- One-off closures are their own single occurrence, whoever inserts them (services, COPY in
-- `admin generate`, the demo, test factories). Recurring ones wait for the materialiser.
CREATE FUNCTION closure_one_off_busy() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO asset_busy (asset_id, starts_at, ends_at, closure_id)
    SELECT n.asset_id, n.starts_at, n.ends_at, n.id FROM new_rows n WHERE n.rrule IS NULL;
    UPDATE closure c SET materialised_until = 'infinity'
    FROM new_rows n WHERE c.id = n.id AND n.rrule IS NULL;
    RETURN NULL;
END $$;
CREATE TRIGGER closure_one_off_inserted AFTER INSERT ON closure
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION closure_one_off_busy();

INSERT INTO asset_busy (asset_id, starts_at, ends_at, closure_id)
SELECT asset_id, starts_at, ends_at, id FROM closure WHERE rrule IS NULL;
UPDATE closure SET materialised_until = 'infinity' WHERE rrule IS NULL;
"""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="resourcepool", description=DESCRIPTION)

    async def run():
        await execute_sql(SQL)

    manager.add_raw(run)
    return manager
