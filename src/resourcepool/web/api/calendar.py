"""JSON API of calendars: feed tokens, one booking as .ics, notification settings."""

from __future__ import annotations

import re
from typing import Annotated

from litestar import Controller, Request, Response, delete, get, post, put
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import JSONBody, Parameter, PathParameter
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from resourcepool.accounts.service import get_user, set_user_language
from resourcepool.calendar_feeds.tokens import FeedInfo, create_feed, list_feeds, revoke_feed
from resourcepool.errors import N_, NotFound
from resourcepool.notifications.preferences import Preferences, get_preferences, save_preferences
from resourcepool.web.auth import login_required, require_identity
from resourcepool.web.schemas.calendar import FeedCreate, FeedOut, NotificationSettings
from resourcepool.web.schemas.common import Page, Problem

BIGINT_MAX = 2**63 - 1
_BOOKING_REF = re.compile(r"^([1-9][0-9]{0,18})(\.ics)?$")
ICS = "text/calendar; charset=utf-8"


def _problems(*statuses: int) -> dict[int, ResponseSpec]:
    what = {401: "not_authenticated", 404: "not_found", 409: "too_many_feeds",
            422: "validation_error"}
    return {s: ResponseSpec(Problem, description=what[s], media_type="application/problem+json")
            for s in statuses}


def feed_out(info: FeedInfo) -> FeedOut:
    return FeedOut(info.id, info.scope, info.target_id, info.name, info.created_at,
                   info.last_used_at, info.url)


def parse_booking_ref(text: str) -> tuple[int, bool]:
    """"12" → (12, False); "12.ics" → (12, True); anything else is not a booking (NotFound)."""
    match = _BOOKING_REF.match(text)
    if match is None or int(match.group(1)) > BIGINT_MAX:
        raise NotFound(N_("This booking does not exist."))
    return int(match.group(1)), bool(match.group(2))


def ics_response(body: bytes, filename: str) -> Response[bytes]:
    return Response(body, media_type=ICS, headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "private, no-store"})


class CalendarFeedsApi(Controller):
    path = "/calendar-feeds"
    guards = [login_required]
    tags = ["calendar"]

    @post("/", status_code=HTTP_201_CREATED, summary="Create a calendar feed",
           responses=_problems(401, 404, 409, 422))
    async def create(self, request: Request, data: JSONBody[FeedCreate]) -> FeedOut:
        """A feed of an asset you may see, of one of your organisations, or of your own
        bookings. The answer's `url` carries the secret token; it is shown only here."""
        return feed_out(await create_feed(require_identity(request), data.scope, data.id))

    @get("/", summary="Your live calendar feeds", responses=_problems(401))
    async def list(self, request: Request,
                   limit: Annotated[int, Parameter(ge=1, le=100)] = 50,
                   offset: Annotated[int, Parameter(ge=0, le=1_000_000)] = 0) -> Page[FeedOut]:
        feeds, total = await list_feeds(require_identity(request).user_id, limit, offset)
        return Page(items=[feed_out(f) for f in feeds], total=total)

    @delete("/{feed_id:int}", status_code=HTTP_204_NO_CONTENT, summary="Revoke a calendar feed",
            responses=_problems(401, 404))
    async def revoke(self, request: Request,
                     feed_id: Annotated[int, PathParameter(ge=1, le=BIGINT_MAX)]) -> None:
        await revoke_feed(require_identity(request).user_id, feed_id)


class NotificationSettingsApi(Controller):
    path = "/notification-settings"
    guards = [login_required]
    tags = ["calendar"]

    @get("/", summary="Your notification settings", responses=_problems(401))
    async def read(self, request: Request) -> NotificationSettings:
        return await _settings_of(require_identity(request).user_id)

    @put("/", summary="Change your notification settings", responses=_problems(401, 422))
    async def change(self, request: Request, data: JSONBody[NotificationSettings]) -> NotificationSettings:
        """All of them at once; `language` left out (or null) keeps the language as it is."""
        identity = require_identity(request)
        await save_preferences(identity.user_id,
                               Preferences(data.booking_emails, data.owner_emails, data.reminder_minutes))
        if data.language is not None:
            await set_user_language(identity.user_id, data.language)
        return await _settings_of(identity.user_id)


async def _settings_of(user_id: int) -> NotificationSettings:
    p = await get_preferences(user_id)
    language = (await get_user(user_id)).locale
    return NotificationSettings(p.booking_emails, p.owner_emails, p.reminder_minutes,  # type: ignore[arg-type]
                                language)  # type: ignore[arg-type]
