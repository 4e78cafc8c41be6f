"""What a coordinator verified stays verified: an organisation's name and sector.

Once a network has verified an organisation (or is deciding about it), its name and sector change
only through a coordinator of such a network (SPEC §8 Trust). The organisation service checks
this and says so to the user; this trigger makes it hold for every writer. The coordinator's
transaction names them in the transaction-local setting `resourcepool.acting_coordinator`.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from resourcepool.db.migrate import execute_sql

ID = "2026-12-03T18:00:70:000000"
VERSION = "1.38.0"
DESCRIPTION = "verified fields"

SQL = r"""
CREATE FUNCTION organisation_verified_fields() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    actor bigint := nullif(current_setting('resourcepool.acting_coordinator', true), '')::bigint;
BEGIN
    IF EXISTS (SELECT 1 FROM network_organisation no
               WHERE no.organisation_id = OLD.id AND no.status IN ('pending', 'verified'))
       AND NOT EXISTS (SELECT 1 FROM network_organisation no
                       JOIN coordinator c ON c.network_id = no.network_id
                       WHERE no.organisation_id = OLD.id AND no.status IN ('pending', 'verified')
                         AND c.user_id = actor) THEN
        RAISE EXCEPTION 'organisation %: its name and sector were verified; only a coordinator of one of its networks changes them',
            OLD.id USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER organisation_verified_fields BEFORE UPDATE OF name, sector ON organisation
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.sector IS DISTINCT FROM NEW.sector)
    EXECUTE FUNCTION organisation_verified_fields();
"""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="resourcepool", description=DESCRIPTION)

    async def run():
        await execute_sql(SQL)

    manager.add_raw(run)
    return manager
