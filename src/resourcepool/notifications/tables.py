"""Piccolo table of the email outbox. The schema itself is in migrations/."""

from piccolo.columns import UUID, BigSerial, Integer, Text, Timestamptz
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from resourcepool.db.engine import DB


class OutboxMessage(Table, tablename="outbox_message", db=DB):
    id = BigSerial(primary_key=True)
    to_address = Text()
    to_name = Text(default="")
    subject = Text()
    body_text = Text()
    ics = Text(null=True, default=None)
    ics_method = Text(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    next_attempt_at = Timestamptz(default=TimestamptzNow())
    attempts = Integer(default=0)
    sent_at = Timestamptz(null=True, default=None)
    last_error = Text(default="")
    lease_token = UUID(null=True, default=None)
