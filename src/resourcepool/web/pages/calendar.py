"""Calendar pages: the feed URL itself (no session: the token is the key), a booking's .ics
for signed-in users, and the account page's sections for feeds and notification settings."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import Parameter, PathParameter
from litestar.response import Redirect, Response, Template

from resourcepool.accounts.identity import Identity
from resourcepool.calendar_feeds.feeds import booking_ics, last_modified_header, read_feed
from resourcepool.calendar_feeds.tokens import create_feed, list_feeds, revoke_feed
from resourcepool.errors import N_, NotFound, ValidationFailed
from resourcepool.notifications.preferences import Preferences, get_preferences, save_preferences
from resourcepool.organisations.queries import organisation_names
from resourcepool.web.api.calendar import ICS, ics_response
from resourcepool.web.auth import login_required, require_identity
from resourcepool.web.forms import read_form

BIGINT_MAX = 2**63 - 1
Id = Annotated[int, PathParameter(ge=1, le=BIGINT_MAX)]
REMINDER_CHOICES = ((1440, N_("24 hours before")), (120, N_("2 hours before")), (0, N_("No reminder")))


async def account_calendar_context(identity: Identity) -> dict[str, Any]:
    """What the account page's feed and notification sections show."""
    user_id, organisation_ids = identity.user_id, identity.organisation_ids
    feeds, _total = await list_feeds(user_id)
    return {
        "manages_assets": bool(identity.managed_organisation_ids),
        "calendar_feeds": feeds,
        "feed_organisations": sorted((await organisation_names(organisation_ids)).items(),
                                     key=lambda item: item[1].lower()) if organisation_ids else [],
        "notification_preferences": await get_preferences(user_id),
        "reminder_choices": REMINDER_CHOICES,
    }


class CalendarFeedPages(Controller):
    """The subscribable feed: read-only, no session, 404 unless the token is live."""

    include_in_schema = False

    @get("/calendar/{name:str}", name="calendar_feed")
    async def feed(self, request: Request, name: Annotated[str, Parameter(max_length=120)]) -> Response[bytes]:
        token = name.removesuffix(".ics")
        document = await read_feed(token, request.headers.get("if-none-match"),
                                   request.headers.get("if-modified-since"))
        headers = {"ETag": document.etag,
                   # The URL is a secret: shared caches must not keep it; clients revalidate.
                   "Cache-Control": "private, no-cache",
                   "X-Robots-Tag": "noindex"}
        modified = last_modified_header(document.last_modified)
        if modified:
            headers["Last-Modified"] = modified
        if document.body is None:
            return Response(b"", status_code=304, headers=headers)
        headers["Content-Disposition"] = 'inline; filename="resourcepool.ics"'
        return Response(document.body, media_type=ICS, headers=headers)


class CalendarPages(Controller):
    include_in_schema = False
    guards = [login_required]

    @get("/bookings/{booking_id:int}/calendar.ics", name="booking_ics")
    async def booking_ics(self, request: Request, booking_id: Id) -> Response[bytes]:
        body = await booking_ics(require_identity(request), booking_id)
        return ics_response(body, f"booking-{booking_id}.ics")

    @post("/account/calendar-feeds", name="account_feed_create")
    async def create(self, request: Request) -> Template:
        """Create a feed (from the account page or an asset's page) and show its URL once."""
        identity = require_identity(request)
        data = await read_form(request)
        scope = data.get("scope", "")
        target = data.get("id", "").strip()
        target_id = int(target) if target.isdigit() and len(target) <= 18 else None
        if scope in ("asset", "organisation") and target_id is None:
            raise NotFound(N_("Please choose what the feed shows."))
        feed = await create_feed(identity, scope, target_id)
        url = feed.url or ""
        return Template("calendar/feed_created.html", context={
            "feed": feed, "url": url,
            "webcal": "webcal://" + url.split("://", 1)[-1],
            "back": f"/assets/{target_id}" if scope == "asset" else "/account#calendar-feeds",
        })

    @post("/account/calendar-feeds/{feed_id:int}/revoke", name="account_feed_revoke")
    async def revoke(self, request: Request, feed_id: Id) -> Redirect:
        await revoke_feed(require_identity(request).user_id, feed_id)
        return Redirect("/account?done=feed_revoked#calendar-feeds", status_code=303)

    @post("/account/notifications", name="account_notifications")
    async def notifications(self, request: Request) -> Redirect:
        identity = require_identity(request)
        data = await read_form(request)
        reminder = data.get("reminder_minutes", "")
        if not reminder.isdigit() or len(reminder) > 5:
            raise ValidationFailed(N_("Choose no reminder, 2 hours or 24 hours before."),
                                   field="reminder_minutes")
        await save_preferences(identity.user_id, Preferences(
            booking_emails=data.get("booking_emails") == "1",
            owner_emails=data.get("owner_emails") == "1",
            reminder_minutes=int(reminder)))
        return Redirect("/account?done=notifications#notifications", status_code=303)
