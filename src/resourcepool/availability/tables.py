"""Piccolo tables of opening hours and closures. The schema itself is in migrations/.

Busy times (`asset_busy`) and external calendars have no Table class: they are read and
written with raw SQL (availability/queries.py, availability/materialise.py, calendar_feeds/).
"""

from piccolo.columns import BigSerial, ForeignKey, Integer, SmallInt, Text, Timestamptz
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from resourcepool.assets.tables import Asset
from resourcepool.db.engine import DB


class OpeningHours(Table, tablename="opening_hours", db=DB):
    id = BigSerial(primary_key=True)
    asset_id = ForeignKey(references=Asset, db_column_name="asset_id", null=False)
    weekday = SmallInt()
    start_minute = Integer()
    end_minute = Integer()


class Closure(Table, tablename="closure", db=DB):
    id = BigSerial(primary_key=True)
    asset_id = ForeignKey(references=Asset, db_column_name="asset_id", null=False)
    starts_at = Timestamptz()
    ends_at = Timestamptz()
    rrule = Text(null=True, default=None)
    reason = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())
    # Recurring: occurrences are in asset_busy up to here (migration m0040).
    materialised_until = Timestamptz(null=False)
