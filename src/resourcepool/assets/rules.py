"""Pure rules for assets: allowed values, kind defaults, field validation, opening hours, closures.

No database and no I/O. Every function raises `errors.ValidationFailed(field=…)` with an
N_-marked message, so the API and the forms show the same text next to the same field.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any, Iterable

from resourcepool.errors import N_, ValidationFailed
from resourcepool.textrules import check_characters, clean_text, has_control_characters

KINDS = ("room", "vehicle", "device", "expertise")
STATUSES = ("draft", "active", "paused", "retired")
ACCESSIBILITY_FEATURES = (
    "step_free", "accessible_toilet", "hearing_loop", "lift", "parking_disabled", "baby_changing",
)
FUELS = ("petrol", "diesel", "electric", "hybrid", "other")
DELIVERIES = ("on_site", "remote", "both")
SECTORS = ("nonprofit", "business", "municipality", "informal")

# Which status may follow which (retiring is final; a draft is activated, not paused).
TRANSITIONS = {
    "draft": ("active", "retired"),
    "active": ("paused", "retired"),
    "paused": ("active", "retired"),
    "retired": (),
}

COMMON_FIELDS = ("title", "description", "address", "district", "latitude", "longitude",
                 "usage_instructions")
KIND_FIELDS = {
    "room": ("capacity", "area_m2", "accessibility"),
    "vehicle": ("seats", "licence_class", "cargo_volume_l", "fuel"),
    "device": ("category", "quantity"),
    "expertise": ("topics", "languages", "delivery"),
}
ALL_KIND_FIELDS = tuple(f for fields in KIND_FIELDS.values() for f in fields)
POLICY_FIELDS = (
    "approval_required", "min_duration_minutes", "max_duration_minutes", "slot_minutes",
    "lead_time_minutes", "horizon_days", "buffer_before_minutes", "buffer_after_minutes",
    "cancellation_deadline_hours", "allowed_sectors", "allowed_organisation_ids",
    "credits_per_hour", "replacement_value_per_hour_cents",
)

_BASE_POLICY: dict[str, Any] = {
    "approval_required": False, "min_duration_minutes": 30, "max_duration_minutes": 1440,
    "slot_minutes": 30, "lead_time_minutes": 0, "horizon_days": 365,
    "buffer_before_minutes": 0, "buffer_after_minutes": 0, "cancellation_deadline_hours": 24,
    "allowed_sectors": None, "allowed_organisation_ids": None,
    "credits_per_hour": 0, "replacement_value_per_hour_cents": 0,
}
_KIND_POLICY: dict[str, dict[str, Any]] = {
    # Rooms: half-hour grid, an hour at least, cleaning time afterwards.
    "room": {"slot_minutes": 30, "min_duration_minutes": 60, "max_duration_minutes": 12 * 60,
             "buffer_after_minutes": 15, "lead_time_minutes": 60,
             "replacement_value_per_hour_cents": 2500},
    # Vehicles: the owner hands over keys, so they approve; half a day to three days.
    "vehicle": {"approval_required": True, "slot_minutes": 60, "min_duration_minutes": 120,
                "max_duration_minutes": 3 * 24 * 60, "buffer_after_minutes": 30,
                "lead_time_minutes": 24 * 60, "cancellation_deadline_hours": 48,
                "replacement_value_per_hour_cents": 1500},
    # Devices: picked up and brought back; whole days are common.
    "device": {"slot_minutes": 60, "min_duration_minutes": 60, "max_duration_minutes": 7 * 24 * 60,
               "lead_time_minutes": 12 * 60, "replacement_value_per_hour_cents": 300},
    # Expertise: people's time, agreed beforehand, in hours.
    "expertise": {"approval_required": True, "slot_minutes": 60, "min_duration_minutes": 60,
                  "max_duration_minutes": 4 * 60, "lead_time_minutes": 48 * 60, "horizon_days": 180,
                  "cancellation_deadline_hours": 48, "replacement_value_per_hour_cents": 6000},
}

# (low, high) for every integer field; None for text limits handled below.
_INT_LIMITS: dict[str, tuple[int, int]] = {
    "quantity": (1, 10000), "capacity": (1, 100000), "area_m2": (1, 1000000), "seats": (1, 100),
    "cargo_volume_l": (0, 100000), "min_duration_minutes": (1, 525600),
    "max_duration_minutes": (1, 525600), "slot_minutes": (1, 1440),
    "lead_time_minutes": (0, 525600), "horizon_days": (1, 1830),
    "buffer_before_minutes": (0, 1440), "buffer_after_minutes": (0, 1440),
    "cancellation_deadline_hours": (0, 8760), "credits_per_hour": (0, 100000000),
    "replacement_value_per_hour_cents": (0, 100000000),
}
_TEXT_LIMITS = {"title": 200, "description": 10000, "address": 500, "district": 100,
                "usage_instructions": 10000, "licence_class": 20, "category": 100}
_MULTILINE = {"description", "usage_instructions"}
_LIST_LIMITS = {"topics": (30, 100), "languages": (20, 50)}  # (items, characters each)


def policy_defaults(kind: str) -> dict[str, Any]:
    """The booking policy a new asset of this kind starts with."""
    return {**_BASE_POLICY, **_KIND_POLICY.get(kind, {})}


def check_kind(kind: Any) -> str:
    if kind not in KINDS:
        raise ValidationFailed(N_("Choose one of the kinds: room, vehicle, device, expertise."),
                               field="kind")
    return kind


def check_transition(current: str, wanted: str) -> None:
    if wanted not in STATUSES:
        raise ValidationFailed(N_("Unknown status."), field="status")
    if wanted != current and wanted not in TRANSITIONS[current]:
        raise ValidationFailed(N_("An asset that is %(current)s cannot become %(wanted)s."),
                               field="status", current=current, wanted=wanted)


def _int(name: str, value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed(N_("Enter a whole number."), field=name)
    low, high = _INT_LIMITS[name]
    if not low <= value <= high:
        raise ValidationFailed(N_("Enter a number from %(low)s to %(high)s."),
                               field=name, low=low, high=high)
    return value


def _text(name: str, value: Any) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationFailed(N_("Enter text."), field=name)
    value = value.strip()
    check_characters(value, name, multiline=name in _MULTILINE)
    limit = _TEXT_LIMITS[name]
    if len(value) > limit:
        raise ValidationFailed(N_("At most %(limit)s characters, please."), field=name, limit=limit)
    if name == "title" and not value:
        raise ValidationFailed(N_("Give the asset a title."), field=name)
    return value


def _choices(name: str, value: Any, allowed: Iterable[str]) -> list[str]:
    allowed = tuple(allowed)
    if value is None:
        return []
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise ValidationFailed(N_("Choose from the list."), field=name)
    unknown = [v for v in value if v not in allowed]
    if unknown:
        raise ValidationFailed(N_("Unknown choice: %(value)s."), field=name, value=", ".join(unknown)[:100])
    return list(dict.fromkeys(value))


def _free_list(name: str, value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise ValidationFailed(N_("Enter a list of words."), field=name)
    items, length = _LIST_LIMITS[name]
    for v in value:
        check_characters(v, name)
    cleaned = list(dict.fromkeys(v.strip() for v in value if v.strip()))
    if len(cleaned) > items or any(len(v) > length for v in cleaned):
        raise ValidationFailed(N_("At most %(items)s entries of %(length)s characters each."),
                               field=name, items=items, length=length)
    return cleaned


def _coordinate(name: str, value: Any, limit: float) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not -limit <= value <= limit:
        raise ValidationFailed(N_("Enter a number from %(low)s to %(high)s."),
                               field=name, low=-limit, high=limit)
    return float(value)


def clean_fields(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """Validate the given asset and policy fields (any subset); return them cleaned.

    Kind-specific fields of another kind are refused so a room never carries a fuel type.
    """
    cleaned: dict[str, Any] = {}
    # Empty values of another kind's fields are harmless (a form or client sending all fields).
    data = {k: v for k, v in data.items()
            if not (k in ALL_KIND_FIELDS and k not in KIND_FIELDS[kind] and v in (None, "", []))}
    foreign = [k for k in data if k in ALL_KIND_FIELDS and k not in KIND_FIELDS[kind]
               and not (k == "quantity" and data[k] == 1)]
    if foreign:
        raise ValidationFailed(N_("This field does not belong to this kind of asset."),
                               field=foreign[0])
    for name, value in data.items():
        if name in _TEXT_LIMITS:
            cleaned[name] = _text(name, value)
        elif name == "quantity":
            cleaned[name] = _int(name, 1 if value is None else value)
        elif name in _INT_LIMITS:
            value = _int(name, value)
            if value is None and name in _BASE_POLICY:
                raise ValidationFailed(N_("Enter a whole number."), field=name)
            cleaned[name] = value
        elif name == "latitude":
            cleaned[name] = _coordinate(name, value, 90)
        elif name == "longitude":
            cleaned[name] = _coordinate(name, value, 180)
        elif name == "accessibility":
            cleaned[name] = _choices(name, value, ACCESSIBILITY_FEATURES)
        elif name in _LIST_LIMITS:
            cleaned[name] = _free_list(name, value)
        elif name == "fuel":
            if value not in (None, "", *FUELS):
                raise ValidationFailed(N_("Unknown choice: %(value)s."), field=name, value=str(value)[:50])
            cleaned[name] = value or None
        elif name == "delivery":
            if value not in (None, "", *DELIVERIES):
                raise ValidationFailed(N_("Unknown choice: %(value)s."), field=name, value=str(value)[:50])
            cleaned[name] = value or None
        elif name == "approval_required":
            if not isinstance(value, bool):
                raise ValidationFailed(N_("Answer yes or no."), field=name)
            cleaned[name] = value
        elif name == "allowed_sectors":
            cleaned[name] = _choices(name, value, SECTORS) or None
        elif name == "allowed_organisation_ids":
            if value is not None and (not isinstance(value, (list, tuple)) or not all(
                    isinstance(v, int) and not isinstance(v, bool) and 0 < v < 2**63 for v in value)):
                raise ValidationFailed(N_("Enter a list of organisation numbers."), field=name)
            cleaned[name] = list(dict.fromkeys(value)) if value else None
        else:
            raise ValidationFailed(N_("Unknown field %(name)s."), field=name, name=name[:50])
    return cleaned


def check_policy(merged: dict[str, Any]) -> None:
    """Rules across policy fields, on the asset as it would be after the change."""
    if merged["max_duration_minutes"] < merged["min_duration_minutes"]:
        raise ValidationFailed(N_("The longest booking cannot be shorter than the shortest."),
                               field="max_duration_minutes")
    if merged["min_duration_minutes"] % merged["slot_minutes"]:
        raise ValidationFailed(N_("The shortest booking must be a whole number of slots."),
                               field="min_duration_minutes")


# --- opening hours ----------------------------------------------------------------------

_HHMM = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")


def parse_hhmm(text: Any, *, field: str) -> int:
    """'HH:MM' (00:00–24:00) → minutes from midnight."""
    match = _HHMM.match(text.strip()) if isinstance(text, str) else None
    minutes = int(match.group(1)) * 60 + int(match.group(2)) if match else -1
    if not match or minutes > 1440:
        raise ValidationFailed(N_("Enter a time as HH:MM between 00:00 and 24:00."), field=field)
    return minutes


def format_hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def clean_opening_hours(rows: Iterable[tuple[Any, Any, Any]]) -> list[tuple[int, int, int]]:
    """(weekday 0=Monday, "HH:MM", "HH:MM") rows → sorted (weekday, start, end) minutes.

    Start before end, no overlaps within a day; at most 12 intervals a day. None at all means
    always open. The error field is `opening_hours.<weekday>`.
    """
    result: list[tuple[int, int, int]] = []
    for weekday, start, end in rows:
        if isinstance(weekday, bool) or not isinstance(weekday, int) or not 0 <= weekday <= 6:
            raise ValidationFailed(N_("The weekday is a number from 0 (Monday) to 6 (Sunday)."),
                                   field="opening_hours")
        where = f"opening_hours.{weekday}"
        start_minute = parse_hhmm(start, field=where)
        end_minute = parse_hhmm(end, field=where)
        if start_minute >= end_minute:
            raise ValidationFailed(N_("Opening must be before closing."), field=where)
        result.append((weekday, start_minute, end_minute))
    result.sort()
    for (day_a, _, end_a), (day_b, start_b, _) in zip(result, result[1:]):
        if day_a == day_b and start_b < end_a:
            raise ValidationFailed(N_("The opening hours of a day overlap."),
                                   field=f"opening_hours.{day_a}")
    for day in range(7):
        if sum(1 for r in result if r[0] == day) > 12:
            raise ValidationFailed(N_("At most 12 intervals a day."), field=f"opening_hours.{day}")
    return result


# --- closures ---------------------------------------------------------------------------

def check_closure_span(start: datetime, end: datetime) -> None:
    if end <= start:
        raise ValidationFailed(N_("The end must be after the start."), field="end")
    if end - start > timedelta(days=366):
        raise ValidationFailed(N_("A closure lasts at most a year; use a recurring rule."), field="end")


def check_reason(reason: Any) -> str:
    """A closure's reason: one line of at most 500 characters, no control characters."""
    return clean_text(reason, "reason", max_length=500)
