"""Catalogue pages: /catalogue (filters and "free from–to" search) and /assets/{id} (details, week).

Everything works with plain GET forms; no JavaScript needed.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from litestar import Controller, Request, get
from litestar.params import PathParameter
from litestar.response import Template

from resourcepool.assets import service as asset_service
from resourcepool.assets.rules import ACCESSIBILITY_FEATURES, KINDS, SECTORS
from resourcepool.availability.search import (
    SearchParams,
    known_districts,
    owner_of,
    search_assets,
    visible_networks,
)
from resourcepool.availability.service import week_calendar
from resourcepool.errors import N_, ValidationFailed
from resourcepool.settings import get_settings
from resourcepool.textrules import check_year
from resourcepool.web.auth import current_identity
from resourcepool.web.forms import FormState
from resourcepool.web.pages.our_assets import (
    DELIVERY_NAMES,
    FEATURE_NAMES,
    FUEL_NAMES,
    KIND_NAMES,
    SECTOR_NAMES,
    WEEKDAYS,
)

Id = Annotated[int, PathParameter(ge=1, le=2**63 - 1)]
PAGE_SIZE = 12

STATE_NAMES = {"free": N_("Free"), "booking": N_("Booked"), "closure": N_("Closed"),
               "closed": N_("Not open"), "past": N_("Past"), "none": N_("No such time"),
               "external": N_("Busy elsewhere")}
# Why the week shows no booking links (the booking service takes active assets only).
NOT_BOOKABLE = {"paused": N_("Paused — not bookable right now."),
                "draft": N_("Draft — not bookable until it is activated."),
                "retired": N_("Retired — no longer bookable.")}


def _int(values: dict[str, str], name: str, form: FormState) -> int | None:
    raw = values.get(name, "").strip()
    if not raw:
        return None
    try:
        number = int(raw)
    except ValueError:
        form.add_error(ValidationFailed(N_("Enter a whole number."), field=name))
        return None
    if number < 0:
        form.add_error(ValidationFailed(N_("Enter a number of at least %(low)s."), field=name, low=0))
        return None
    return number


def _window(values: dict[str, str], tz: str, form: FormState) -> tuple[datetime | None, datetime | None]:
    """The free-time window from a date and two times (HH:MM) in the network's timezone.

    An end time at or before the start time means the next day (an evening until 01:00).
    """
    day_raw, start_raw, end_raw = (values.get(k, "").strip() for k in ("date", "from", "to"))
    if not (day_raw or start_raw or end_raw):
        return None, None
    if not day_raw:
        form.add_error(ValidationFailed(N_("Choose a date for the free time."), field="date"))
        return None, None
    try:
        day = date.fromisoformat(day_raw)
        # 9999-12-31 would overflow below (the end of the day is the next day).
        check_year(day, "date")
    except ValueError:
        form.add_error(ValidationFailed(N_("Enter a date like 2026-05-04."), field="date"))
        return None, None
    except ValidationFailed as exc:
        form.add_error(exc)
        return None, None
    try:
        start_t = time.fromisoformat(start_raw) if start_raw else time(0)
    except ValueError:
        form.add_error(ValidationFailed(N_("Enter a time like 18:00."), field="from"))
        return None, None
    try:
        end_t = time.fromisoformat(end_raw) if end_raw else None
    except ValueError:
        form.add_error(ValidationFailed(N_("Enter a time like 18:00."), field="to"))
        return None, None
    z = ZoneInfo(tz)
    start = datetime.combine(day, start_t, z)
    if end_t is None:
        end = datetime.combine(day + timedelta(days=1), time(0), z)
    elif end_t <= start_t:
        end = datetime.combine(day + timedelta(days=1), end_t, z)
    else:
        end = datetime.combine(day, end_t, z)
    return start, end


def _page_link(values: dict[str, Any], accessible: list[str], page: int) -> str:
    pairs = [(k, v) for k, v in values.items() if v and k != "page"]
    pairs += [("accessible", f) for f in accessible]
    if page > 1:
        pairs.append(("page", str(page)))
    return "/catalogue" + ("?" + urlencode(pairs) if pairs else "")


def _names() -> dict[str, Any]:
    return {"KIND_NAMES": KIND_NAMES, "FEATURE_NAMES": FEATURE_NAMES, "SECTOR_NAMES": SECTOR_NAMES,
            "FUEL_NAMES": FUEL_NAMES, "DELIVERY_NAMES": DELIVERY_NAMES, "WEEKDAYS": WEEKDAYS,
            "STATE_NAMES": STATE_NAMES, "NOT_BOOKABLE": NOT_BOOKABLE}


class CataloguePages(Controller):
    @get("/catalogue", name="catalogue")
    async def catalogue(self, request: Request) -> Template:
        identity = current_identity(request)
        query = request.query_params
        keys = ("q", "kind", "district", "network", "sector", "min_capacity", "min_quantity", "date",
                "from", "to", "page")
        values = {k: (query.get(k) or "")[:200] for k in keys}
        accessible = [f for f in query.getall("accessible", []) if f in ACCESSIBILITY_FEATURES]
        form = FormState(values=values)
        networks = await visible_networks(identity)
        network = next((n for n in networks if n["slug"] == values["network"]), None)
        tz = network["timezone"] if network else (networks[0]["timezone"] if networks
                                                  else get_settings().default_timezone)
        kind = values["kind"] if values["kind"] in KINDS else None
        sector = values["sector"] if values["sector"] in SECTORS else None
        min_capacity = _int(values, "min_capacity", form)
        min_quantity = _int(values, "min_quantity", form)
        page = max(1, _int(values, "page", FormState()) or 1)
        free_from, free_to = _window(values, tz, form)
        result = None
        if form.ok and networks:
            params = SearchParams(
                kind=kind, q=values["q"] or None, network=network["slug"] if network else None,
                district=values["district"] or None, sector=sector, min_capacity=min_capacity,
                min_quantity=min_quantity, accessible=tuple(accessible), free_from=free_from, free_to=free_to,
                limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE,
            )
            try:
                result = await search_assets(identity, params)
            except ValidationFailed as exc:
                exc.field = {"free_to": "to", "free_from": "from"}.get(exc.field or "", exc.field)
                form.add_error(exc)
        pages = ((result.total - 1) // PAGE_SIZE + 1) if result and result.total else 0
        return Template("catalogue/index.html", context={
            "form": form, "values": values, "accessible": accessible, "networks": networks,
            "districts": await known_districts(identity) if networks else [],
            "result": result, "page": page, "pages": pages, "tz": tz,
            "free_from": free_from, "free_to": free_to, "kinds": KINDS, "sectors": SECTORS,
            "features": ACCESSIBILITY_FEATURES,
            "previous_link": _page_link(values, accessible, page - 1) if page > 1 else None,
            "next_link": _page_link(values, accessible, page + 1) if page < pages else None,
            "booking_window": {"start": free_from, "end": free_to} if free_from else None,
            **_names(),
        })

    @get("/assets/{asset_id:int}", name="asset_page")
    async def asset_page(self, request: Request, asset_id: Id) -> Template:
        identity = current_identity(request)
        asset = await asset_service.get_asset(identity, asset_id)
        week_raw = request.query_params.get("week", "")
        try:
            day = date.fromisoformat(week_raw) if week_raw else None
        except ValueError:
            day = None
        if day is not None and not date(2000, 1, 1) <= day <= date(2100, 1, 1):
            day = None
        calendar = await week_calendar(identity, asset_id, day, asset["timezone"])
        return Template("catalogue/asset.html", context={
            "asset": asset, "owner": await owner_of(asset["organisation_id"]), "calendar": calendar, "tz": calendar.asset.timezone,
            "is_owner": identity is not None and identity.is_member_of(asset["organisation_id"]),
            "signed_in": identity is not None,
            "booking_query": lambda cell: urlencode({
                "asset_id": asset_id,
                "start": cell.book_start.astimezone(ZoneInfo(calendar.asset.timezone)).isoformat(),
                "end": cell.book_end.astimezone(ZoneInfo(calendar.asset.timezone)).isoformat(),
            }),
            **_names(),
        })

