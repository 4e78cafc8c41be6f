"""Booking requests: one booking or a recurring series, never a double booking.

Safety lies in PostgreSQL, not in the checks here:
- an asset of quantity 1 → the `booking_no_overlap` exclusion constraint; a violation (23P01)
  becomes `SlotUnavailable` naming the clashing times (read after the rollback);
- an asset of quantity N → the asset row is locked (`FOR NO KEY UPDATE`) so bookings of that
  asset are written one after another, and the highest number of units held at any instant of
  the new span (not merely the sum) must stay ≤ N.

Booking creation is on the hot path (SPEC §8: low milliseconds), so one booking costs six
round trips (with one manager to tell): BEGIN, one read of everything the request needs
(`queries.booking_context`, which also says who wants emails), one INSERT of the booking with
its first history row, one outbox row per manager and one for the person who booked, COMMIT. The
answer is built from what is known instead of reading the row back. A single-unit booking
needs no pre-check (the constraint answers); a pooled one reads the holds to count units.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg

from resourcepool import clock, i18n
from resourcepool.accounts.identity import Identity
from resourcepool.availability.materialise import ensure_covered
from resourcepool.availability.rules import Hold, max_units_held
from resourcepool.bookings import hooks, notify, policies, queries, recurrence
from resourcepool.bookings.opening import external_clash, opening_check
from resourcepool.bookings.policies import AssetPolicy
from resourcepool.bookings.present import present_booking
from resourcepool.db import sql
from resourcepool.db.engine import DB
from resourcepool.errors import (
    N_,
    DomainError,
    Forbidden,
    NotFound,
    PolicyViolation,
    SlotUnavailable,
    ValidationFailed,
)

ON_CONFLICT = ("fail", "skip")


def booking_organisation(identity: Identity, organisation_id: int | None) -> int:
    """The organisation a booking is made for: the user's own, or the chosen one of several."""
    if organisation_id is not None:
        if not identity.is_member_of(organisation_id):
            raise Forbidden(N_("You can only book for an organisation you belong to."),
                            field="organisation_id")
        return organisation_id
    if not identity.roles:
        raise Forbidden(N_("You need to belong to an organisation to book."),
                        field="organisation_id")
    if len(identity.roles) > 1:
        raise ValidationFailed(N_("Please choose the organisation you are booking for."),
                               field="organisation_id")
    return identity.organisation_ids[0]


def _conflicts(rows: list[dict[str, Any]], tz: ZoneInfo) -> list[dict[str, str]]:
    """Clashing times only — no purpose, no organisation (other people's private details)."""
    return [{"start": r["starts_at"].astimezone(tz).isoformat(),
             "end": r["ends_at"].astimezone(tz).isoformat()} for r in rows]


def _slot_taken(conflicts: list[dict[str, str]]) -> SlotUnavailable:
    return SlotUnavailable(N_("This time is already booked."), field="start", conflicts=conflicts)


async def _load(identity: Identity, asset_id: int, organisation_id: int, start: datetime,
                end: datetime) -> queries.BookingContext:
    """Read (and lock) the asset, the booker, opening hours, the busy times meeting
    [start, end) and the managers; NotFound for an asset the identity may not see, as for one
    that does not exist."""
    ctx = await queries.booking_context(identity, asset_id, organisation_id, start, end)
    if ctx is not None and ctx.needs_repair and await ensure_covered(asset_id, end):
        ctx = await queries.booking_context(identity, asset_id, organisation_id, start, end)
    if ctx is None:
        raise NotFound(N_("This asset does not exist."), field="asset_id")
    if ctx.booker is None:
        raise NotFound(N_("This organisation does not exist."), field="organisation_id")
    return ctx


def _external_busy(asset: AssetPolicy, busy: dict[str, Any]) -> SlotUnavailable:
    """The refusal for a time the owner's external calendar holds: it names the clash."""
    return SlotUnavailable(
        N_("The asset is busy then in its owner's calendar: %(when)s."), field="start",
        when=i18n.format_span(busy["starts_at"], busy["ends_at"], asset.timezone),
        conflicts=[{"start": busy["starts_at"].astimezone(asset.tz).isoformat(),
                    "end": busy["ends_at"].astimezone(asset.tz).isoformat(), "source": "external"}])


async def _clash(asset: AssetPolicy, start: datetime, end: datetime,
                 quantity: int) -> list[dict[str, Any]]:
    """The holding bookings that leave no room for this one (empty when it fits)."""
    held_from, held_until = asset.held_span(start, end)
    holds = await queries.overlapping_holds(asset.id, held_from, held_until)
    return holds if _clashes(asset, holds, start, end, quantity) else []


def _clashes(asset: AssetPolicy, holds: list[dict[str, Any]], start: datetime, end: datetime,
             quantity: int) -> bool:
    """Whether `holds` (holding bookings with held_from/held_until/quantity) leave no room."""
    held_from, held_until = asset.held_span(start, end)
    near = [Hold(h["held_from"], h["held_until"], h["quantity"]) for h in holds
            if h["held_from"] < held_until and held_from < h["held_until"]]
    if asset.quantity == 1:
        return bool(near)
    return max_units_held(near, held_from, held_until) + quantity > asset.quantity


async def _insert(identity: Identity, ctx: queries.BookingContext, start: datetime, end: datetime,
                  purpose: str, quantity: int, attendees: int | None,
                  series_id: int | None, savepoint: bool = True) -> dict[str, Any]:
    """Write one booking and its first history row in one statement; returns the row as
    `queries.booking_row` would read it. Raises ExclusionViolationError on overlap (inside a
    savepoint, so the transaction stays usable, unless `savepoint` is False)."""
    asset = ctx.asset
    assert ctx.booker is not None
    held_from, held_until = asset.held_span(start, end)
    status = policies.initial_status(asset)
    now = clock.now()
    network_id = policies.booking_network(asset, ctx.booker)
    async with queries.savepoint(savepoint):
        booking_id = await sql.fetch_value(
            """WITH made AS (
                   INSERT INTO booking (asset_id, organisation_id, user_id, series_id, starts_at,
                                        ends_at, held_from, held_until, quantity, exclusive,
                                        purpose, attendees, status, created_at, updated_at,
                                        network_id)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15)
                   RETURNING id),
               event AS (
                   INSERT INTO booking_event (booking_id, at, actor_user_id, from_status,
                                              to_status, reason)
                   SELECT id, $14, $3, NULL, $13, '' FROM made)
               SELECT id FROM made""",
            asset.id, ctx.booker.organisation_id, identity.user_id, series_id, start, end,
            held_from, held_until, quantity, asset.quantity == 1, purpose, attendees,
            status, now, network_id,
        )
    return {
        "id": booking_id, "asset_id": asset.id, "organisation_id": ctx.booker.organisation_id,
        "network_id": network_id,
        "user_id": identity.user_id, "series_id": series_id, "starts_at": start, "ends_at": end,
        "held_from": held_from, "held_until": held_until, "quantity": quantity,
        "exclusive": asset.quantity == 1, "purpose": purpose, "attendees": attendees,
        "status": status, "status_reason": "", "cancelled_late": False, "created_at": now,
        "updated_at": now, "timezone": asset.timezone,
        "owner_organisation_id": asset.organisation_id,
        "cancellation_deadline_hours": asset.cancellation_deadline_hours,
        "user_name": identity.name, **ctx.shown,
    }


async def _after_insert(identity: Identity, ctx: queries.BookingContext,
                        rows: list[dict[str, Any]]) -> None:
    for row in rows:
        if row["status"] == "confirmed":
            await hooks.on_confirmed(row, None)
    if rows:
        booker = ({"email": identity.email, "name": identity.name, "locale": identity.locale}
                  if ctx.booker_wants_emails else None)
        await notify.booking_made(rows, ctx.managers, booker)


async def request_booking(
    identity: Identity,
    asset_id: int,
    start: datetime,
    end: datetime,
    purpose: str,
    quantity: int = 1,
    attendees: int | None = None,
    organisation_id: int | None = None,
    recurrence: str | None = None,
    on_conflict: str = "fail",
) -> dict[str, Any]:
    """Book an asset: confirmed at once, or `requested` when the asset needs approval.

    With `recurrence` (an RRULE) the result is {"series", "bookings", "skipped"}; otherwise
    the booking. Raises PolicyViolation (422), SlotUnavailable (409), Forbidden, NotFound.
    """
    purpose = policies.check_input(start, end, quantity, purpose, attendees)
    if on_conflict not in ON_CONFLICT:
        raise ValidationFailed(N_("Choose how to handle conflicts: fail or skip."), field="on_conflict")
    org_id = booking_organisation(identity, organisation_id)
    if recurrence:
        return await _request_series(identity, asset_id, org_id, start, end, purpose, quantity,
                                     attendees, recurrence, on_conflict)

    # Alone, the request owns its transaction: an overlap ends it, and the clash is read after
    # the rollback. Inside an outer transaction (idempotency), a savepoint keeps that one usable.
    nested = DB.current_transaction.get() is not None

    async def attempt() -> dict[str, Any]:
        ctx = None
        try:
            async with DB.transaction():
                ctx = await _load(identity, asset_id, org_id, start, end)
                assert ctx.booker is not None
                policies.check_request(ctx.asset, ctx.booker, start, end, quantity, clock.now(),
                                       opening_check(ctx.hours, ctx.busy, ctx.asset.timezone))
                busy = external_clash(ctx.busy, start, end)
                if busy is not None:
                    raise _external_busy(ctx.asset, busy)
                # Units of a pool are counted here. A single unit is left to the exclusion
                # constraint (one round trip saved) unless a violation must not abort the
                # caller's transaction: then the friendly pre-check comes first.
                if nested or ctx.asset.quantity > 1:
                    clash = await _clash(ctx.asset, start, end, quantity)
                    if clash:
                        raise _slot_taken(_conflicts(clash, ctx.asset.tz))
                try:
                    row = await _insert(identity, ctx, start, end, purpose, quantity,
                                        attendees, None, savepoint=nested)
                except asyncpg.ExclusionViolationError:
                    if not nested:
                        raise
                    raise await _taken_now(ctx.asset, start, end) from None
                await _after_insert(identity, ctx, [row])
                return present_booking(row)
        except asyncpg.ExclusionViolationError:
            # The transaction is rolled back; now tell which booking holds the time.
            assert ctx is not None
            raise await _taken_now(ctx.asset, start, end) from None

    return await sql.with_retries(attempt)


async def _taken_now(asset: AssetPolicy, start: datetime, end: datetime) -> SlotUnavailable:
    held_from, held_until = asset.held_span(start, end)
    rows = await queries.overlapping_holds(asset.id, held_from, held_until)
    return _slot_taken(_conflicts(rows, asset.tz))


async def _request_series(identity: Identity, asset_id: int, org_id: int, start: datetime,
                          end: datetime, purpose: str, quantity: int, attendees: int | None,
                          rule_text: str, on_conflict: str) -> dict[str, Any]:
    async def attempt() -> dict[str, Any]:
        async with DB.transaction():
            ctx = await _load(identity, asset_id, org_id, start, start)
            assert ctx.booker is not None
            asset, now = ctx.asset, clock.now()
            tz = asset.tz
            rule = recurrence.parse_rule(rule_text, tz)
            occurrences = recurrence.expand(
                rule, start, end, tz, not_after=now + timedelta(days=asset.horizon_days))
            # The busy times of every date, a few index probes each, in one statement.
            dates = [(o.start, o.end) for o in occurrences]
            busy, needs_repair = await queries.busy_for_spans(asset.id, dates)
            if needs_repair and await ensure_covered(asset.id, dates[-1][1]):
                busy, _ = await queries.busy_for_spans(asset.id, dates)
            opening = opening_check(ctx.hours, busy, asset.timezone)
            policies.check_who(asset, ctx.booker)
            # Rules that do not depend on the date are checked once, on the first occurrence,
            # so a too-long booking is refused as such and not as "every date clashes".
            if start < now:
                raise PolicyViolation(N_("The start lies in the past."), field="start",
                                      rule="start_in_past")
            policies.check_shape(asset, occurrences[0].start, occurrences[0].end, quantity)
            series_id = await sql.fetch_value(
                """INSERT INTO booking_series (asset_id, organisation_id, user_id, rrule, timezone,
                                               first_start, created_at)
                   VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id""",
                asset_id, org_id, identity.user_id, "RRULE:" + rule.text, asset.timezone,
                occurrences[0].start, now,
            )
            # The holds of the whole series span in one read (the asset is locked, so only our
            # own inserts add to them), instead of one read per date.
            spans = [asset.held_span(o.start, o.end) for o in occurrences]
            holds = await queries.overlapping_holds(asset.id, min(f for f, _ in spans),
                                                    max(u for _, u in spans))
            booked: list[dict[str, Any]] = []
            skipped: list[dict[str, str]] = []
            for occ in occurrences:
                reason = None
                try:
                    policies.check_when(asset, occ.start, occ.end, quantity, now, opening)
                except DomainError as exc:
                    reason = exc.params.get("rule", "policy")
                if reason is None and external_clash(busy, occ.start, occ.end) is not None:
                    reason = "external"
                if reason is None and _clashes(asset, holds, occ.start, occ.end, quantity):
                    reason = "booking"
                if reason is None:
                    try:
                        row = await _insert(identity, ctx, occ.start, occ.end, purpose, quantity,
                                            attendees, series_id)
                        booked.append(row)
                        holds.append(row)
                    except asyncpg.ExclusionViolationError:
                        reason = "booking"
                if reason is not None:
                    skipped.append({"start": occ.start.astimezone(tz).isoformat(),
                                    "end": occ.end.astimezone(tz).isoformat(),
                                    "reason": reason})
            if skipped and on_conflict == "fail":
                raise SlotUnavailable(
                    N_("%(count)s of the dates are not available; nothing was booked."),
                    field="recurrence", conflicts=skipped, count=len(skipped))
            if not booked:
                raise SlotUnavailable(N_("None of the dates is available; nothing was booked."),
                                      field="recurrence", conflicts=skipped)
            await _after_insert(identity, ctx, booked)
            return {
                "series": {"id": series_id, "rrule": "RRULE:" + rule.text, "timezone": asset.timezone,
                           "first_start": occurrences[0].start.astimezone(tz).isoformat()},
                "bookings": [present_booking(r) for r in booked],
                "skipped": skipped,
            }

    return await sql.with_retries(attempt)


__all__ = ["request_booking", "booking_organisation", "PolicyViolation"]
