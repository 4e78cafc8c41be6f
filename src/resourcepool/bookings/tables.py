"""Piccolo tables of bookings. The schema (with the no-overlap constraint) is in migrations/."""

from piccolo.columns import (
    JSONB,
    BigInt,
    BigSerial,
    Boolean,
    ForeignKey,
    Integer,
    Text,
    Timestamptz,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from resourcepool.accounts.tables import AppUser
from resourcepool.assets.tables import Asset
from resourcepool.db.engine import DB
from resourcepool.organisations.tables import Organisation

STATUSES = ("requested", "confirmed", "declined", "cancelled", "expired", "completed", "no_show")
HOLDING = ("requested", "confirmed")


class BookingSeries(Table, tablename="booking_series", db=DB):
    id = BigSerial(primary_key=True)
    asset_id = ForeignKey(references=Asset, db_column_name="asset_id", null=False)
    organisation_id = ForeignKey(references=Organisation, db_column_name="organisation_id", null=False)
    user_id = ForeignKey(references=AppUser, db_column_name="user_id", null=False)
    rrule = Text()
    timezone = Text()
    first_start = Timestamptz()
    created_at = Timestamptz(default=TimestamptzNow())


class Booking(Table, tablename="booking", db=DB):
    id = BigSerial(primary_key=True)
    asset_id = ForeignKey(references=Asset, db_column_name="asset_id", null=False)
    organisation_id = ForeignKey(references=Organisation, db_column_name="organisation_id", null=False)
    user_id = ForeignKey(references=AppUser, db_column_name="user_id", null=False)
    series_id = BigInt(null=True, default=None)
    network_id = BigInt()
    starts_at = Timestamptz()
    ends_at = Timestamptz()
    held_from = Timestamptz()
    held_until = Timestamptz()
    quantity = Integer(default=1)
    exclusive = Boolean()
    purpose = Text()
    attendees = Integer(null=True, default=None)
    status = Text()
    status_reason = Text(default="")
    cancelled_late = Boolean(default=False)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class BookingEvent(Table, tablename="booking_event", db=DB):
    id = BigSerial(primary_key=True)
    booking_id = BigInt()
    at = Timestamptz(default=TimestamptzNow())
    actor_user_id = BigInt(null=True, default=None)
    from_status = Text(null=True, default=None)
    to_status = Text()
    reason = Text(default="")


class IdempotencyKey(Table, tablename="idempotency_key", db=DB):
    id = BigSerial(primary_key=True)
    user_id = BigInt()
    endpoint = Text()
    key = Text()
    request_hash = Text()
    status_code = Integer(null=True, default=None)
    response_body = JSONB(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
