"""Reading reset links out of the outbox, as a person would read their email."""

from __future__ import annotations

import re

from resourcepool.db import sql


async def mails_to(address: str) -> list[dict]:
    return await sql.fetch(
        "SELECT to_address, subject, body_text FROM outbox_message WHERE to_address = $1 ORDER BY id",
        address,
    )


async def reset_link(address: str) -> str:
    mails = await mails_to(address)
    assert mails, f"no email to {address}"
    match = re.search(r"http://testserver(/password/reset/[A-Za-z0-9_-]+)", mails[-1]["body_text"])
    assert match, mails[-1]["body_text"]
    return match.group(1)
