"""Deliver due outbox messages: SMTP when configured, else .eml files in the mail folder.

Several processes may run the sender (app processes, workers). Each claims a batch with FOR
UPDATE SKIP LOCKED and marks the rows with its own lease token and a lease deadline (the row's
next attempt), then sends outside the transaction. A slow SMTP server can make a batch outlast
the lease, so the lease is renewed per message: just before sending, the sender extends its lease
on that one message, and only if the row still carries its token — a message whose lease ran
out and that another sender claimed is left to that sender. While one message is being sent
the lease is renewed every third of its length, so even a single slow delivery keeps it. A
sender that dies stops renewing, and its messages come back when their leases end.
"""

from __future__ import annotations

import asyncio
import logging
import re
import smtplib
import ssl
import uuid
from datetime import timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path
from typing import Any

from resourcepool import clock
from resourcepool.db import sql
from resourcepool.periodic import run_periodically
from resourcepool.settings import Settings, get_settings
from resourcepool.textrules import one_line

log = logging.getLogger("resourcepool.mail")

MAX_ATTEMPTS = 8
LEASE = timedelta(minutes=5)
BATCH = 20
INTERVAL_SECONDS = 5.0
_LINK = re.compile(r"https?://\S+")


def backoff(attempts: int) -> timedelta:
    """Wait after the n-th failed attempt: 1, 2, 4 … minutes, at most 6 hours."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), timedelta(hours=6))


def mailbox(display_name: str, address: str) -> Address:
    """A To/From mailbox; the email library quotes or encodes the name as the RFC needs."""
    return Address(display_name=one_line(display_name), addr_spec=one_line(address).replace(" ", ""))


def build_message(row: dict[str, Any], settings: Settings) -> EmailMessage:
    # Headers are made one line (textrules.one_line): rows written before names were checked
    # may hold anything, and a line break would make the email library refuse the message
    # (retried until given up) or, worse, add a header.
    message = EmailMessage()
    message["From"] = mailbox(*parseaddr(one_line(settings.mail_from)))
    message["To"] = mailbox(row.get("to_name") or "", row["to_address"])
    message["Subject"] = one_line(row["subject"])
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(idstring=f"outbox-{row['id']}", domain="resourcepool")
    message.set_content(row["body_text"])
    if row.get("ics"):
        add_calendar(message, row["ics"], row.get("ics_method") or "PUBLISH")
    return message


def add_calendar(message: EmailMessage, ics: str, method: str) -> None:
    """Attach an iCalendar object the way calendar-aware clients look for it (iMIP, RFC 6047,
    and the CalConnect interoperability advice that Google's own invitations follow):

        multipart/mixed
          multipart/alternative
            text/plain                           the message
            text/calendar; method=REQUEST        Thunderbird, Outlook, Gmail: "add to calendar"
          application/ics (attachment, invite.ics)  clients that only open attachments

    The part's method parameter must match the METHOD inside the object."""
    message.add_alternative(ics, subtype="calendar", charset="utf-8", params={"method": method})
    message.add_attachment(ics.encode("utf-8"), maintype="application", subtype="ics",
                           filename="invite.ics")


def _send_smtp(message: EmailMessage, settings: Settings) -> None:
    with smtplib.SMTP(settings.smtp_host or "", settings.smtp_port, timeout=30) as smtp:
        if settings.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password or "")
        smtp.send_message(message)


def _write_file(message: EmailMessage, row: dict[str, Any], settings: Settings) -> Path:
    folder = settings.mail_dir
    folder.mkdir(parents=True, exist_ok=True)
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    path = folder / f"{stamp}-{row['id']:06d}.eml"
    path.write_bytes(bytes(message))
    link = _LINK.search(row["body_text"])
    log.info("mail to %s: %s%s (%s)", row["to_address"], row["subject"],
             f" — {link.group(0)}" if link else "", path)
    return path


async def _claim(limit: int, token: uuid.UUID, lease: timedelta) -> list[dict[str, Any]]:
    """Lease up to `limit` due messages to `token` (attempts are counted when one is tried),
    oldest first: UPDATE … RETURNING keeps no order, and a request's email must not arrive
    after its approval's."""
    rows = await sql.fetch(
        """
        UPDATE outbox_message SET next_attempt_at = $4, lease_token = $3
        WHERE id IN (
            SELECT id FROM outbox_message
            WHERE sent_at IS NULL AND next_attempt_at <= $1 AND attempts < $2
            ORDER BY next_attempt_at, id
            LIMIT $5
            FOR UPDATE SKIP LOCKED)
        RETURNING id, to_address, to_name, subject, body_text, ics, ics_method, attempts
        """,
        clock.now(), MAX_ATTEMPTS, token, clock.now() + lease, limit,
    )
    return sorted(rows, key=lambda r: r["id"])


async def _renew(message_id: int, token: uuid.UUID, lease: timedelta, *, attempt: bool = False) -> int | None:
    """Extend our lease on one message; None when it is no longer ours (or already sent).
    With `attempt` the try is counted too; returns the attempts so far."""
    return await sql.fetch_value(
        """UPDATE outbox_message SET next_attempt_at = $3, attempts = attempts + $4::int
           WHERE id = $1 AND lease_token = $2 AND sent_at IS NULL
           RETURNING attempts""",
        message_id, token, clock.now() + lease, 1 if attempt else 0,
    )


async def _keep_leased(message_id: int, token: uuid.UUID, lease: timedelta) -> None:
    """Renew the lease every third of its length while a message is being sent."""
    while True:
        await asyncio.sleep(lease.total_seconds() / 3)
        await _renew(message_id, token, lease)


async def _send(message: EmailMessage, row: dict[str, Any], settings: Settings) -> None:
    if settings.smtp_host:
        await asyncio.to_thread(_send_smtp, message, settings)
    else:
        await asyncio.to_thread(_write_file, message, row, settings)


async def deliver_due(settings: Settings | None = None, limit: int = BATCH,
                      lease: timedelta = LEASE) -> int:
    """Send the messages that are due; returns how many went out. Failures are retried later."""
    settings = settings or get_settings()
    token = uuid.uuid4()
    sent = 0
    for row in await _claim(limit, token, lease):
        attempts = await _renew(row["id"], token, lease, attempt=True)
        if attempts is None:
            continue  # our lease ran out while earlier messages were sent; another sender has it
        keeper = asyncio.create_task(_keep_leased(row["id"], token, lease))
        try:
            message = build_message(row, settings)
            await _send(message, row, settings)
        except Exception as exc:  # noqa: BLE001 - any failure is recorded and retried
            error = f"{type(exc).__name__}: {exc}"[:1000]
            give_up = attempts >= MAX_ATTEMPTS
            log.warning("mail %s to %s failed (attempt %s%s): %s", row["id"], row["to_address"],
                        attempts, ", giving up" if give_up else "", error)
            await sql.execute(
                """UPDATE outbox_message SET last_error = $3, next_attempt_at = $4, lease_token = NULL
                   WHERE id = $1 AND lease_token = $2""",
                row["id"], token, error, clock.now() + backoff(attempts),
            )
            continue
        finally:
            keeper.cancel()
            await asyncio.gather(keeper, return_exceptions=True)
        await sql.execute(
            """UPDATE outbox_message SET sent_at = $3, last_error = '', lease_token = NULL
               WHERE id = $1 AND lease_token = $2""", row["id"], token, clock.now()
        )
        sent += 1
    return sent


async def run_sender_forever(interval: float = INTERVAL_SECONDS) -> None:
    """Background loop of the app: deliver what is due every few seconds until cancelled."""

    async def drain() -> None:
        while await deliver_due() == BATCH:
            pass

    await run_periodically(drain, interval, log, "the mail sender")
