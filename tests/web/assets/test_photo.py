"""An asset's photo: checked by its content, at most 5 MB, served with nosniff to those who may see it."""

import struct
import zlib

import pytest

from resourcepool.db import sql
from tests.fixtures.platform import post_form


def tiny_png() -> bytes:
    """A real 1×1 PNG built by hand."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x80\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


@pytest.fixture
async def owner(make_organisation, make_user, make_asset):
    org = await make_organisation()
    manager = await make_user(organisation=org, role="manager")
    return manager, await make_asset(organisation=org)


async def test_png__is_accepted_and_served_inline_with_nosniff(owner, sign_in, make_organisation, make_user):
    manager, asset = owner
    browser = await sign_in(manager)
    png = tiny_png()
    response = await browser.post(f"/our-assets/{asset.id}/photo",
                                  data={"_csrf_token": browser.cookies.get("rp_csrf")},
                                  files={"photo": ("bild.png", png, "image/png")})
    assert response.status_code == 303, response.text
    # Somebody else in the same network may see the asset, so the photo too.
    neighbour = await make_user(organisation=await make_organisation(network=manager.organisation.network))
    photo = await (await sign_in(neighbour)).get(f"/assets/{asset.id}/photo")
    assert photo.status_code == 200 and photo.content == png
    assert photo.headers["content-type"] == "image/png"
    assert photo.headers["x-content-type-options"] == "nosniff"
    assert photo.headers["content-disposition"] == f'inline; filename="asset-{asset.id}.png"'
    assert "max-age" in photo.headers["cache-control"] and photo.headers["etag"]
    again = await (await sign_in(neighbour)).get(f"/assets/{asset.id}/photo",
                                                   headers={"If-None-Match": photo.headers["etag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("name,content,claimed", [
    ("evil.png", b"#!/bin/sh\nrm -rf /\n", "image/png"),
    ("bild.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "image/svg+xml"),
    ("seite.html", b"<html><script>alert(1)</script></html>", "text/html"),
    ("fake.jpg", b"<script>alert(1)</script>" + b"\xff\xd8\xff", "image/jpeg"),
], ids=["script named png", "svg", "html", "script with jpeg bytes later"])
async def test_not_an_image__is_refused_with_a_clear_message(owner, sign_in, name, content, claimed):
    manager, asset = owner
    browser = await sign_in(manager)
    response = await browser.post(f"/our-assets/{asset.id}/photo",
                                  data={"_csrf_token": browser.cookies.get("rp_csrf")},
                                  files={"photo": (name, content, claimed)})
    assert response.status_code == 415
    assert "JPEG, PNG" in response.text or "JPEG, PNG" in response.text.replace("&#34;", "")
    assert await sql.fetch_value("SELECT count(*) FROM asset_photo") == 0


async def test_api__svg_is_415ish_problem_and_large_photo_is_refused(owner, api_as):
    manager, asset = owner
    api = await api_as(manager)
    response = await api.put(f"/api/v1/assets/{asset.id}/photo",
                             files={"photo": ("x.svg", b"<svg></svg>", "image/svg+xml")})
    assert response.status_code == 422 and response.json()["code"] == "unsupported_media_type"
    big = tiny_png() + b"\x00" * (5 * 1024 * 1024)
    response = await api.put(f"/api/v1/assets/{asset.id}/photo", files={"photo": ("big.png", big, "image/png")})
    assert response.status_code in (413, 422) and response.json()["code"] == "payload_too_large"
    assert await sql.fetch_value("SELECT count(*) FROM asset_photo") == 0
    ok = await api.put(f"/api/v1/assets/{asset.id}/photo", files={"photo": ("p.png", tiny_png(), "image/png")})
    assert ok.status_code == 200
    assert (await api.get(f"/api/v1/assets/{asset.id}")).json()["photo_url"] == f"/assets/{asset.id}/photo"


async def test_photo_of_an_asset_you_may_not_see__is_not_found(owner, client, make_user, make_organisation, sign_in):
    manager, asset = owner
    await sql.execute("INSERT INTO asset_photo (asset_id, content_type, data) VALUES ($1, 'image/png', $2)",
                      asset.id, tiny_png())
    assert (await client.get(f"/assets/{asset.id}/photo")).status_code == 404
    stranger = await make_user(organisation=await make_organisation())
    assert (await (await sign_in(stranger)).get(f"/assets/{asset.id}/photo")).status_code == 404
