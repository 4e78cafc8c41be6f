"""One optional photo per asset: type checked by its content (magic bytes), at most 5 MB."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from resourcepool.accounts.identity import Identity
from resourcepool.assets import queries
from resourcepool.assets.service import _managed
from resourcepool.db import sql
from resourcepool.db.engine import DB
from resourcepool.errors import N_, NotFound, ValidationFailed

MAX_BYTES = 5 * 1024 * 1024
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


class UnsupportedPhoto(ValidationFailed):
    """Not a JPEG, PNG or WebP image (whatever name or type the upload claims)."""

    code = "unsupported_media_type"


class PhotoTooLarge(ValidationFailed):
    code = "payload_too_large"


def sniff_image_type(data: bytes) -> str | None:
    """The image type by the file's first bytes, or None for anything else (scripts, SVG, HTML…)."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def check_photo(data: bytes) -> str:
    """The content type of an acceptable photo; raises for empty, too large or not an image."""
    if not data:
        raise ValidationFailed(N_("Choose a photo to upload."), field="photo")
    if len(data) > MAX_BYTES:
        raise PhotoTooLarge(N_("The photo is larger than 5 MB."), field="photo")
    content_type = sniff_image_type(data)
    if content_type is None:
        raise UnsupportedPhoto(N_("Only JPEG, PNG or WebP photos can be uploaded."), field="photo")
    return content_type


async def set_photo(identity: Identity | None, asset_id: int, data: bytes) -> str:
    """Store (or replace) the asset's photo; returns its content type."""
    content_type = check_photo(data)
    async with DB.transaction():
        await _managed(identity, asset_id)
        await sql.execute(
            """INSERT INTO asset_photo (asset_id, content_type, data) VALUES ($1, $2, $3)
               ON CONFLICT (asset_id) DO UPDATE
               SET content_type = EXCLUDED.content_type, data = EXCLUDED.data, created_at = now()""",
            asset_id, content_type, data)
        await sql.execute("UPDATE asset SET updated_at = now() WHERE id = $1", asset_id)
    return content_type


async def remove_photo(identity: Identity | None, asset_id: int) -> None:
    async with DB.transaction():
        await _managed(identity, asset_id)
        await sql.execute("DELETE FROM asset_photo WHERE asset_id = $1", asset_id)


@dataclass(frozen=True)
class Photo:
    asset_id: int
    content_type: str
    data: bytes
    etag: str

    @property
    def filename(self) -> str:
        return f"asset-{self.asset_id}.{EXTENSIONS[self.content_type]}"


async def get_photo(identity: Identity | None, asset_id: int) -> Photo:
    """The photo of an asset the identity may see."""
    if await queries.visible_asset(identity, asset_id) is None:
        raise NotFound(N_("There is no such asset."))
    row: dict[str, Any] | None = await sql.fetch_one(
        "SELECT content_type, data FROM asset_photo WHERE asset_id = $1", asset_id)
    if row is None:
        raise NotFound(N_("This asset has no photo."))
    data = bytes(row["data"])
    return Photo(asset_id, row["content_type"], data, '"' + hashlib.sha256(data).hexdigest()[:32] + '"')

