"""JSON API of bookings: request (one or a series), list, read, and the lifecycle transitions."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Awaitable, Callable

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import HeaderParameter, JSONBody, PathParameter, QueryParameter

from resourcepool.accounts.identity import Identity
from resourcepool.bookings import idempotency, lifecycle, queries
from resourcepool.bookings.present import present_booking
from resourcepool.bookings.service import request_booking
from resourcepool.bookings.tables import STATUSES
from resourcepool.errors import N_, DomainError, ValidationFailed
from resourcepool.textrules import check_year
from resourcepool.calendar_feeds.feeds import booking_ics
from resourcepool.web.api.calendar import ics_response, parse_booking_ref
from resourcepool.web.auth import login_required, require_identity
from resourcepool.web.errors import domain_error_handler
from resourcepool.web.schemas.bookings import (
    BookingCreate,
    BookingOut,
    BookingPage,
    CancelOut,
    CancelRequest,
    SeriesOut,
    Transition,
)

IdempotencyKey = Annotated[str | None, HeaderParameter(name="Idempotency-Key", required=False,
                                                       description="Retry-safe key (≤255 characters)")]
Id = Annotated[int, PathParameter(ge=1, le=2**63 - 1)]
BookingRef = Annotated[str, PathParameter(max_length=30, description="The booking's id, or `{id}.ics`")]


def booking_out(booking: dict[str, Any]) -> BookingOut:
    return msgspec.convert(booking, BookingOut)


def _json(value: Any) -> Any:
    return msgspec.to_builtins(value)


async def _once(request: Request, identity: Identity, endpoint: str, key: str | None,
                payload: Any, work: Callable[[], Awaitable[tuple[int, Any]]]) -> Response[Any]:
    def render_error(exc: DomainError) -> tuple[int, Any]:
        response = domain_error_handler(request, exc)
        return response.status_code, response.content

    status, body = await idempotency.run_once(
        identity.user_id, endpoint, key, payload, work, render_error)
    media_type = "application/problem+json" if status >= 400 else "application/json"
    return Response(body, status_code=status, media_type=media_type)


class BookingsApi(Controller):
    path = "/bookings"
    guards = [login_required]
    tags = ["bookings"]

    @post("/", name="api_bookings_create", status_code=201,
          responses={201: ResponseSpec(BookingOut, description="The booking, or for a recurrence"
                                                                " {series, bookings, skipped}"),
                     200: ResponseSpec(SeriesOut, description="(never sent; documents the series shape)")})
    async def create(self, request: Request, data: JSONBody[BookingCreate],
                     idempotency_key: IdempotencyKey = None) -> Response[Any]:
        """Book an asset (409 `slot_unavailable`, 422 `policy_violation`)."""
        identity = require_identity(request)

        async def work() -> tuple[int, Any]:
            result = await request_booking(
                identity, data.asset_id, data.start, data.end, data.purpose,
                quantity=data.quantity, attendees=data.attendees,
                organisation_id=data.organisation_id, recurrence=data.recurrence,
                on_conflict=data.on_conflict)
            if data.recurrence:
                return 201, _json(msgspec.convert(result, SeriesOut))
            return 201, _json(booking_out(result))

        return await _once(request, identity, "POST /api/v1/bookings", idempotency_key,
                           _json(data), work)

    @get("/", name="api_bookings_list")
    async def list_bookings(
        self, request: Request,
        which: Annotated[str, QueryParameter(name="scope", max_length=20)] = "mine",
        status: Annotated[str | None, QueryParameter(max_length=200)] = None,
        start: Annotated[datetime | None, QueryParameter(name="from")] = None,
        end: Annotated[datetime | None, QueryParameter(name="to")] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
        offset: Annotated[int, QueryParameter(ge=0, le=1_000_000)] = 0,
    ) -> BookingPage:
        """`scope=mine`: booked by my organisations; `incoming`: bookings of the assets offered
        by the organisations I *manage* (as on the incoming-requests page) — for a plain member
        the list is empty, since deciding and seeing others' requests is the managers' job."""
        identity = require_identity(request)
        if which not in ("mine", "incoming"):
            raise ValidationFailed(N_("scope must be mine or incoming."), field="scope")
        statuses = [s.strip() for s in status.split(",") if s.strip()] if status else None
        if statuses and any(s not in STATUSES for s in statuses):
            raise ValidationFailed(N_("Unknown status."), field="status")
        for value, name in ((start, "from"), (end, "to")):
            if value is None:
                continue
            if value.tzinfo is None:
                raise ValidationFailed(N_("Times need a timezone offset."), field=name)
            check_year(value, name)  # year 9999 with a negative offset overflows in PostgreSQL
        organisation_ids = queries.scope_organisations(identity, which)
        rows, total = await queries.list_bookings(organisation_ids, which, statuses, start, end,
                                                  limit, offset)
        return BookingPage(items=[booking_out(present_booking(r)) for r in rows], total=total)

    # A str parameter: Litestar cannot put ".ics" after an int parameter, and a second route
    # with a str parameter at this level would replace this one (one parameter per level).
    @get("/{booking_id:str}", name="api_bookings_get",
         responses={200: ResponseSpec(BookingOut, description="The booking as JSON, or with "
                                      "`{id}.ics` as an iCalendar file (text/calendar)")})
    async def read(self, request: Request, booking_id: BookingRef) -> Response[Any]:
        """One booking with its history (booking organisation and owner only; else 404).
        `GET /api/v1/bookings/{id}.ics`: the booking as an iCalendar file."""
        identity = require_identity(request)
        number, ics = parse_booking_ref(booking_id)
        if ics:
            return ics_response(await booking_ics(identity, number), f"booking-{number}.ics")
        return Response(_json(booking_out(await lifecycle.get_booking(identity, number))))

    async def _transition(self, request: Request, booking_id: Id, action: str, payload: Any,
                          key: str | None, run: Callable[[Identity], Awaitable[Any]]) -> Response[Any]:
        identity = require_identity(request)

        async def work() -> tuple[int, Any]:
            return 200, _json(await run(identity))

        return await _once(request, identity, f"POST /api/v1/bookings/{booking_id}/{action}",
                           key, payload, work)

    @post("/{booking_id:int}/approve", name="api_bookings_approve", status_code=200,
          responses={200: ResponseSpec(BookingOut)})
    async def approve(self, request: Request, booking_id: Id, data: JSONBody[Transition | None] = None,
                      idempotency_key: IdempotencyKey = None) -> Response[Any]:
        reason = data.reason if data else None
        return await self._transition(
            request, booking_id, "approve", {"reason": reason}, idempotency_key,
            lambda who: _booking(lifecycle.approve_booking(who, booking_id, reason)))

    @post("/{booking_id:int}/decline", name="api_bookings_decline", status_code=200,
          responses={200: ResponseSpec(BookingOut)})
    async def decline(self, request: Request, booking_id: Id, data: JSONBody[Transition | None] = None,
                      idempotency_key: IdempotencyKey = None) -> Response[Any]:
        reason = data.reason if data else None
        return await self._transition(
            request, booking_id, "decline", {"reason": reason}, idempotency_key,
            lambda who: _booking(lifecycle.decline_booking(who, booking_id, reason)))

    @post("/{booking_id:int}/cancel", name="api_bookings_cancel", status_code=200,
          responses={200: ResponseSpec(CancelOut)})
    async def cancel(self, request: Request, booking_id: Id, data: JSONBody[CancelRequest | None] = None,
                     idempotency_key: IdempotencyKey = None) -> Response[Any]:
        """Cancel one booking, or (`scope: following`) also the later ones of its series."""
        reason, scope = (data.reason, data.scope) if data else (None, "this")

        async def run(who: Identity) -> CancelOut:
            done = await lifecycle.cancel_booking(who, booking_id, reason, scope)
            return CancelOut(cancelled=[booking_out(b) for b in done])

        return await self._transition(request, booking_id, "cancel",
                                      {"reason": reason, "scope": scope}, idempotency_key, run)

    @post("/{booking_id:int}/no-show", name="api_bookings_no_show", status_code=200,
          responses={200: ResponseSpec(BookingOut)})
    async def no_show(self, request: Request, booking_id: Id, data: JSONBody[Transition | None] = None,
                      idempotency_key: IdempotencyKey = None) -> Response[Any]:
        reason = data.reason if data else None
        return await self._transition(
            request, booking_id, "no-show", {"reason": reason}, idempotency_key,
            lambda who: _booking(lifecycle.mark_no_show(who, booking_id, reason)))


async def _booking(pending: Awaitable[dict[str, Any]]) -> BookingOut:
    return booking_out(await pending)
