"""Every booking belongs to one network: the one whose rules (credits, statistics) apply to it.

An asset may be offered in several networks and an organisation verified in several; a booking
is made under the first network (lowest id) that offers the asset and has verified the booking
organisation (the booking service checks that there is one), else — rows written outside the
service, such as old data and benchmark generators — the asset's first network.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from resourcepool.db.migrate import execute_sql

ID = "2026-12-03T18:00:19:000000"
VERSION = "1.38.0"
DESCRIPTION = "booking network"

SQL = r"""
CREATE FUNCTION booking_network(p_asset bigint, p_organisation bigint) RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT coalesce(
        (SELECT min(an.network_id) FROM asset_network an
           JOIN network_organisation no ON no.network_id = an.network_id
          WHERE an.asset_id = p_asset AND no.organisation_id = p_organisation
            AND no.status = 'verified'),
        (SELECT min(an.network_id) FROM asset_network an WHERE an.asset_id = p_asset))
$$;

ALTER TABLE booking ADD COLUMN network_id bigint REFERENCES network(id) ON DELETE CASCADE;
UPDATE booking SET network_id = booking_network(asset_id, organisation_id);
ALTER TABLE booking ALTER COLUMN network_id SET NOT NULL;

-- Writers that know the network pass it (the booking service); others get it filled in.
CREATE FUNCTION booking_fill_network() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.network_id IS NULL THEN
        NEW.network_id := booking_network(NEW.asset_id, NEW.organisation_id);
    END IF;
    IF NEW.network_id IS NULL THEN
        RAISE EXCEPTION 'booking of asset % needs a network: the asset is offered in none',
            NEW.asset_id USING ERRCODE = '23502';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER booking_fill_network BEFORE INSERT ON booking
    FOR EACH ROW EXECUTE FUNCTION booking_fill_network();

CREATE INDEX booking_network_start ON booking (network_id, starts_at);
"""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="resourcepool", description=DESCRIPTION)

    async def run():
        await execute_sql(SQL)

    manager.add_raw(run)
    return manager
