"""Piccolo tables of users and their credentials. The schema itself is in migrations/."""

from piccolo.columns import BigInt, BigSerial, Boolean, Text, Timestamptz
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from resourcepool.db.engine import DB


class AppUser(Table, tablename="app_user", db=DB):
    id = BigSerial(primary_key=True)
    email = Text()
    name = Text()
    password_hash = Text(null=True, default=None)
    locale = Text(null=True, default=None)
    is_active = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())
    password_changed_at = Timestamptz(null=True, default=None)


class WebSession(Table, tablename="web_session", db=DB):
    id = BigSerial(primary_key=True)
    token_hash = Text()
    user_id = BigInt()
    created_at = Timestamptz(default=TimestamptzNow())
    last_seen_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    ip = Text(default="")
    user_agent = Text(default="")


class ApiToken(Table, tablename="api_token", db=DB):
    id = BigSerial(primary_key=True)
    user_id = BigInt()
    name = Text()
    token_hash = Text()
    prefix = Text()
    created_at = Timestamptz(default=TimestamptzNow())
    last_used_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)


class LoginAttempt(Table, tablename="login_attempt", db=DB):
    id = BigSerial(primary_key=True)
    email_key = Text()
    ip = Text()
    attempted_at = Timestamptz(default=TimestamptzNow())
    succeeded = Boolean()


class UserToken(Table, tablename="user_token", db=DB):
    id = BigSerial(primary_key=True)
    purpose = Text()
    token_hash = Text()
    user_id = BigInt()
    organisation_id = BigInt(null=True, default=None)
    created_by = BigInt(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)


