"""POST/GET/DELETE /api/v1/calendar-feeds: a random token of 256 bits in the URL, only its hash
stored; bad input is a clear 4xx that changes nothing."""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from resourcepool.calendar_feeds.tokens import MAX_FEEDS_PER_USER
from resourcepool.db import sql


async def test_creating_a_feed__returns_its_url_once_and_stores_only_a_hash(booked_world, api_as):
    world = await booked_world()
    client = await api_as(world["booker"])
    response = await client.post("/api/v1/calendar-feeds", json={"scope": "asset", "id": world["asset"].id})
    assert response.status_code == 201
    body = response.json()
    assert body["scope"] == "asset" and body["target_id"] == world["asset"].id
    assert body["name"] == world["asset"].title
    url = urlsplit(body["url"])
    assert url.scheme == "http" and url.netloc == "testserver"
    token = url.path.removeprefix("/calendar/").removesuffix(".ics")
    assert len(token.removeprefix("cal_")) >= 43  # 32 random bytes, base64url: 256 bits
    stored = await sql.fetch_one("SELECT * FROM calendar_feed")
    assert stored["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(stored)
    listed = (await client.get("/api/v1/calendar-feeds")).json()
    assert listed["total"] == 1 and listed["items"][0]["url"] is None  # never shown again
    assert listed["items"][0]["id"] == body["id"]


async def test_two_feeds_of_the_same_thing__have_different_tokens(booked_world, subscribe):
    world = await booked_world()
    first = await subscribe(world["booker"], "user")
    second = await subscribe(world["booker"], "user")
    assert first != second


async def test_bad_input__is_a_clear_4xx_and_changes_nothing(booked_world, api_as):
    world = await booked_world()
    client = await api_as(world["booker"])
    for body in ({"scope": "planet"}, {"scope": "asset"}, {"scope": "asset", "id": "7"},
                 {"scope": "asset", "id": 0}, {"scope": "asset", "id": 2**64},
                 {"scope": "user", "extra": 1}, [], "x", {"scope": None}):
        response = await client.post("/api/v1/calendar-feeds", json=body)
        assert 400 <= response.status_code < 500, (body, response.status_code)
        assert response.headers["content-type"].startswith("application/problem+json"), body
    malformed = await client.post("/api/v1/calendar-feeds", content=b"{\"scope\": ",
                                  headers={"content-type": "application/json"})
    assert malformed.status_code == 400
    assert (await client.delete("/api/v1/calendar-feeds/abc")).status_code in (400, 404)
    assert (await client.delete(f"/api/v1/calendar-feeds/{2**63}")).status_code == 400
    assert await sql.fetch_value("SELECT count(*) FROM calendar_feed") == 0


async def test_without_sign_in__the_feed_api_is_401(client):
    assert (await client.get("/api/v1/calendar-feeds")).status_code == 401
    assert (await client.post("/api/v1/calendar-feeds", json={"scope": "user"})).status_code == 401


async def test_a_user_has_at_most_a_hundred_feeds(booked_world, api_as):
    world = await booked_world()
    client = await api_as(world["booker"])
    await sql.execute(
        """INSERT INTO calendar_feed (user_id, scope, token_hash)
           SELECT $1, 'user', md5(n::text) || md5((n + 1000)::text) FROM generate_series(1, $2) n""",
        world["booker"].id, MAX_FEEDS_PER_USER)
    response = await client.post("/api/v1/calendar-feeds", json={"scope": "user"})
    assert response.status_code == 409 and response.json()["code"] == "too_many_feeds"
    assert (await client.get("/api/v1/calendar-feeds", params={"limit": 10})).json()["total"] == 100
