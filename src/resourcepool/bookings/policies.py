"""Pure booking-policy checks: may this organisation book this asset for [start, end)?

No database, no I/O: the service loads an `AssetPolicy` and a `Booker`, passes the time
`now` and a function telling whether a span lies within opening hours and outside closures.
Each refusal is a `PolicyViolation` naming its `rule` and the form `field` it belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable
from zoneinfo import ZoneInfo

from resourcepool.errors import N_, PolicyViolation, ValidationFailed
from resourcepool.textrules import check_year, clean_text

MAX_PURPOSE = 500
MAX_ATTENDEES = 100000

# The opening check answers "opening_hours" or "closure" when the span is not bookable, else None.
OpeningCheck = Callable[[datetime, datetime], "str | None"]


@dataclass(frozen=True)
class AssetPolicy:
    """An asset's booking policy, as read from its row."""

    id: int
    organisation_id: int
    status: str = "active"
    timezone: str = "Europe/Berlin"
    quantity: int = 1
    approval_required: bool = False
    min_duration_minutes: int = 30
    max_duration_minutes: int = 1440
    slot_minutes: int = 30
    lead_time_minutes: int = 0
    horizon_days: int = 365
    buffer_before_minutes: int = 0
    buffer_after_minutes: int = 0
    cancellation_deadline_hours: int = 24
    allowed_sectors: tuple[str, ...] | None = None
    allowed_organisation_ids: tuple[int, ...] | None = None
    network_ids: frozenset[int] = frozenset()

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def held_span(self, start: datetime, end: datetime) -> tuple[datetime, datetime]:
        """The span a booking keeps from others: buffers included."""
        return (start - timedelta(minutes=self.buffer_before_minutes),
                end + timedelta(minutes=self.buffer_after_minutes))


@dataclass(frozen=True)
class Booker:
    """The organisation that books: its sector and the networks where it is verified."""

    organisation_id: int
    sector: str
    verified_network_ids: frozenset[int] = field(default_factory=frozenset)


def check_input(start: datetime, end: datetime, quantity: int, purpose: str,
                attendees: int | None) -> str:
    """Shape of the request itself, independent of the asset; returns the purpose as stored."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValidationFailed(N_("Times need a timezone offset."), field="start")
    check_year(start, "start")
    check_year(end, "end")
    if end <= start:
        raise ValidationFailed(N_("The end must be after the start."), field="end")
    if quantity < 1:
        raise ValidationFailed(N_("The quantity must be at least 1."), field="quantity")
    # NUL and other control characters would reach PostgreSQL (a 500); refused here by name.
    text = clean_text(purpose, "purpose", max_length=MAX_PURPOSE, multiline=True)
    if not text:
        raise ValidationFailed(N_("Please say what the booking is for."), field="purpose")
    if attendees is not None and not 1 <= attendees <= MAX_ATTENDEES:
        raise ValidationFailed(N_("The number of attendees must be between 1 and %(max)s."),
                               field="attendees", max=MAX_ATTENDEES)
    return text


def _aligned(moment: datetime, tz: ZoneInfo, slot_minutes: int) -> bool:
    local = moment.astimezone(tz)
    if local.second or local.microsecond:
        return False
    return (local.hour * 60 + local.minute) % slot_minutes == 0


def booking_network(asset: AssetPolicy, booker: Booker) -> int:
    """The network a booking is made under (its credit ledger and statistics): the first one
    that offers the asset and has verified the booker (check_who makes sure there is one)."""
    common = asset.network_ids & booker.verified_network_ids
    return min(common) if common else min(asset.network_ids)


def check_who(asset: AssetPolicy, booker: Booker) -> None:
    """May this organisation book this asset at all (status, networks, sectors, allow-list)?"""
    if asset.status != "active":
        raise PolicyViolation(N_("This asset cannot be booked at the moment."), field="asset_id",
                              rule="asset_inactive")
    if not (asset.network_ids & booker.verified_network_ids):
        raise PolicyViolation(
            N_("Your organisation must be verified in one of the asset's networks to book it."),
            field="organisation_id", rule="organisation_not_verified")
    if asset.allowed_organisation_ids is not None and asset.allowed_sectors is not None:
        # Both lists set: being on either one is enough.
        if (booker.organisation_id not in asset.allowed_organisation_ids
                and booker.sector not in asset.allowed_sectors):
            raise PolicyViolation(N_("Your organisation may not book this asset."),
                                  field="organisation_id", rule="organisation_not_allowed")
    elif asset.allowed_organisation_ids is not None:
        if booker.organisation_id not in asset.allowed_organisation_ids:
            raise PolicyViolation(N_("Your organisation may not book this asset."),
                                  field="organisation_id", rule="organisation_not_allowed")
    elif asset.allowed_sectors is not None and booker.sector not in asset.allowed_sectors:
        raise PolicyViolation(N_("Organisations of your sector may not book this asset."),
                              field="organisation_id", rule="sector_not_allowed")


def check_shape(asset: AssetPolicy, start: datetime, end: datetime, quantity: int) -> None:
    """The rules that do not depend on the date: quantity, duration, slot steps."""
    if end <= start:
        raise ValidationFailed(N_("The end must be after the start."), field="end")
    if quantity > asset.quantity:
        raise PolicyViolation(N_("Only %(quantity)s units of this asset exist."), field="quantity",
                              rule="quantity", quantity=asset.quantity)
    minutes = (end - start).total_seconds() / 60
    if minutes < asset.min_duration_minutes:
        raise PolicyViolation(N_("A booking must last at least %(minutes)s minutes."), field="end",
                              rule="min_duration", minutes=asset.min_duration_minutes)
    if minutes > asset.max_duration_minutes:
        raise PolicyViolation(N_("A booking may last at most %(minutes)s minutes."), field="end",
                              rule="max_duration", minutes=asset.max_duration_minutes)
    tz = asset.tz
    if not _aligned(start, tz, asset.slot_minutes):
        raise PolicyViolation(N_("The start must be on a %(minutes)s-minute step."), field="start",
                              rule="slot", minutes=asset.slot_minutes)
    if not _aligned(end, tz, asset.slot_minutes):
        raise PolicyViolation(N_("The end must be on a %(minutes)s-minute step."), field="end",
                              rule="slot", minutes=asset.slot_minutes)


def check_when(asset: AssetPolicy, start: datetime, end: datetime, quantity: int, now: datetime,
               opening: OpeningCheck | None = None) -> None:
    """The time-and-size rules for one span; raises the first rule broken."""
    if end <= start:
        raise ValidationFailed(N_("The end must be after the start."), field="end")
    if start < now:
        raise PolicyViolation(N_("The start lies in the past."), field="start", rule="start_in_past")
    check_shape(asset, start, end, quantity)
    if start < now + timedelta(minutes=asset.lead_time_minutes):
        raise PolicyViolation(N_("This asset must be booked at least %(minutes)s minutes ahead."),
                              field="start", rule="lead_time", minutes=asset.lead_time_minutes)
    if end > now + timedelta(days=asset.horizon_days):
        raise PolicyViolation(N_("This asset can be booked at most %(days)s days ahead."),
                              field="start", rule="horizon", days=asset.horizon_days)
    if opening is not None:
        problem = opening(start, end)
        if problem == "closure":
            raise PolicyViolation(N_("The asset is closed at that time."), field="start",
                                  rule="closure")
        if problem is not None:
            raise PolicyViolation(N_("The time lies outside the opening hours."), field="start",
                                  rule="opening_hours")


def check_request(asset: AssetPolicy, booker: Booker, start: datetime, end: datetime,
                  quantity: int, now: datetime, opening: OpeningCheck | None = None) -> None:
    """Every policy for one booking request; raises the first rule broken."""
    check_who(asset, booker)
    check_when(asset, start, end, quantity, now, opening)


def initial_status(asset: AssetPolicy) -> str:
    return "requested" if asset.approval_required else "confirmed"


def is_late_cancellation(asset_deadline_hours: int, start: datetime, now: datetime) -> bool:
    """Cancelling after the deadline (fewer than N hours before the start) counts as late."""
    return now > start - timedelta(hours=asset_deadline_hours)


NO_SHOW_GRACE = timedelta(hours=48)


def may_mark_no_show(start: datetime, now: datetime) -> bool:
    """A no-show can be recorded once the start has passed, for a grace period."""
    return start <= now <= start + NO_SHOW_GRACE
