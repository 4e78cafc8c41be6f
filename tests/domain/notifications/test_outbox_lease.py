"""A slow SMTP server never makes two senders deliver one message twice: the lease is renewed per
message (and while one message is sent), and a sender skips a message whose lease it lost."""

import asyncio
from datetime import timedelta

import pytest

from resourcepool import clock
from resourcepool.db import sql
from resourcepool.notifications.outbox import enqueue_message
from resourcepool.notifications.sender import deliver_due
from tests.fixtures.smtp import Inbox

pytestmark = pytest.mark.usefixtures("app")

LEASE = timedelta(seconds=1)


async def _lease_ran_out_on_a_waiting_message() -> None:
    """Wait until a claimed, unsent message's lease has ended (another sender may take it)."""
    for _ in range(200):
        if await sql.fetch_value(
                "SELECT count(*) FROM outbox_message WHERE sent_at IS NULL AND attempts = 0 "
                "AND lease_token IS NOT NULL AND next_attempt_at < $1", clock.now()):
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the first sender's lease never ran out")


async def test_a_batch_that_outlasts_its_lease__is_shared_not_sent_twice(smtp_server):
    inbox = Inbox(delay=0.4)
    settings = smtp_server(inbox)
    for n in range(6):
        await enqueue_message(f"p{n}@verein.example", f"Nachricht {n}", "T")

    first = asyncio.create_task(deliver_due(settings, limit=6, lease=LEASE))
    await _lease_ran_out_on_a_waiting_message()
    second = await deliver_due(settings, limit=6, lease=LEASE)
    first_sent = await first

    assert inbox.subjects() == [f"Nachricht {n}" for n in range(6)]  # each exactly once
    assert second >= 1 and first_sent + second == 6
    rows = await sql.fetch("SELECT attempts, sent_at, lease_token FROM outbox_message")
    assert all(r["attempts"] == 1 and r["sent_at"] and r["lease_token"] is None for r in rows)


async def test_one_delivery_slower_than_the_lease__keeps_its_lease(smtp_server):
    inbox = Inbox(delay=2.5)
    settings = smtp_server(inbox)
    await enqueue_message("langsam@verein.example", "Langsam", "T")

    first = asyncio.create_task(deliver_due(settings, lease=LEASE))
    others = 0
    for _ in range(8):  # another sender keeps looking while the first one waits for the server
        await asyncio.sleep(0.3)
        others += await deliver_due(settings, lease=LEASE)
    assert await first == 1
    assert others == 0
    assert inbox.subjects() == ["Langsam"]
    assert await sql.fetch_value("SELECT attempts FROM outbox_message") == 1
