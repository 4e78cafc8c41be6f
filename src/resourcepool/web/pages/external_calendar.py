"""The external calendar section of the asset's edit page: upload, subscribe, stop (no JS needed).

Each form posts here; success goes back to the edit page, a refusal shows the edit page again
with the message next to the field (nothing changed).
"""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, post
from litestar.datastructures import UploadFile
from litestar.params import PathParameter
from litestar.response import Redirect, Template

from resourcepool.assets import service
from resourcepool.calendar_feeds import external
from resourcepool.calendar_feeds.imports import MAX_BYTES, too_large
from resourcepool.errors import N_, DomainError, ValidationFailed
from resourcepool.web.auth import current_identity, login_required
from resourcepool.web.errors import status_for
from resourcepool.web.forms import FormState, read_form
from resourcepool.web.pages.our_assets import _edit_page, values_from_asset

Id = Annotated[int, PathParameter(ge=1, le=2**63 - 1)]
# Room for the multipart envelope around the file.
FORM_LIMIT = MAX_BYTES + 64 * 1024


def _see(asset_id: int, done: str) -> Redirect:
    return Redirect(f"/our-assets/{asset_id}/edit?done={done}#external-calendar", status_code=303)


async def _refused(request: Request, asset_id: int, exc: DomainError, values: dict[str, str]) -> Template:
    asset = await service.get_managed_asset(current_identity(request), asset_id)
    if exc.field == "file":
        exc.field = "calendar"  # the form's file field
    form = FormState(values=values)
    form.add_error(exc)
    status = 413 if exc.code == "payload_too_large" else status_for(exc)
    return await _edit_page(request, asset, FormState(values=values_from_asset(asset)), status=status,
                            calendar_form=form)


class ExternalCalendarPages(Controller):
    path = "/our-assets/{asset_id:int}/external-calendar"
    guards = [login_required]

    @post("/file", name="our_assets_calendar_file", request_max_body_size=FORM_LIMIT)
    async def upload(self, request: Request, asset_id: Id) -> Template | Redirect:
        identity = current_identity(request)
        await service.get_managed_asset(identity, asset_id)  # 404 / 403 before reading the file
        announced = request.headers.get("content-length", "")
        try:
            if announced.isdigit() and int(announced) > FORM_LIMIT:
                raise too_large()
            form = await request.form()
            upload = form.get("calendar")
            data = await upload.read(MAX_BYTES + 1) if isinstance(upload, UploadFile) else b""
            if not data:
                raise ValidationFailed(N_("Choose a calendar file (.ics)."), field="file")
            await external.import_calendar_file(identity, asset_id, data)
        except ValidationFailed as exc:
            return await _refused(request, asset_id, exc, {})
        return _see(asset_id, "calendar")

    @post("/url", name="our_assets_calendar_url")
    async def subscribe(self, request: Request, asset_id: Id) -> Template | Redirect:
        identity = current_identity(request)
        data = await read_form(request)
        try:
            await external.subscribe_calendar(identity, asset_id, data.get("url", ""))
        except ValidationFailed as exc:
            return await _refused(request, asset_id, exc, {"url": data.get("url", "")})
        return _see(asset_id, "calendar")

    @post("/delete", name="our_assets_calendar_delete")
    async def remove(self, request: Request, asset_id: Id) -> Redirect:
        await external.remove_external_calendar(current_identity(request), asset_id)
        return _see(asset_id, "calendar_removed")
