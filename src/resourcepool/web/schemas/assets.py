"""msgspec Structs of the asset API (creating, changing and reading one asset)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from msgspec import UNSET, UnsetType


class OpeningHoursIn(msgspec.Struct, forbid_unknown_fields=True):
    weekday: int  # 0 = Monday … 6 = Sunday
    start: str  # "HH:MM"
    end: str  # "HH:MM", up to "24:00"


class PolicyIn(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Booking policy; fields left out keep their value (or the kind's default when creating)."""

    approval_required: bool | UnsetType = UNSET
    min_duration_minutes: int | UnsetType = UNSET
    max_duration_minutes: int | UnsetType = UNSET
    slot_minutes: int | UnsetType = UNSET
    lead_time_minutes: int | UnsetType = UNSET
    horizon_days: int | UnsetType = UNSET
    buffer_before_minutes: int | UnsetType = UNSET
    buffer_after_minutes: int | UnsetType = UNSET
    cancellation_deadline_hours: int | UnsetType = UNSET
    allowed_sectors: list[str] | None | UnsetType = UNSET
    allowed_organisation_ids: list[int] | None | UnsetType = UNSET
    credits_per_hour: int | UnsetType = UNSET
    replacement_value_per_hour_cents: int | UnsetType = UNSET


class _AssetFields(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    description: str | UnsetType = UNSET
    address: str | UnsetType = UNSET
    district: str | UnsetType = UNSET
    latitude: float | None | UnsetType = UNSET
    longitude: float | None | UnsetType = UNSET
    usage_instructions: str | UnsetType = UNSET
    # room
    capacity: int | None | UnsetType = UNSET
    area_m2: int | None | UnsetType = UNSET
    accessibility: list[str] | UnsetType = UNSET
    # vehicle
    seats: int | None | UnsetType = UNSET
    licence_class: str | UnsetType = UNSET
    cargo_volume_l: int | None | UnsetType = UNSET
    fuel: str | None | UnsetType = UNSET
    # device
    category: str | UnsetType = UNSET
    quantity: int | UnsetType = UNSET
    # expertise
    topics: list[str] | UnsetType = UNSET
    languages: list[str] | UnsetType = UNSET
    delivery: str | None | UnsetType = UNSET
    status: str | UnsetType = UNSET
    networks: list[str] | UnsetType = UNSET  # network slugs
    opening_hours: list[OpeningHoursIn] | UnsetType = UNSET
    policy: PolicyIn | UnsetType = UNSET


class AssetCreate(_AssetFields, kw_only=True):
    organisation_id: int
    kind: str  # room | vehicle | device | expertise
    title: str


class AssetPatch(_AssetFields, kw_only=True):
    title: str | UnsetType = UNSET


class OpeningHoursPut(msgspec.Struct, forbid_unknown_fields=True):
    opening_hours: list[OpeningHoursIn]


class ClosureIn(msgspec.Struct, forbid_unknown_fields=True):
    """`start`/`end` as local date-times in the asset's timezone ("2026-12-24T00:00") or RFC 3339."""

    start: str
    end: str
    rrule: str | None = None
    reason: str = ""


class OpeningHoursOut(msgspec.Struct):
    weekday: int
    start: str
    end: str


class ClosureOut(msgspec.Struct):
    id: int
    start: datetime
    end: datetime
    rrule: str | None
    reason: str


class NetworkRef(msgspec.Struct):
    id: int
    slug: str
    name: str


class PolicyOut(msgspec.Struct):
    approval_required: bool
    min_duration_minutes: int
    max_duration_minutes: int
    slot_minutes: int
    lead_time_minutes: int
    horizon_days: int
    buffer_before_minutes: int
    buffer_after_minutes: int
    cancellation_deadline_hours: int
    allowed_sectors: list[str] | None
    allowed_organisation_ids: list[int] | None
    credits_per_hour: int
    replacement_value_per_hour_cents: int


class AssetOut(msgspec.Struct):
    id: int
    organisation_id: int
    kind: str
    title: str
    description: str
    status: str
    timezone: str
    address: str
    district: str
    latitude: float | None
    longitude: float | None
    usage_instructions: str | None  # only for members of the owning organisation
    quantity: int
    capacity: int | None
    area_m2: int | None
    accessibility: list[str]
    seats: int | None
    licence_class: str
    cargo_volume_l: int | None
    fuel: str | None
    category: str
    topics: list[str]
    languages: list[str]
    delivery: str | None
    networks: list[NetworkRef]
    opening_hours: list[OpeningHoursOut]
    closures: list[ClosureOut]
    policy: PolicyOut
    photo_url: str | None
    can_manage: bool
    created_at: datetime
    updated_at: datetime


def to_changes(payload: _AssetFields) -> dict[str, Any]:
    """The fields that were sent, flat as the asset service takes them."""
    changes = {f: getattr(payload, f) for f in payload.__struct_fields__
               if getattr(payload, f) is not UNSET}
    policy = changes.pop("policy", None)
    if policy is not None:
        changes.update({f: getattr(policy, f) for f in policy.__struct_fields__
                        if getattr(policy, f) is not UNSET})
    hours = changes.get("opening_hours")
    if hours is not None:
        changes["opening_hours"] = [(h.weekday, h.start, h.end) for h in hours]
    return changes
