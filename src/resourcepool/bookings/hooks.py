"""The one place later domains (the credit ledger, §6) attach to the booking lifecycle.

Each hook is called by the booking service *inside* the transition's transaction, after the
booking row and its `booking_event` are written, so whatever a hook writes commits or rolls
back together with the state change; a hook that raises (e.g. `InsufficientCredits`) refuses
the transition. `booking` is the booking row as a dict (id, asset_id, organisation_id,
owner_organisation_id, starts_at, ends_at, quantity, status, cancelled_late, …).

They are no-ops for now. The credits work fills them in:
- on_confirmed  → hold credits (rate × hours × quantity)
- on_released   → release the hold; `reason` is "declined", "cancelled", "cancelled_late" or
                  "expired" (a late cancellation charges the network's share)
- on_completed  → settle: transfer from booker to owner and close the hold
- on_no_show    → apply the network's no-show policy (default: charge 50 %); the booking may
                  already be `completed` by the sweeper (no-shows are recorded up to 48 h late)
"""

from __future__ import annotations

from typing import Any

Booking = dict[str, Any]


async def on_confirmed(booking: Booking) -> None:
    """A booking now holds its slot as confirmed (instantly or by approval)."""


async def on_released(booking: Booking, reason: str) -> None:
    """A holding booking gave up its slot: declined, cancelled (maybe late) or expired."""


async def on_completed(booking: Booking) -> None:
    """A confirmed booking's end has passed."""


async def on_no_show(booking: Booking) -> None:
    """The owner recorded that the booker did not come."""
