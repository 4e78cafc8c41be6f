"""The booking lifecycle (SPEC §4): each transition is one function, one transaction, and one
`booking_event` row per booking changed (who, when, from, to, why).

    requested --approve--> confirmed --(end passes)--> completed
        |  \\--decline--> declined          |  \\--no-show (owner)--> no_show
        |  \\--(start passes undecided)--> expired
        \\-----cancel-----> cancelled <--cancel--/        completed --no-show (grace)--> no_show

Who may do what, and when:
- approve / decline (reason required): managers of the asset's organisation, while requested
  and before the start (at the start an undecided request expires);
- cancel, booker's side: the person who booked, or a manager of the booking organisation
  (members may not cancel their colleagues' bookings), before the start; a confirmed booking
  cancelled after the asset's cancellation deadline is recorded as `cancelled_late`;
- cancel, owner's side: managers of the asset's organisation, before the end, with a reason;
- no-show: managers of the asset's organisation, from the start until NO_SHOW_GRACE after it,
  for a booking that is confirmed or — its end passed and the sweeper completed it — completed
  (see hooks.py for what that means for the credit ledger);
- expire / complete: the sweeper (nobody), idempotent; completion happens at the end, so the
  stored state is true as soon as it can be.
Anyone who is neither in the booking organisation nor in the asset's organisation does not
see the booking at all (NotFound). Each transition calls exactly one hook (hooks.py) inside
its transaction, and is retried as a whole on a deadlock or serialisation failure.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Awaitable, Callable

from resourcepool import clock
from resourcepool.accounts.identity import Identity
from resourcepool.bookings import hooks, notify, policies, queries
from resourcepool.bookings.present import HOLDING, present_booking
from resourcepool.db import sql
from resourcepool.db.engine import DB
from resourcepool.errors import N_, Conflict, Forbidden, NotFound, ValidationFailed
from resourcepool.textrules import clean_text

MAX_REASON = 2000
SWEEP_BATCH = 500


def can_see(identity: Identity | None, row: dict[str, Any]) -> bool:
    return identity is not None and (identity.is_member_of(row["organisation_id"])
                                     or identity.is_member_of(row["owner_organisation_id"]))


def cancel_side(identity: Identity, booking: dict[str, Any], started: bool) -> str | None:
    """Who `identity` cancels `booking` as: "booker", "owner" or None (not allowed at all).

    The booker's side is the person who booked or a manager of the booking organisation; the
    owner's side the managers of the asset's organisation. Someone on both sides (a booking
    within one organisation) cancels as booker before the start and as owner after it."""
    org = booking["organisation_id"]
    booker = identity.is_manager_of(org) or (
        identity.user_id == booking["user_id"] and identity.is_member_of(org))
    owner = identity.is_manager_of(booking["owner_organisation_id"])
    if booker and not (started and owner):
        return "booker"
    return "owner" if owner else None


async def get_booking(identity: Identity, booking_id: int) -> dict[str, Any]:
    """One booking with its history, for the booking organisation or the owner only."""
    row = await queries.booking_row(booking_id)
    if row is None or not can_see(identity, row):
        raise NotFound(N_("This booking does not exist."))
    return present_booking(row, await queries.booking_history(booking_id))


async def _locked(identity: Identity, booking_id: int) -> dict[str, Any]:
    row = await queries.booking_row(booking_id, lock=True)
    if row is None or not can_see(identity, row):
        raise NotFound(N_("This booking does not exist."))
    return row


def _reason(reason: str | None, required: bool) -> str:
    # NUL and other control characters would reach PostgreSQL (a 500); refused here by name.
    text = clean_text(reason, "reason", max_length=MAX_REASON, multiline=True)
    if required and not text:
        raise ValidationFailed(N_("Please give a reason."), field="reason")
    return text


def _require_status(row: dict[str, Any], allowed: tuple[str, ...]) -> None:
    if row["status"] not in allowed:
        raise Conflict(N_("This is not possible for a booking that is %(status)s."),
                       code="invalid_state", status=row["status"])


def _require_owner_manager(identity: Identity, row: dict[str, Any]) -> None:
    if not identity.is_manager_of(row["owner_organisation_id"]):
        raise Forbidden(N_("Only managers of the organisation offering this asset may do this."))


def _require_undecided_start(row: dict[str, Any]) -> None:
    # From the start on, an undecided request is expired (the sweeper makes it so).
    if row["starts_at"] <= clock.now():
        raise Conflict(N_("The start has passed; the request can no longer be decided."),
                       code="invalid_state", status=row["status"])


async def _apply(row: dict[str, Any], to_status: str, actor_id: int | None, reason: str,
                 cancelled_late: bool = False) -> dict[str, Any]:
    """Write the new status and its history row; returns the updated row."""
    now = clock.now()
    await sql.execute(
        """WITH changed AS (
               UPDATE booking SET status = $2, status_reason = $3, cancelled_late = $4,
                                  updated_at = $5
               WHERE id = $1)
           INSERT INTO booking_event (booking_id, at, actor_user_id, from_status, to_status, reason)
           VALUES ($1, $5, $6, $7, $2, $3)""",
        row["id"], to_status, reason, cancelled_late, now, actor_id, row["status"],
    )
    return {**row, "status": to_status, "status_reason": reason, "cancelled_late": cancelled_late,
            "updated_at": now}


async def approve_booking(identity: Identity, booking_id: int, reason: str | None = None) -> dict[str, Any]:
    """A manager of the owner confirms a request before its start."""

    async def attempt() -> dict[str, Any]:
        async with DB.transaction():
            row = await _locked(identity, booking_id)
            _require_owner_manager(identity, row)
            _require_status(row, ("requested",))
            _require_undecided_start(row)
            row = await _apply(row, "confirmed", identity.user_id, _reason(reason, False))
            await hooks.on_confirmed(row, "requested")
            await notify.tell_both([row], "approved")
        return row

    return present_booking(await sql.with_retries(attempt))


async def decline_booking(identity: Identity, booking_id: int, reason: str | None) -> dict[str, Any]:
    """A manager of the owner turns a request down before its start, saying why."""

    async def attempt() -> dict[str, Any]:
        async with DB.transaction():
            row = await _locked(identity, booking_id)
            _require_owner_manager(identity, row)
            _require_status(row, ("requested",))
            _require_undecided_start(row)
            text = _reason(reason, True)
            row = await _apply(row, "declined", identity.user_id, text)
            await hooks.on_released(row, "requested", "declined")
            await notify.tell_both([row], "declined", text)
        return row

    return present_booking(await sql.with_retries(attempt))


async def _cancel_one(identity: Identity, row: dict[str, Any], reason: str | None) -> dict[str, Any]:
    now = clock.now()
    side = cancel_side(identity, row, started=row["starts_at"] <= now)
    if side is None:
        raise Forbidden(N_("Only the person who booked, or a manager of the booking organisation "
                           "or of the organisation offering the asset, may cancel this booking."))
    _require_status(row, HOLDING)
    from_status = row["status"]
    if side == "booker":
        if row["starts_at"] <= now:
            raise Conflict(N_("The booking has started; it can no longer be cancelled."),
                           code="invalid_state", status=from_status)
        text = _reason(reason, False)
        late = from_status == "confirmed" and policies.is_late_cancellation(
            row["cancellation_deadline_hours"], row["starts_at"], now)
        row = await _apply(row, "cancelled", identity.user_id, text, cancelled_late=late)
        await hooks.on_released(row, from_status, "cancelled_late" if late else "cancelled")
        return row
    if row["ends_at"] <= now:
        raise Conflict(N_("The booking has ended; it can no longer be cancelled."),
                       code="invalid_state", status=from_status)
    text = _reason(reason, True)
    row = await _apply(row, "cancelled", identity.user_id, text)
    await hooks.on_released(row, from_status, "cancelled")
    return row


async def cancel_booking(identity: Identity, booking_id: int, reason: str | None = None,
                         scope: str = "this") -> list[dict[str, Any]]:
    """Cancel a booking, or with scope "following" also the later ones of its series.

    Returns the cancelled bookings (the one asked for first)."""
    if scope not in ("this", "following"):
        raise ValidationFailed(N_("Choose which bookings to cancel: this or following."), field="scope")

    async def attempt() -> list[dict[str, Any]]:
        async with DB.transaction():
            row = await _locked(identity, booking_id)
            done = [await _cancel_one(identity, row, reason)]
            if scope == "following" and row["series_id"] is not None:
                # Locked in start order, like every other writer of several series rows.
                later = await sql.fetch(
                    f"""SELECT {queries.BOOKING_COLUMNS} {queries.BOOKING_FROM}
                        WHERE b.series_id = $1 AND b.starts_at > $2
                          AND b.status IN ('requested', 'confirmed')
                        ORDER BY b.starts_at FOR UPDATE OF b""",
                    row["series_id"], row["starts_at"],
                )
                for other in later:
                    done.append(await _cancel_one(identity, other, reason))
            # One email per person for all the dates cancelled here.
            await notify.tell_both(done, "cancelled", done[0]["status_reason"])
        return done

    return [present_booking(r) for r in await sql.with_retries(attempt)]


async def mark_no_show(identity: Identity, booking_id: int, reason: str | None = None) -> dict[str, Any]:
    """A manager of the owner records that the booker did not come (within the grace period,
    from confirmed or, once the end passed, from completed)."""

    async def attempt() -> dict[str, Any]:
        async with DB.transaction():
            row = await _locked(identity, booking_id)
            _require_owner_manager(identity, row)
            _require_status(row, NO_SHOW_FROM)
            if not policies.may_mark_no_show(row["starts_at"], clock.now()):
                raise Conflict(
                    N_("A no-show can be recorded from the start until %(hours)s hours after it."),
                    code="invalid_state", status=row["status"],
                    hours=int(policies.NO_SHOW_GRACE.total_seconds() // 3600))
            from_status = row["status"]
            row = await _apply(row, "no_show", identity.user_id, _reason(reason, False))
            await hooks.on_no_show(row, from_status)
        return row

    return present_booking(await sql.with_retries(attempt))


# The sources of a no-show: hooks.on_no_show is told which one (a completed booking was settled).
NO_SHOW_FROM = ("confirmed", "completed")


async def _sweep(status: str, column: str, to_status: str,
                 hook: Callable[[dict[str, Any]], Awaitable[None]]) -> int:
    """Move due bookings on in batches (FOR UPDATE SKIP LOCKED: sweepers can run side by side)."""
    changed = 0
    while True:
        async def batch() -> int:
            async with DB.transaction():
                rows = await sql.fetch(
                    f"""SELECT {queries.BOOKING_COLUMNS} {queries.BOOKING_FROM}
                        WHERE b.status = $1 AND b.{column} <= $2
                        ORDER BY b.id LIMIT {SWEEP_BATCH} FOR UPDATE OF b SKIP LOCKED""",
                    status, clock.now(),
                )
                for row in rows:
                    await hook(await _apply(row, to_status, None, ""))
            return len(rows)

        count = await sql.with_retries(batch)
        changed += count
        if count < SWEEP_BATCH:
            return changed


async def _expired(row: dict[str, Any]) -> None:
    await hooks.on_released(row, "requested", "expired")
    # Both sides had the request in their calendars (tentative): the CANCEL takes it out.
    await notify.tell_both([row], "expired")


async def expire_requests() -> int:
    """Requests still undecided at their start become `expired`. Returns how many."""
    return await _sweep("requested", "starts_at", "expired", _expired)


async def complete_bookings() -> int:
    """Confirmed bookings whose end has passed become `completed`. Returns how many."""
    return await _sweep("confirmed", "ends_at", "completed",
                        lambda row: hooks.on_completed(row, "confirmed"))


IDEMPOTENCY_KEEP = timedelta(hours=48)


async def purge_idempotency_keys() -> int:
    """Keys are kept at least 24 h (48 h here); older ones are removed."""
    result = await sql.execute("DELETE FROM idempotency_key WHERE created_at < $1",
                               clock.now() - IDEMPOTENCY_KEEP)
    return int(result.split()[-1])
