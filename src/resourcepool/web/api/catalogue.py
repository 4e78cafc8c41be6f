"""JSON API of the catalogue (read only): search `GET /assets`, `GET /assets/{id}/availability`.

Writing assets (POST/PATCH) lives in web/api/assets.py on the same paths.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated
from zoneinfo import ZoneInfo

from litestar import Controller, Request, get
from litestar.params import PathParameter, QueryParameter

from resourcepool.availability.search import DEFAULT_LIMIT, AssetSummary, SearchParams, search_assets
from resourcepool.availability.service import get_availability
from resourcepool.errors import N_, ValidationFailed
from resourcepool.settings import get_settings
from resourcepool.textrules import check_year, has_control_characters
from resourcepool.web.auth import current_identity
from resourcepool.web.schemas.catalogue import (
    AssetSearchPage,
    AssetSummaryOut,
    AvailabilityOut,
    BusyOut,
    FreeOut,
)

MAX_ID = 2**63 - 1
Id = Annotated[int, PathParameter(ge=1, le=MAX_ID)]
Text = Annotated[str | None, QueryParameter(max_length=200)]
Count = Annotated[int | None, QueryParameter(description="A whole number ≥ 0")]


def parse_time(text: str | None, field: str, tz: str | None = None) -> datetime | None:
    """RFC 3339 (with offset); a time without offset or a bare date is read in `tz`."""
    if text is None or not text.strip():
        return None
    value = text.strip()
    try:
        if has_control_characters(value):
            raise ValueError(value)
        if len(value) == 10:
            parsed = datetime.combine(date.fromisoformat(value), time())
        else:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace(" ", "T", 1))
    except ValueError:
        raise ValidationFailed(
            N_("Give a date and time like 2026-05-04T18:00:00+02:00."), field=field
        ) from None
    # Years like 0001 or 9999 overflow once the window is widened or shifted.
    check_year(parsed, field)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=ZoneInfo(tz or get_settings().default_timezone))
    return parsed


def required_time(text: str | None, field: str) -> datetime:
    """parse_time for a time that must be given (an empty or blank one is refused)."""
    parsed = parse_time(text, field)
    if parsed is None:
        raise ValidationFailed(N_("Give a date and time like 2026-05-04T18:00:00+02:00."), field=field)
    return parsed


def summary_out(a: AssetSummary) -> AssetSummaryOut:
    return AssetSummaryOut(
        id=a.id, kind=a.kind, title=a.title, status=a.status,  # type: ignore[arg-type]
        organisation_id=a.organisation_id, organisation_name=a.organisation_name, sector=a.sector,
        district=a.district, capacity=a.capacity, quantity=a.quantity, accessibility=a.accessibility,
        timezone=a.timezone, photo_url=f"/assets/{a.id}/photo" if a.has_photo else None,
    )


class CatalogueApi(Controller):
    path = "/assets"
    tags = ["assets"]

    @get("/", summary="Search the catalogue", description=(
        "Filters: kind, q (full text, German and English), network (slug), district, sector (the "
        "owner's), min_capacity, min_quantity, accessible (comma-separated features, all required), "
        "free_from + free_to (free for the whole window, at most 31 days). Times without an offset "
        "are read in the default timezone (RESOURCEPOOL_TIMEZONE, Europe/Berlin)."))
    async def search(
        self,
        request: Request,
        kind: Text = None,
        q: Text = None,
        network: Text = None,
        district: Text = None,
        sector: Text = None,
        min_capacity: Count = None,
        min_quantity: Count = None,
        accessible: Annotated[str | None, QueryParameter(max_length=500)] = None,
        free_from: Text = None,
        free_to: Text = None,
        limit: Annotated[int, QueryParameter(ge=1, le=100)] = DEFAULT_LIMIT,
        offset: Annotated[int, QueryParameter(ge=0, le=10_000_000)] = 0,
    ) -> AssetSearchPage:
        params = SearchParams(
            kind=kind or None, q=q, network=network or None, district=district, sector=sector or None,
            min_capacity=min_capacity, min_quantity=min_quantity,
            accessible=tuple(f.strip() for f in (accessible or "").split(",") if f.strip()),
            free_from=parse_time(free_from, "free_from"), free_to=parse_time(free_to, "free_to"),
            limit=limit, offset=offset,
        )
        result = await search_assets(current_identity(request), params)
        return AssetSearchPage(items=[summary_out(a) for a in result.items], total=result.total)

    @get("/{asset_id:int}/availability", summary="Free and busy time of an asset", description=(
        "`from` and `to` (RFC 3339; at most 62 days apart). Busy blocks carry only their times "
        "and source (booking, closure, external — the owner's imported calendar —, closed)."))
    async def availability(
        self,
        request: Request,
        asset_id: Id,
        from_: Annotated[str, QueryParameter(name="from", max_length=40)],
        to: Annotated[str, QueryParameter(max_length=40)],
    ) -> AvailabilityOut:
        start, end = required_time(from_, "from"), required_time(to, "to")
        result = await get_availability(current_identity(request), asset_id, start, end)
        z = ZoneInfo(result.timezone)
        return AvailabilityOut(
            asset_id=result.asset.id, timezone=result.timezone, quantity=result.asset.quantity,
            free=[FreeOut(f.start.astimezone(z), f.end.astimezone(z), f.quantity) for f in result.free],
            busy=[BusyOut(b.start.astimezone(z), b.end.astimezone(z), b.source)  # type: ignore[arg-type]
                  for b in result.busy],
        )
