"""Catalogue search: an expert's topics and languages are found by the full-text search.

`search_document` is a generated column, so it is dropped and added again with the topics
(weight B, like category and district) and languages (weight C). `array_to_string` is only
STABLE in general (an element's text output may depend on settings); for text[] it is not,
and a generated column needs an IMMUTABLE expression, hence the small wrapper.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from resourcepool.db.migrate import execute_sql

ID = "2026-11-30T16:00:15:000000"
VERSION = "1.38.0"
DESCRIPTION = "search_topics"

SQL = r"""
CREATE OR REPLACE FUNCTION asset_words(words text[]) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT coalesce(array_to_string(words, ' '), '') $$;

DROP INDEX IF EXISTS asset_search;
ALTER TABLE asset DROP COLUMN search_document;
ALTER TABLE asset ADD COLUMN search_document tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('german', title), 'A')
    || setweight(to_tsvector('english', title), 'A')
    || setweight(to_tsvector('german', category || ' ' || district), 'B')
    || setweight(to_tsvector('german', asset_words(topics)), 'B')
    || setweight(to_tsvector('english', asset_words(topics)), 'B')
    || setweight(to_tsvector('german', description), 'C')
    || setweight(to_tsvector('english', description), 'C')
    || setweight(to_tsvector('german', asset_words(languages)), 'C')
    || setweight(to_tsvector('english', asset_words(languages)), 'C')
) STORED;
CREATE INDEX asset_search ON asset USING gin (search_document);
"""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="resourcepool", description=DESCRIPTION)

    async def run():
        await execute_sql(SQL)

    manager.add_raw(run)
    return manager
