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


class Inbox:
    """An SMTP server's mailbox (aiosmtpd): what a mail client would receive."""

    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        import email
        from email import policy

        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"].addresses[0].addr_spec == address]


@pytest.fixture
def smtp_inbox():
    """A real SMTP server on a free local port; returns (inbox, settings that send to it)."""
    import dataclasses
    import socket

    from aiosmtpd.controller import Controller

    from resourcepool.settings import get_settings

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings = dataclasses.replace(get_settings(), smtp_host="127.0.0.1", smtp_port=port,
                                   smtp_starttls=False, smtp_user=None)
    yield inbox, settings
    controller.stop()


def calendar_part(message):
    """The text/calendar part of an email (multipart/mixed → multipart/alternative)."""
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return part
    raise AssertionError("no text/calendar part")
