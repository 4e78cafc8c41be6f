"""Piccolo tables of assets and their photos. The schema itself is in migrations/.

The generated `search_document` column is left out on purpose: Piccolo would try to write it.
"""

from piccolo.columns import (
    Array,
    BigInt,
    BigSerial,
    Boolean,
    Bytea,
    DoublePrecision,
    ForeignKey,
    Integer,
    Text,
    Timestamptz,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from resourcepool.db.engine import DB
from resourcepool.organisations.tables import Network, Organisation

KINDS = ("room", "vehicle", "device", "expertise")
STATUSES = ("draft", "active", "paused", "retired")


class Asset(Table, tablename="asset", db=DB):
    id = BigSerial(primary_key=True)
    organisation_id = ForeignKey(references=Organisation, db_column_name="organisation_id", null=False)
    kind = Text()
    title = Text()
    description = Text(default="")
    status = Text(default="draft")
    timezone = Text(default="Europe/Berlin")
    address = Text(default="")
    district = Text(default="")
    latitude = DoublePrecision(null=True, default=None)
    longitude = DoublePrecision(null=True, default=None)
    usage_instructions = Text(default="")
    quantity = Integer(default=1)
    capacity = Integer(null=True, default=None)
    area_m2 = Integer(null=True, default=None)
    accessibility = Array(Text(), default=list)
    seats = Integer(null=True, default=None)
    licence_class = Text(default="")
    cargo_volume_l = Integer(null=True, default=None)
    fuel = Text(null=True, default=None)
    category = Text(default="")
    topics = Array(Text(), default=list)
    languages = Array(Text(), default=list)
    delivery = Text(null=True, default=None)
    approval_required = Boolean(default=False)
    min_duration_minutes = Integer(default=30)
    max_duration_minutes = Integer(default=1440)
    slot_minutes = Integer(default=30)
    lead_time_minutes = Integer(default=0)
    horizon_days = Integer(default=365)
    buffer_before_minutes = Integer(default=0)
    buffer_after_minutes = Integer(default=0)
    cancellation_deadline_hours = Integer(default=24)
    allowed_sectors = Array(Text(), null=True, default=None)
    allowed_organisation_ids = Array(BigInt(), null=True, default=None)
    credits_per_hour = Integer(default=0)
    replacement_value_per_hour_cents = Integer(default=0)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class AssetNetwork(Table, tablename="asset_network", db=DB):
    id = BigSerial(primary_key=True)
    asset_id = ForeignKey(references=Asset, db_column_name="asset_id", null=False)
    network_id = ForeignKey(references=Network, db_column_name="network_id", null=False)


class AssetPhoto(Table, tablename="asset_photo", db=DB):
    id = BigSerial(primary_key=True)
    asset_id = ForeignKey(references=Asset, db_column_name="asset_id", null=False)
    content_type = Text()
    data = Bytea()
    created_at = Timestamptz(default=TimestamptzNow())
