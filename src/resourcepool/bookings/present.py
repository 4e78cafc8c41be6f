"""Bookings as plain dicts for the web layer: times in the asset's timezone, no private extras."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

HOLDING = ("requested", "confirmed")
# Usage instructions are for the booker once the booking is confirmed.
INSTRUCTIONS_SHOWN = ("confirmed", "completed")


def present_booking(row: dict[str, Any], history: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    tz = ZoneInfo(row["timezone"])
    out = {
        "id": row["id"],
        "asset_id": row["asset_id"],
        "asset_title": row["asset_title"],
        "asset_kind": row["asset_kind"],
        "owner_organisation_id": row["owner_organisation_id"],
        "owner_name": row["owner_name"],
        "organisation_id": row["organisation_id"],
        "organisation_name": row["organisation_name"],
        "user_id": row["user_id"],
        "user_name": row["user_name"],
        "series_id": row["series_id"],
        "start": row["starts_at"].astimezone(tz),
        "end": row["ends_at"].astimezone(tz),
        "held_from": row["held_from"].astimezone(tz),
        "held_until": row["held_until"].astimezone(tz),
        "timezone": row["timezone"],
        "quantity": row["quantity"],
        "purpose": row["purpose"],
        "attendees": row["attendees"],
        "status": row["status"],
        "status_reason": row["status_reason"],
        "cancelled_late": row["cancelled_late"],
        "created_at": row["created_at"].astimezone(tz),
        "usage_instructions": (row["usage_instructions"] or None)
        if row["status"] in INSTRUCTIONS_SHOWN else None,
    }
    if history is not None:
        out["history"] = [
            {"at": e["at"].astimezone(tz), "from_status": e["from_status"],
             "to_status": e["to_status"], "reason": e["reason"], "actor_name": e["actor_name"]}
            for e in history
        ]
    return out
