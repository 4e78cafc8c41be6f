"""Every Piccolo `Table` class describes the migrated schema exactly: its table exists, and it has
the same columns with the same types and nullability (the schema itself comes from migrations/,
so a class that drifted would make Piccolo queries write or read what is not there)."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from piccolo.columns import Array, Column, ForeignKey
from piccolo.table import Table

import resourcepool
from resourcepool.db import sql

# Piccolo's column types → PostgreSQL's type names (information_schema.columns.udt_name).
_TYPES = {"BIGSERIAL": "int8", "SERIAL": "int4", "BIGINT": "int8", "INTEGER": "int4",
          "SMALLINT": "int2", "TEXT": "text", "VARCHAR": "varchar", "BOOLEAN": "bool",
          "TIMESTAMPTZ": "timestamptz", "TIMESTAMP": "timestamp", "DATE": "date",
          "DOUBLE PRECISION": "float8", "REAL": "float4", "NUMERIC": "numeric", "BYTEA": "bytea",
          "JSONB": "jsonb", "JSON": "json", "UUID": "uuid", "INTERVAL": "interval", "TIME": "time"}


def _table_classes() -> list[type[Table]]:
    for module in pkgutil.walk_packages(resourcepool.__path__, "resourcepool."):
        if module.name.endswith(".tables"):
            importlib.import_module(module.name)
    found, todo = [], list(Table.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("resourcepool."):
            found.append(cls)
    return sorted(found, key=lambda c: c._meta.tablename)


def _type_of(column: Column) -> str:
    if isinstance(column, Array):
        return "_" + _type_of(column.base_column)
    if isinstance(column, ForeignKey):
        return _type_of(column._foreign_key_meta.resolved_references._meta.primary_key)
    return _TYPES[column.column_type.split("(")[0].upper()]


def test_every_tables_module__is_found():
    names = {c._meta.tablename for c in _table_classes()}
    assert {"booking", "asset", "organisation", "outbox_message", "app_user"} <= names


@pytest.mark.parametrize("table", _table_classes(), ids=lambda c: c._meta.tablename)
async def test_table_class__has_the_migrated_columns_types_and_nullability(app, table):
    rows = await sql.fetch(
        """SELECT column_name, udt_name, is_nullable = 'YES' AS nullable, is_generated = 'ALWAYS' AS generated
           FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1""",
        table._meta.tablename)
    assert rows, f"{table.__name__}: no table {table._meta.tablename!r} in the database"
    in_database = {r["column_name"]: (r["udt_name"], r["nullable"]) for r in rows
                   # A generated column is left out of the class on purpose: Piccolo would write it.
                   if not r["generated"]}
    in_class = {c._meta.db_column_name: (_type_of(c), bool(c._meta.null))
                for c in table._meta.columns}
    assert in_class == in_database
