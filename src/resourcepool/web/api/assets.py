"""JSON API of managing one asset: create, read, change, opening hours, closures, photo.

`GET /api/v1/assets` (search) and `/availability` live in web/api/catalogue.py.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from litestar import Controller, Request, delete, get, patch, post, put
from litestar.datastructures import UploadFile
from litestar.params import JSONBody, PathParameter
from litestar.response import Response

from resourcepool.assets import hours, photos, rules, service
from resourcepool.availability import closures
from resourcepool.web.auth import current_identity, login_required
from resourcepool.web.schemas.assets import (
    AssetCreate,
    AssetOut,
    AssetPatch,
    ClosureIn,
    ClosureOut,
    NetworkRef,
    OpeningHoursOut,
    OpeningHoursPut,
    PolicyOut,
    to_changes,
)


# Ids beyond bigint are a 400, not a database error.
Id = Annotated[int, PathParameter(ge=1, le=2**63 - 1)]


def _local(value: datetime, zone: ZoneInfo) -> datetime:
    return value.astimezone(zone)


def closure_out(row: dict[str, Any], zone: ZoneInfo) -> ClosureOut:
    return ClosureOut(id=row["id"], start=_local(row["starts_at"], zone), end=_local(row["ends_at"], zone),
                      rrule=row["rrule"], reason=row["reason"])


def hours_out(rows: list[dict[str, Any]]) -> list[OpeningHoursOut]:
    return [OpeningHoursOut(weekday=r["weekday"], start=rules.format_hhmm(r["start_minute"]),
                            end=rules.format_hhmm(r["end_minute"])) for r in rows]


def asset_out(asset: dict[str, Any]) -> AssetOut:
    """The service's asset dict as the API shows it (times in the asset's network offset)."""
    zone = ZoneInfo(asset["timezone"])
    common = {name: asset[name] for name in AssetOut.__struct_fields__ if name in asset
              and name not in {"networks", "opening_hours", "closures", "policy", "created_at", "updated_at"}}
    return AssetOut(
        **common,
        networks=[NetworkRef(id=n["id"], slug=n["slug"], name=n["name"]) for n in asset["networks"]],
        opening_hours=hours_out(asset["opening_hours"]),
        closures=[closure_out(c, zone) for c in asset["closures"]],
        policy=PolicyOut(**{f: asset[f] for f in PolicyOut.__struct_fields__}),
        photo_url=f"/assets/{asset['id']}/photo" if asset["has_photo"] else None,
        created_at=_local(asset["created_at"], zone),
        updated_at=_local(asset["updated_at"], zone),
    )


class AssetApi(Controller):
    path = "/assets"
    tags = ["assets"]

    @post("/", guards=[login_required], summary="Create an asset")
    async def create(self, request: Request, data: JSONBody[AssetCreate]) -> Response[AssetOut]:
        changes = to_changes(data)
        changes.update(organisation_id=data.organisation_id, kind=data.kind, title=data.title)
        asset = await service.create_asset(current_identity(request), changes)
        return Response(asset_out(asset), status_code=201,
                        headers={"Location": f"/api/v1/assets/{asset['id']}"})

    @get("/{asset_id:int}", summary="One asset")
    async def read(self, request: Request, asset_id: Id) -> AssetOut:
        return asset_out(await service.get_asset(current_identity(request), asset_id))

    @patch("/{asset_id:int}", guards=[login_required], summary="Change an asset (partial; status too)")
    async def change(self, request: Request, asset_id: Id, data: JSONBody[AssetPatch]) -> AssetOut:
        asset = await service.update_asset(current_identity(request), asset_id, to_changes(data))
        return asset_out(asset)

    @put("/{asset_id:int}/opening-hours", guards=[login_required], summary="Replace the weekly opening hours")
    async def set_hours(self, request: Request, asset_id: Id, data: JSONBody[OpeningHoursPut]) -> list[OpeningHoursOut]:
        rows = await hours.set_opening_hours(
            current_identity(request), asset_id, [(h.weekday, h.start, h.end) for h in data.opening_hours])
        return hours_out(rows)

    @post("/{asset_id:int}/closures", guards=[login_required], summary="Close an asset (once or repeating)")
    async def add_closure(self, request: Request, asset_id: Id, data: JSONBody[ClosureIn]) -> Response[ClosureOut]:
        identity = current_identity(request)
        row = await closures.add_closure(identity, asset_id, data.start, data.end, data.rrule, data.reason)
        asset = await service.get_asset(identity, asset_id)
        return Response(closure_out(row, ZoneInfo(asset["timezone"])), status_code=201)

    @delete("/{asset_id:int}/closures/{closure_id:int}", guards=[login_required], summary="Remove a closure")
    async def remove_closure(self, request: Request, asset_id: Id, closure_id: Id) -> None:
        await closures.remove_closure(current_identity(request), asset_id, closure_id)

    @put("/{asset_id:int}/photo", guards=[login_required], opt={"problems": (413, 422)},
         summary="Upload the photo (multipart field `photo`; JPEG, PNG or WebP, at most 5 MB)")
    async def upload_photo(self, request: Request, asset_id: Id) -> dict[str, str]:
        data = await read_upload(request)
        await photos.set_photo(current_identity(request), asset_id, data)
        return {"photo_url": f"/assets/{asset_id}/photo"}

    @delete("/{asset_id:int}/photo", guards=[login_required], summary="Remove the photo")
    async def remove_photo(self, request: Request, asset_id: Id) -> None:
        await photos.remove_photo(current_identity(request), asset_id)


async def read_upload(request: Request, field: str = "photo") -> bytes:
    """The bytes of the uploaded file in a multipart form (empty when there is none)."""
    form = await request.form()
    upload = form.get(field)
    if not isinstance(upload, UploadFile):
        return b""
    # One byte more than allowed is enough to tell "too large".
    return await upload.read(photos.MAX_BYTES + 1)
