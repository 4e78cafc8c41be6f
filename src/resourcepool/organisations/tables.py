"""Piccolo tables of networks and organisations. The schema itself is in migrations/."""

from piccolo.columns import BigInt, BigSerial, Boolean, ForeignKey, Text, Timestamptz
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from resourcepool.accounts.tables import AppUser
from resourcepool.db.engine import DB

SECTORS = ("nonprofit", "business", "municipality", "informal")
NETWORK_STATUSES = ("pending", "verified", "rejected")


class Network(Table, tablename="network", db=DB):
    id = BigSerial(primary_key=True)
    slug = Text()
    name = Text()
    timezone = Text(default="Europe/Berlin")
    locale = Text(default="de")
    public_catalogue = Boolean(default=False)
    description = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())


class Organisation(Table, tablename="organisation", db=DB):
    id = BigSerial(primary_key=True)
    name = Text()
    sector = Text()
    description = Text(default="")
    address = Text(default="")
    district = Text(default="")
    contact_email = Text(default="")
    contact_phone = Text(default="")
    website = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())


class NetworkOrganisation(Table, tablename="network_organisation", db=DB):
    id = BigSerial(primary_key=True)
    network_id = ForeignKey(references=Network, db_column_name="network_id", null=False)
    organisation_id = ForeignKey(references=Organisation, db_column_name="organisation_id", null=False)
    status = Text(default="pending")
    applied_at = Timestamptz(default=TimestamptzNow())
    decided_at = Timestamptz(null=True, default=None)
    decided_by = BigInt(null=True, default=None)
    decision_note = Text(default="")


class Membership(Table, tablename="membership", db=DB):
    id = BigSerial(primary_key=True)
    user_id = ForeignKey(references=AppUser, db_column_name="user_id", null=False)
    organisation_id = ForeignKey(references=Organisation, db_column_name="organisation_id", null=False)
    role = Text()
    created_at = Timestamptz(default=TimestamptzNow())


class MembershipInvitation(Table, tablename="membership_invitation", db=DB):
    """A person who already has an account, invited to an organisation: a member once they accept."""

    id = BigSerial(primary_key=True)
    user_id = ForeignKey(references=AppUser, db_column_name="user_id", null=False)
    organisation_id = ForeignKey(references=Organisation, db_column_name="organisation_id", null=False)
    role = Text()
    invited_by = BigInt(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()


class Coordinator(Table, tablename="coordinator", db=DB):
    id = BigSerial(primary_key=True)
    network_id = ForeignKey(references=Network, db_column_name="network_id", null=False)
    user_id = ForeignKey(references=AppUser, db_column_name="user_id", null=False)
    created_at = Timestamptz(default=TimestamptzNow())
