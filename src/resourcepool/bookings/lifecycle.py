"""The booking lifecycle (SPEC §4): each transition is one function, one transaction, and one
`booking_event` row per booking changed (who, when, from, to, why).

    requested --approve--> confirmed --(end passes)--> completed
        |  \\--decline--> declined          |  \\--no-show (owner)--> no_show
        |  \\--(start passes undecided)--> expired
        \\-----cancel-----> cancelled <--cancel--/

Who may do what:
- approve / decline (reason required): managers of the asset's organisation, while requested
  and before the start;
- cancel: members of the booking organisation before the start (a confirmed booking cancelled
  after the asset's cancellation deadline is recorded as `cancelled_late`), or managers of the
  asset's organisation before the end, with a reason;
- no-show: managers of the asset's organisation, for a confirmed booking whose start passed,
  within NO_SHOW_GRACE;
- expire / complete: the sweeper (nobody), idempotent.
Anyone who is neither in the booking organisation nor in the asset's organisation does not
see the booking at all (NotFound).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

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


async def _apply(row: dict[str, Any], to_status: str, actor_id: int | None, reason: str,
                 cancelled_late: bool = False) -> dict[str, Any]:
    """Write the new status and its history row; returns the updated row."""
    now = clock.now()
    await sql.execute(
        """UPDATE booking SET status = $2, status_reason = $3, cancelled_late = $4, updated_at = $5
           WHERE id = $1""",
        row["id"], to_status, reason, cancelled_late, now,
    )
    await sql.execute(
        """INSERT INTO booking_event (booking_id, at, actor_user_id, from_status, to_status, reason)
           VALUES ($1, $2, $3, $4, $5, $6)""",
        row["id"], now, actor_id, row["status"], to_status, reason,
    )
    return {**row, "status": to_status, "status_reason": reason, "cancelled_late": cancelled_late,
            "updated_at": now}


async def approve_booking(identity: Identity, booking_id: int, reason: str | None = None) -> dict[str, Any]:
    """A manager of the owner confirms a request."""
    async with DB.transaction():
        row = await _locked(identity, booking_id)
        _require_owner_manager(identity, row)
        _require_status(row, ("requested",))
        if row["starts_at"] <= clock.now():
            raise Conflict(N_("The start has passed; the request can no longer be approved."),
                           code="invalid_state", status=row["status"])
        row = await _apply(row, "confirmed", identity.user_id, _reason(reason, False))
        await hooks.on_confirmed(row)
        await notify.tell_booker(row, "approved")
    return present_booking(row)


async def decline_booking(identity: Identity, booking_id: int, reason: str | None) -> dict[str, Any]:
    """A manager of the owner turns a request down, saying why."""
    async with DB.transaction():
        row = await _locked(identity, booking_id)
        _require_owner_manager(identity, row)
        _require_status(row, ("requested",))
        text = _reason(reason, True)
        row = await _apply(row, "declined", identity.user_id, text)
        await hooks.on_released(row, "declined")
        await notify.tell_booker(row, "declined", text)
    return present_booking(row)


async def _cancel_one(identity: Identity, row: dict[str, Any], reason: str | None) -> dict[str, Any]:
    now = clock.now()
    if not identity.is_member_of(row["organisation_id"]):
        _require_owner_manager(identity, row)
    _require_status(row, HOLDING)
    if identity.is_member_of(row["organisation_id"]):
        if row["starts_at"] <= now:
            raise Conflict(N_("The booking has started; it can no longer be cancelled."),
                           code="invalid_state", status=row["status"])
        text = _reason(reason, False)
        late = row["status"] == "confirmed" and policies.is_late_cancellation(
            row["cancellation_deadline_hours"], row["starts_at"], now)
        row = await _apply(row, "cancelled", identity.user_id, text, cancelled_late=late)
        await hooks.on_released(row, "cancelled_late" if late else "cancelled")
        await notify.tell_owner(row, "cancelled", text)
        return row
    if row["ends_at"] <= now:
        raise Conflict(N_("The booking has ended; it can no longer be cancelled."),
                       code="invalid_state", status=row["status"])
    text = _reason(reason, True)
    row = await _apply(row, "cancelled", identity.user_id, text)
    await hooks.on_released(row, "cancelled")
    await notify.tell_booker(row, "cancelled", text)
    return row


async def cancel_booking(identity: Identity, booking_id: int, reason: str | None = None,
                         scope: str = "this") -> list[dict[str, Any]]:
    """Cancel a booking, or with scope "following" also the later ones of its series.

    Returns the cancelled bookings (the one asked for first)."""
    if scope not in ("this", "following"):
        raise ValidationFailed(N_("Choose which bookings to cancel: this or following."), field="scope")
    async with DB.transaction():
        row = await _locked(identity, booking_id)
        done = [await _cancel_one(identity, row, reason)]
        if scope == "following" and row["series_id"] is not None:
            later = await sql.fetch(
                """SELECT id FROM booking WHERE series_id = $1 AND starts_at > $2
                   AND status IN ('requested', 'confirmed') ORDER BY starts_at FOR UPDATE""",
                row["series_id"], row["starts_at"],
            )
            for item in later:
                other = await queries.booking_row(item["id"])
                assert other is not None
                done.append(await _cancel_one(identity, other, reason))
    return [present_booking(r) for r in done]


async def mark_no_show(identity: Identity, booking_id: int, reason: str | None = None) -> dict[str, Any]:
    """A manager of the owner records that the booker did not come."""
    async with DB.transaction():
        row = await _locked(identity, booking_id)
        _require_owner_manager(identity, row)
        _require_status(row, ("confirmed", "completed"))
        if not policies.may_mark_no_show(row["starts_at"], clock.now()):
            raise Conflict(
                N_("A no-show can be recorded from the start until %(hours)s hours after it."),
                code="invalid_state", status=row["status"],
                hours=int(policies.NO_SHOW_GRACE.total_seconds() // 3600))
        row = await _apply(row, "no_show", identity.user_id, _reason(reason, False))
        await hooks.on_no_show(row)
    return present_booking(row)


async def _sweep(status: str, column: str, to_status: str, hook: Any) -> int:
    """Move due bookings on in batches (FOR UPDATE SKIP LOCKED: sweepers can run side by side)."""
    changed = 0
    while True:
        async with DB.transaction():
            ids = await sql.fetch(
                f"""SELECT id FROM booking WHERE status = $1 AND {column} <= $2
                    ORDER BY id LIMIT {SWEEP_BATCH} FOR UPDATE SKIP LOCKED""",
                status, clock.now(),
            )
            for item in ids:
                row = await queries.booking_row(item["id"])
                assert row is not None
                row = await _apply(row, to_status, None, "")
                await hook(row)
        changed += len(ids)
        if len(ids) < SWEEP_BATCH:
            return changed


async def expire_requests() -> int:
    """Requests still undecided at their start become `expired`. Returns how many."""
    return await _sweep("requested", "starts_at", "expired",
                        lambda row: hooks.on_released(row, "expired"))


async def complete_bookings() -> int:
    """Confirmed bookings whose end has passed become `completed`. Returns how many."""
    return await _sweep("confirmed", "ends_at", "completed", hooks.on_completed)


IDEMPOTENCY_KEEP = timedelta(hours=48)


async def purge_idempotency_keys() -> int:
    """Keys are kept at least 24 h (48 h here); older ones are removed."""
    result = await sql.execute("DELETE FROM idempotency_key WHERE created_at < $1",
                               clock.now() - IDEMPOTENCY_KEEP)
    return int(result.split()[-1])
