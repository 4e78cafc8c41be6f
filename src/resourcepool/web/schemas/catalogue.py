"""msgspec Structs of the catalogue API: search results and availability."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import msgspec


class AssetSummaryOut(msgspec.Struct):
    id: int
    kind: Literal["room", "vehicle", "device", "expertise"]
    title: str
    status: str
    organisation_id: int
    organisation_name: str
    sector: str
    district: str
    capacity: int | None
    quantity: int
    accessibility: list[str]
    timezone: str
    photo_url: str | None


class AssetSearchPage(msgspec.Struct):
    items: list[AssetSummaryOut]
    total: int


class FreeOut(msgspec.Struct):
    start: datetime
    end: datetime
    quantity: int


class BusyOut(msgspec.Struct):
    start: datetime
    end: datetime
    source: Literal["booking", "closure", "external", "closed"]


class AvailabilityOut(msgspec.Struct):
    asset_id: int
    timezone: str
    quantity: int
    free: list[FreeOut]
    busy: list[BusyOut]
