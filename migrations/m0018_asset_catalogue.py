"""Catalogue speed: `asset_catalogue`, one narrow row per asset with what the search tests.

The free-window search used to ask `opening_hours` three correlated sub-queries per candidate
and checked visibility with more per row; on 10,000 assets most of its time went there and into
reading the wide `asset` rows (every column appended later sits behind ~45 others). This table
holds, per asset, just the columns the search filters on, in a cheap order, plus two derived
ones:

* `open_week` — the weekly opening hours as minutes of the week (Monday 00:00 = 0), written
  twice ([0, 10080) and again [10080, 20160)) so a stretch over Sunday midnight is one range
  too; no hours at all means always open, [0, 20160). A window that is one stretch of local
  wall-clock time is open exactly when `open_week @> int4range(start, end)`;
* `network_ids` — the networks the asset is offered in (from asset_network), so "may this
  identity see it?" is an array overlap.

Triggers keep it current for every writer (the services, COPY in `admin generate`, test
factories): statement-level on asset (insert, update), opening_hours and asset_network;
deleting an asset cascades.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from resourcepool.db.migrate import execute_sql

ID = "2026-11-30T16:00:18:000000"
VERSION = "1.38.0"
DESCRIPTION = "asset_catalogue"

SQL = r"""
CREATE TABLE asset_catalogue (
    asset_id bigint PRIMARY KEY REFERENCES asset(id) ON DELETE CASCADE,
    status text NOT NULL,
    quantity integer NOT NULL,
    kind text NOT NULL,
    timezone text NOT NULL,
    network_ids bigint[] NOT NULL DEFAULT '{}',
    organisation_id bigint NOT NULL,
    capacity integer,
    buffer_before_minutes integer NOT NULL,
    buffer_after_minutes integer NOT NULL,
    open_week int4multirange NOT NULL DEFAULT int4multirange(int4range(0, 20160)),
    title_key text NOT NULL,
    district_key text NOT NULL,
    accessibility text[] NOT NULL
);
CREATE INDEX asset_catalogue_capacity ON asset_catalogue (capacity);
CREATE INDEX asset_catalogue_timezone ON asset_catalogue (timezone);
CREATE INDEX asset_catalogue_buffer_before ON asset_catalogue (buffer_before_minutes);
CREATE INDEX asset_catalogue_buffer_after ON asset_catalogue (buffer_after_minutes);

CREATE FUNCTION asset_open_week(p_asset bigint) RETURNS int4multirange
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(range_agg(int4range(h.weekday * 1440 + h.start_minute + w.shift,
                                        h.weekday * 1440 + h.end_minute + w.shift)),
                    int4multirange(int4range(0, 20160)))
    FROM opening_hours h CROSS JOIN (VALUES (0), (10080)) AS w(shift)
    WHERE h.asset_id = p_asset
$$;

CREATE FUNCTION asset_network_ids(p_asset bigint) RETURNS bigint[]
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(an.network_id ORDER BY an.network_id), '{}')
    FROM asset_network an WHERE an.asset_id = p_asset
$$;

INSERT INTO asset_catalogue (asset_id, status, quantity, kind, timezone, network_ids, organisation_id,
                          capacity, buffer_before_minutes, buffer_after_minutes, open_week, title_key,
                          district_key, accessibility)
SELECT a.id, a.status, a.quantity, a.kind, a.timezone, asset_network_ids(a.id), a.organisation_id,
       a.capacity, a.buffer_before_minutes, a.buffer_after_minutes, asset_open_week(a.id), lower(a.title),
       lower(a.district), a.accessibility
FROM asset a;

CREATE FUNCTION asset_catalogue_from_asset() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        -- Hours and networks are written after the asset; their own triggers fill them in.
        INSERT INTO asset_catalogue (asset_id, status, quantity, kind, timezone, network_ids, organisation_id,
                                  capacity, buffer_before_minutes, buffer_after_minutes, open_week,
                                  title_key, district_key, accessibility)
        SELECT n.id, n.status, n.quantity, n.kind, n.timezone, asset_network_ids(n.id), n.organisation_id,
               n.capacity, n.buffer_before_minutes, n.buffer_after_minutes, asset_open_week(n.id),
               lower(n.title), lower(n.district), n.accessibility
        FROM new_rows n;
    ELSE
        UPDATE asset_catalogue s
        SET status = n.status, quantity = n.quantity, kind = n.kind, timezone = n.timezone,
            organisation_id = n.organisation_id, capacity = n.capacity,
            buffer_before_minutes = n.buffer_before_minutes, buffer_after_minutes = n.buffer_after_minutes,
            title_key = lower(n.title), district_key = lower(n.district), accessibility = n.accessibility
        FROM new_rows n
        WHERE s.asset_id = n.id
          AND (s.status, s.quantity, s.kind, s.timezone, s.organisation_id, s.capacity,
               s.buffer_before_minutes, s.buffer_after_minutes, s.title_key, s.district_key, s.accessibility)
              IS DISTINCT FROM
              (n.status, n.quantity, n.kind, n.timezone, n.organisation_id, n.capacity,
               n.buffer_before_minutes, n.buffer_after_minutes, lower(n.title), lower(n.district), n.accessibility);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER asset_catalogue_inserted AFTER INSERT ON asset
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION asset_catalogue_from_asset();
CREATE TRIGGER asset_catalogue_updated AFTER UPDATE ON asset
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION asset_catalogue_from_asset();

CREATE FUNCTION asset_catalogue_hours() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE asset_catalogue SET open_week = asset_open_week(asset_id)
        WHERE asset_id IN (SELECT asset_id FROM new_rows);
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE asset_catalogue SET open_week = asset_open_week(asset_id)
        WHERE asset_id IN (SELECT asset_id FROM old_rows);
    ELSE
        UPDATE asset_catalogue SET open_week = asset_open_week(asset_id)
        WHERE asset_id IN (SELECT asset_id FROM new_rows UNION SELECT asset_id FROM old_rows);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER asset_catalogue_hours_inserted AFTER INSERT ON opening_hours
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION asset_catalogue_hours();
CREATE TRIGGER asset_catalogue_hours_deleted AFTER DELETE ON opening_hours
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION asset_catalogue_hours();
CREATE TRIGGER asset_catalogue_hours_updated AFTER UPDATE ON opening_hours
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION asset_catalogue_hours();

CREATE FUNCTION asset_catalogue_networks() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE asset_catalogue SET network_ids = asset_network_ids(asset_id)
        WHERE asset_id IN (SELECT asset_id FROM new_rows);
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE asset_catalogue SET network_ids = asset_network_ids(asset_id)
        WHERE asset_id IN (SELECT asset_id FROM old_rows);
    ELSE
        UPDATE asset_catalogue SET network_ids = asset_network_ids(asset_id)
        WHERE asset_id IN (SELECT asset_id FROM new_rows UNION SELECT asset_id FROM old_rows);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER asset_catalogue_networks_inserted AFTER INSERT ON asset_network
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION asset_catalogue_networks();
CREATE TRIGGER asset_catalogue_networks_deleted AFTER DELETE ON asset_network
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION asset_catalogue_networks();
CREATE TRIGGER asset_catalogue_networks_updated AFTER UPDATE ON asset_network
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION asset_catalogue_networks();
"""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="resourcepool", description=DESCRIPTION)

    async def run():
        await execute_sql(SQL)

    manager.add_raw(run)
    return manager
