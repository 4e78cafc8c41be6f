"""Helpers of the calendar tests: create a feed through the API and read it without a session."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.fixtures.platform import Made


@pytest.fixture
def subscribe(api_as):
    """subscribe(user, "asset", asset.id) → the feed's path (/calendar/<token>.ics)."""

    async def make(user: Made, scope: str, target_id: int | None = None) -> str:
        client = await api_as(user)
        body = {"scope": scope} if target_id is None else {"scope": scope, "id": target_id}
        response = await client.post("/api/v1/calendar-feeds", json=body)
        assert response.status_code == 201, response.text
        return urlsplit(response.json()["url"]).path

    return make


@pytest.fixture
def read_feed(new_client):
    """GET a feed path with a fresh client: no cookie, no token — only the URL."""

    async def get(path: str, **headers: str):
        return await new_client().get(path, headers=headers)

    return get
