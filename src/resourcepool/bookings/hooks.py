"""The one place later domains (the credit ledger, §6) attach to the booking lifecycle.

Each transition calls exactly one of these hooks, once per booking it changes, *inside* the
transition's transaction, after the booking row and its `booking_event` are written: whatever
a hook writes commits or rolls back together with the state change, and a hook that raises
(e.g. `InsufficientCredits`) refuses the transition. A request that needs approval calls none
(it holds no credits until approved).

Every hook gets `booking`, the booking row as a dict *after* the change (id, asset_id,
organisation_id, user_id, owner_organisation_id, starts_at, ends_at, quantity, status,
cancelled_late, …), and `from_status`, the state it left (None for a new booking), because
the ledger's action depends on where the booking came from:

- on_confirmed(booking, from_status)  → hold credits (rate × hours × quantity).
  from None: booked instantly; from "requested": approved.
- on_released(booking, from_status, reason) → the slot is given up; reason is "declined",
  "cancelled", "cancelled_late" or "expired". from "confirmed": credits are held — release
  them (a late cancellation charges the network's share); from "requested": nothing is held.
- on_completed(booking, from_status)  → settle: transfer from booker to owner, close the hold.
  Always from "confirmed", at the booking's end (the stored state becomes true then, not later,
  because credits settle on it).
- on_no_show(booking, from_status)    → apply the network's no-show policy (default: charge
  50 %). A no-show may be recorded from the start until the grace period (policies.NO_SHOW_GRACE,
  48 h) has passed, so the end — and the sweeper's completion — can come first:
  from "confirmed": the hold is still open — charge from it and close it;
  from "completed": on_completed already settled — reverse that settlement (a reversal transfer
  referencing it, §6) before charging.
  Why not delay completion until the grace period ends? Then a completed booking would not be
  stored as completed for two days and statistics and settlement would lag; a no-show after
  completion is the rare case, so it carries the correction.

The allowed source states are pinned by tests/web/bookings/test_transition_permissions.py and
tests/domain/bookings/test_lifecycle_hooks.py. They are no-ops until the credits work fills them in.
"""

from __future__ import annotations

from typing import Any

Booking = dict[str, Any]


async def on_confirmed(booking: Booking, from_status: str | None) -> None:
    """A booking now holds its slot as confirmed (instantly: from None, or approved)."""


async def on_released(booking: Booking, from_status: str, reason: str) -> None:
    """A holding booking gave up its slot: declined, cancelled (maybe late) or expired."""


async def on_completed(booking: Booking, from_status: str) -> None:
    """A confirmed booking's end has passed."""


async def on_no_show(booking: Booking, from_status: str) -> None:
    """The owner recorded that the booker did not come (from confirmed or completed)."""
