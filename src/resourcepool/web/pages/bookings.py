"""Booking pages: the booking form, my bookings, a booking's page, incoming requests.

Everything works without JavaScript: forms post, the server answers with a redirect (303) or
the form again with each message next to its field.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from litestar import Controller, Request, get, post
from litestar.params import PathParameter
from litestar.response import Redirect, Template

from resourcepool import clock
from resourcepool.accounts.identity import Identity
from resourcepool.bookings import lifecycle, policies, queries, recurrence
from resourcepool.bookings.present import present_booking
from resourcepool.bookings.service import request_booking
from resourcepool.errors import N_, DomainError, NotFound, SlotUnavailable, ValidationFailed
from resourcepool.organisations.queries import organisation_names
from resourcepool.textrules import in_supported_years
from resourcepool import i18n
from resourcepool.web.auth import login_required, require_identity
from resourcepool.web.forms import FormState, read_form

Id = Annotated[int, PathParameter(ge=1, le=2**63 - 1)]

DONE_MESSAGES = {
    "booked": N_("Your booking is confirmed."),
    "requested": N_("Your request has been sent. The owner will approve or decline it."),
    "cancelled": N_("The booking has been cancelled."),
    "approved": N_("The request has been approved."),
    "declined": N_("The request has been declined."),
    "no_show": N_("The no-show has been recorded."),
}
# Domain fields → form fields, so each message lands next to the right input.
FIELD_MAP = {"start": "start_time", "end": "end_time", "recurrence": "repeat_until",
             "asset_id": "_form", "on_conflict": "on_conflict", "Idempotency-Key": "_form"}
SKIP_REASONS = {
    "booking": N_("already booked"),
    "closure": N_("closed"),
    "opening_hours": N_("outside opening hours"),
}


def _flash(request: Request) -> dict[str, str] | None:
    key = request.query_params.get("done")
    if key in DONE_MESSAGES:
        return {"kind": "ok", "message": i18n.gettext(DONE_MESSAGES[key])}
    return None


def _see(target: str) -> Redirect:
    return Redirect(target, status_code=303)


def _parse_instant(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.replace(" ", "+").replace("Z", "+00:00"))
    except ValueError:
        return None
    if value.tzinfo is None or not in_supported_years(value):
        return None
    return value


def _int(value: str | None, field: str, default: int | None = None) -> int | None:
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ValidationFailed(N_("Please enter a whole number."), field=field) from None
    if not -(2**31) < number < 2**31:
        raise ValidationFailed(N_("Please enter a whole number."), field=field)
    return number


def _local(day: str, clock_time: str, tz: ZoneInfo, field: str) -> datetime:
    try:
        naive = datetime.combine(date.fromisoformat(day), time.fromisoformat(clock_time))
        if not in_supported_years(naive):
            raise ValueError(day)
    except ValueError:
        raise ValidationFailed(N_("Please enter a valid date and time."), field=field) from None
    return recurrence.localise(naive, tz)


def _organisation_options(identity: Identity, names: dict[int, str]) -> list[tuple[int, str]]:
    return [(oid, names.get(oid, str(oid))) for oid in identity.organisation_ids]


def _form_values(asset: dict[str, Any], start: datetime | None, end: datetime | None) -> dict[str, Any]:
    tz = ZoneInfo(asset["timezone"])
    if start is None:
        base = clock.now().astimezone(tz) + timedelta(days=1)
        start = base.replace(hour=10, minute=0, second=0, microsecond=0)
    if end is None or end <= start:
        end = start + timedelta(minutes=max(asset["min_duration_minutes"], 60))
    start, end = start.astimezone(tz), end.astimezone(tz)
    return {"date": start.date().isoformat(), "start_time": start.strftime("%H:%M"),
            "end_date": end.date().isoformat(), "end_time": end.strftime("%H:%M"),
            "quantity": "1", "on_conflict": "fail",
            "repeat_until": (start.date() + timedelta(weeks=8)).isoformat()}


def _shown_fields(asset: dict[str, Any], identity: Identity) -> set[str]:
    """The inputs the form shows (an error for any other field goes to the top of the form)."""
    shown = {"date", "start_time", "end_date", "end_time", "purpose", "repeat_until"}
    if asset["kind"] == "room":
        shown.add("attendees")
    if asset["quantity"] > 1:
        shown.add("quantity")
    if len(identity.roles) > 1:
        shown.add("organisation_id")
    return shown


class BookingPages(Controller):
    guards = [login_required]

    async def _asset(self, identity: Identity, asset_id: int | None) -> dict[str, Any]:
        row = await queries.asset_for_form(identity, asset_id) if asset_id else None
        if row is None:
            raise NotFound(N_("This asset does not exist."))
        return row

    async def _render_form(self, identity: Identity, asset: dict[str, Any], form: FormState,
                           conflicts: list[dict[str, Any]] | None = None, status: int = 200) -> Template:
        names = await organisation_names(identity.organisation_ids)
        return Template("bookings/new.html", status_code=status, context={
            "asset": asset, "form": form, "conflicts": conflicts or [],
            "organisations": _organisation_options(identity, names),
            "skip_reasons": SKIP_REASONS,
        })

    @get("/bookings/new", name="booking_new")
    async def new(self, request: Request) -> Template:
        identity = require_identity(request)
        asset = await self._asset(identity, _int(request.query_params.get("asset_id"), "asset_id"))
        start = _parse_instant(request.query_params.get("start"))
        end = _parse_instant(request.query_params.get("end"))
        return await self._render_form(identity, asset, FormState(values=_form_values(asset, start, end)))

    @post("/bookings/new", name="booking_create")
    async def create(self, request: Request) -> Template | Redirect:
        identity = require_identity(request)
        data = await read_form(request)
        asset = await self._asset(identity, _int(data.get("asset_id"), "asset_id"))
        form = FormState(values=data)
        tz = ZoneInfo(asset["timezone"])
        try:
            start = _local(data.get("date", ""), data.get("start_time", ""), tz, "start_time")
            end = _local(data.get("end_date") or data.get("date", ""), data.get("end_time", ""), tz, "end_time")
            # An empty field means one unit; 0 is passed on for the policy to refuse by name.
            quantity = _int(data.get("quantity"), "quantity", 1)
            assert quantity is not None
            attendees = _int(data.get("attendees"), "attendees")
            organisation_id = _int(data.get("organisation_id"), "organisation_id")
            rule = None
            if data.get("repeat") == "weekly":
                until = data.get("repeat_until", "")
                try:
                    date.fromisoformat(until)
                except ValueError:
                    raise ValidationFailed(N_("Please enter the last date of the repeat."),
                                           field="recurrence") from None
                rule = recurrence.weekly_rule([start.weekday()], until)
            result = await request_booking(
                identity, asset["id"], start, end, data.get("purpose", ""), quantity=quantity,
                attendees=attendees, organisation_id=organisation_id, recurrence=rule,
                on_conflict=data.get("on_conflict") or "fail")
        except DomainError as exc:
            field = FIELD_MAP.get(exc.field or "_form", exc.field or "_form")
            if field not in _shown_fields(asset, identity):
                field = "_form"  # e.g. a sector rule for a user with one organisation
            form.errors[field] = i18n.translate(exc.message, exc.params)
            conflicts = exc.params.get("conflicts") if isinstance(exc, SlotUnavailable) else None
            status = 409 if isinstance(exc, SlotUnavailable) else 422
            return await self._render_form(identity, asset, form, conflicts, status)
        if rule:
            return Template("bookings/series_result.html", context={
                "result": result, "asset": asset, "skip_reasons": SKIP_REASONS,
                "tz": asset["timezone"]}, status_code=201)
        done = "requested" if result["status"] == "requested" else "booked"
        return _see(f"/bookings/{result['id']}?done={done}")

    @get("/bookings", name="bookings_mine")
    async def mine(self, request: Request) -> Template:
        identity = require_identity(request)
        now = clock.now()
        mine = queries.scope_organisations(identity, "mine")
        upcoming, _ = await queries.list_bookings(mine, "mine", None, now, None, 200, 0)
        past, _ = await queries.list_bookings(mine, "mine", None, None, now, 50, 0, newest_first=True)
        return Template("bookings/list.html", context={
            "upcoming": [present_booking(r) for r in upcoming],
            "past": [present_booking(r) for r in past if r["ends_at"] <= now],
            "flash": _flash(request),
        })

    @get("/bookings/{booking_id:int}", name="booking_detail")
    async def detail(self, request: Request, booking_id: Id) -> Template:
        identity = require_identity(request)
        return await self._detail(request, identity, booking_id, FormState())

    async def _detail(self, request: Request, identity: Identity, booking_id: int, form: FormState,
                      status: int = 200) -> Template:
        booking = await lifecycle.get_booking(identity, booking_id)
        now = clock.now()
        is_booker = identity.is_member_of(booking["organisation_id"])
        is_manager = identity.is_manager_of(booking["owner_organisation_id"])
        holding = booking["status"] in ("requested", "confirmed")
        # The same rules as the lifecycle's, so a button is shown only where it would work.
        side = lifecycle.cancel_side(identity, booking, started=booking["start"] <= now)
        return Template("bookings/detail.html", status_code=status, context={
            "booking": booking, "form": form, "flash": _flash(request),
            "tz": booking["timezone"],
            "is_booker": is_booker, "is_manager": is_manager,
            "can_cancel": holding and ((side == "booker" and booking["start"] > now)
                                       or (side == "owner" and booking["end"] > now)),
            "reason_required": side == "owner",
            "can_decide": is_manager and booking["status"] == "requested" and booking["start"] > now,
            "can_no_show": is_manager and booking["status"] in lifecycle.NO_SHOW_FROM
            and policies.may_mark_no_show(booking["start"], now),
        })

    async def _act(self, request: Request, booking_id: int, action: str) -> Template | Redirect:
        identity = require_identity(request)
        data = await read_form(request)
        reason = data.get("reason")
        try:
            if action == "cancel":
                await lifecycle.cancel_booking(identity, booking_id, reason,
                                               "following" if data.get("scope") == "following" else "this")
            elif action == "approve":
                await lifecycle.approve_booking(identity, booking_id, reason)
            elif action == "decline":
                await lifecycle.decline_booking(identity, booking_id, reason)
            else:
                await lifecycle.mark_no_show(identity, booking_id, reason)
        except (ValidationFailed,) as exc:
            form = FormState(values=data)
            form.errors[f"{action}_{exc.field or 'reason'}"] = i18n.translate(exc.message, exc.params)
            if data.get("back") == "incoming":
                return await self._incoming(request, identity, form, booking_id, 422)
            return await self._detail(request, identity, booking_id, form, 422)
        done = {"cancel": "cancelled", "approve": "approved", "decline": "declined",
                "no_show": "no_show"}[action]
        if data.get("back") == "incoming":
            return _see(f"/incoming?done={done}")
        return _see(f"/bookings/{booking_id}?done={done}")

    @post("/bookings/{booking_id:int}/cancel", name="booking_cancel")
    async def cancel(self, request: Request, booking_id: Id) -> Template | Redirect:
        return await self._act(request, booking_id, "cancel")

    @post("/bookings/{booking_id:int}/approve", name="booking_approve")
    async def approve(self, request: Request, booking_id: Id) -> Template | Redirect:
        return await self._act(request, booking_id, "approve")

    @post("/bookings/{booking_id:int}/decline", name="booking_decline")
    async def decline(self, request: Request, booking_id: Id) -> Template | Redirect:
        return await self._act(request, booking_id, "decline")

    @post("/bookings/{booking_id:int}/no-show", name="booking_no_show")
    async def no_show(self, request: Request, booking_id: Id) -> Template | Redirect:
        return await self._act(request, booking_id, "no_show")

    @get("/incoming", name="bookings_incoming")
    async def incoming(self, request: Request) -> Template:
        identity = require_identity(request)
        return await self._incoming(request, identity, FormState())

    async def _incoming(self, request: Request, identity: Identity, form: FormState,
                        failed_id: int | None = None, status: int = 200) -> Template:
        managed = queries.scope_organisations(identity, "incoming")
        now = clock.now()
        requests, _ = await queries.list_bookings(managed, "incoming", ["requested"], now, None, 200, 0)
        upcoming, _ = await queries.list_bookings(managed, "incoming", ["confirmed"], now, None, 50, 0)
        return Template("bookings/incoming.html", status_code=status, context={
            "requests": [present_booking(r) for r in requests],
            "upcoming": [present_booking(r) for r in upcoming],
            "is_manager": bool(managed), "form": form, "failed_id": failed_id,
            "flash": _flash(request),
        })
