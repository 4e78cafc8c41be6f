"""Queue an email in the outbox (inside the caller's transaction, so it is sent only if that commits)."""

from __future__ import annotations

from resourcepool import clock
from resourcepool.db import sql
from resourcepool.textrules import one_line


async def enqueue_message(
    to_address: str,
    subject: str,
    body_text: str,
    *,
    to_name: str = "",
    ics: str | None = None,
    ics_method: str | None = None,
) -> int:
    """Put one message in the outbox; the sender delivers it with retries. Returns its id.

    `to_name` (the person's name) goes into the To header next to the address.
    """
    return await sql.fetch_value(
        """
        INSERT INTO outbox_message (to_address, to_name, subject, body_text, ics, ics_method, created_at,
                                    next_attempt_at)
        VALUES ($1, $7, $2, $3, $4, $5, $6, $6) RETURNING id
        """,
        to_address,
        one_line(subject)[:500],
        body_text,
        ics,
        ics_method,
        clock.now(),
        one_line(to_name)[:200],
    )
