"""JSON API of an asset's external calendar: `PUT/GET/DELETE /api/v1/assets/{id}/external-calendar`.

PUT with `Content-Type: text/calendar` imports the body as an .ics file; with
`application/json` `{"url": "https://…"}` subscribes to a calendar (fetched now, then hourly).
Either replaces the asset's previous external calendar; a calendar that cannot be read is
refused and changes nothing.
"""

from __future__ import annotations

from typing import Annotated, Any
from zoneinfo import ZoneInfo

import msgspec
from litestar import Controller, Request, delete, get, put
from litestar.params import PathParameter
from litestar.response import Response

from resourcepool import i18n
from resourcepool.calendar_feeds import external
from resourcepool.calendar_feeds.external import CalendarState
from resourcepool.calendar_feeds.imports import MAX_BYTES, too_large
from resourcepool.errors import N_, NotFound, ValidationFailed
from resourcepool.web.auth import current_identity, login_required
from resourcepool.web.errors import problem
from resourcepool.web.schemas.external_calendar import ExternalCalendarOut, SubscribeIn

Id = Annotated[int, PathParameter(ge=1, le=2**63 - 1)]
MAX_JSON = 4096


class BodyTooLarge(Exception):
    pass


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused (BodyTooLarge) as soon as it passes `limit` bytes."""
    announced = request.headers.get("content-length", "")
    if announced.isdigit() and int(announced) > limit:
        raise BodyTooLarge
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise BodyTooLarge
    return bytes(body)


def calendar_out(state: CalendarState) -> ExternalCalendarOut:
    zone = ZoneInfo(state.timezone)

    def local(value: Any) -> Any:
        return value.astimezone(zone) if value is not None else None

    return ExternalCalendarOut(
        asset_id=state.asset_id, source=state.source, url=state.url,  # type: ignore[arg-type]
        state=state.state, busy_count=state.busy_count,  # type: ignore[arg-type]
        event_count=state.event_count, refreshed_at=local(state.refreshed_at),
        attempted_at=local(state.attempted_at), next_refresh_at=local(state.next_refresh_at),
        error=i18n.translate(state.error, state.error_params) if state.error else None)


def _too_large(request: Request) -> Response[dict[str, Any]]:
    exc = too_large()
    return problem(413, exc.code, i18n.translate(exc.message, exc.params), instance=request.url.path,
                   field="file")


class ExternalCalendarApi(Controller):
    path = "/assets/{asset_id:int}/external-calendar"
    tags = ["assets"]

    @put("/", guards=[login_required], request_max_body_size=None, opt={"problems": (404, 413, 415, 422)},
         summary="Block the asset from an external calendar (upload or subscribe)",
         description=("`Content-Type: text/calendar`: the body is an .ics file (at most 2 MB). "
                      "`application/json` `{\"url\": \"https://…\"}`: subscribe; the calendar is "
                      "fetched now and every hour. Recurring events are expanded up to the asset's "
                      "booking horizon. Replaces the previous external calendar; a calendar that "
                      "cannot be read is refused (413, 415, 422) and changes nothing."))
    async def put_calendar(self, request: Request, asset_id: Id) -> Response[ExternalCalendarOut]:
        identity = current_identity(request)
        media_type = request.content_type[0]
        try:
            if media_type == "text/calendar":
                data = await read_body(request, MAX_BYTES)
                state = await external.import_calendar_file(identity, asset_id, data)
            elif media_type == "application/json":
                body = await read_body(request, MAX_JSON)
                try:
                    wanted = msgspec.json.decode(body, type=SubscribeIn)
                except msgspec.ValidationError as exc:
                    raise ValidationFailed(N_("Send {\"url\": \"https://…\"}."), field="url") from exc
                except msgspec.DecodeError as exc:
                    raise ValidationFailed(N_("The request body is not valid JSON."), field="url") from exc
                state = await external.subscribe_calendar(identity, asset_id, wanted.url)
            else:
                return problem(  # type: ignore[return-value]
                    415, "unsupported_media_type", i18n.gettext(
                        N_("Send an .ics file as text/calendar, or {\"url\": …} as application/json.")),
                    instance=request.url.path)
        except BodyTooLarge:
            return _too_large(request)  # type: ignore[return-value]
        except ValidationFailed as exc:
            if exc.code == "payload_too_large":
                return _too_large(request)  # type: ignore[return-value]
            raise
        return Response(calendar_out(state))

    @get("/", guards=[login_required], summary="The asset's external calendar: state, last refresh, error")
    async def get_calendar(self, request: Request, asset_id: Id) -> ExternalCalendarOut:
        state = await external.external_calendar(current_identity(request), asset_id)
        if state is None:
            raise NotFound(N_("This asset has no external calendar."))
        return calendar_out(state)

    @delete("/", guards=[login_required], summary="Stop blocking the asset from its external calendar")
    async def delete_calendar(self, request: Request, asset_id: Id) -> None:
        await external.remove_external_calendar(current_identity(request), asset_id)
