"""The sender delivers due outbox messages by SMTP (retrying failures) or into the mail folder."""

import dataclasses
import email
import logging
from datetime import timedelta
from email import policy

import pytest

from resourcepool import clock
from resourcepool.db import sql
from resourcepool.notifications.outbox import enqueue_message
from resourcepool.notifications.sender import MAX_ATTEMPTS, deliver_due
from resourcepool.settings import get_settings
from tests.fixtures.smtp import Inbox, free_port as _free_port

# The database harness (conftest) needs the session app set up before its cleaning fixture runs.
pytestmark = pytest.mark.usefixtures("app")


async def _row(message_id: int) -> dict:
    return await sql.fetch_one("SELECT attempts, sent_at, last_error, next_attempt_at FROM outbox_message "
                               "WHERE id = $1", message_id)


async def test_delivers_a_due_message_to_the_smtp_server(smtp_server):
    inbox = Inbox()
    settings = smtp_server(inbox)
    message_id = await enqueue_message("anna@verein.example", "Einladung", "Hallo Anna,\nhttp://x/invitations/abc\n")
    assert await deliver_due(settings) == 1
    assert len(inbox.messages) == 1
    received = inbox.messages[0]
    assert received["To"] == "anna@verein.example"
    assert received["Subject"] == "Einladung"
    assert "invitations/abc" in received.get_content()
    row = await _row(message_id)
    assert row["sent_at"] is not None and row["attempts"] == 1
    assert await deliver_due(settings) == 0  # nothing is sent twice


async def test_smtp_failure__is_recorded_and_retried_later_until_delivered(smtp_server):
    port = _free_port()  # nothing listens here yet
    settings = dataclasses.replace(get_settings(), smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=False)
    message_id = await enqueue_message("bernd@verein.example", "Erinnerung", "Text")
    assert await deliver_due(settings) == 0
    row = await _row(message_id)
    assert row["sent_at"] is None and row["attempts"] == 1
    assert "ConnectionRefused" in row["last_error"] or "Errno" in row["last_error"]
    assert row["next_attempt_at"] > clock.now()

    # Not due yet: a second round right away does not hammer the server.
    inbox = Inbox(refuse=1)
    smtp_server(inbox, port=port)
    assert await deliver_due(settings) == 0
    assert (await _row(message_id))["attempts"] == 1

    clock.travel(timedelta(minutes=2))
    assert await deliver_due(settings) == 0  # the server answers 451 this time
    row = await _row(message_id)
    assert row["attempts"] == 2 and "451" in row["last_error"]

    clock.travel(timedelta(minutes=5))
    assert await deliver_due(settings) == 1
    row = await _row(message_id)
    assert row["sent_at"] is not None and row["last_error"] == ""
    assert len(inbox.messages) == 1


async def test_gives_up_after_the_last_attempt(smtp_server):
    settings = dataclasses.replace(get_settings(), smtp_host="127.0.0.1", smtp_port=_free_port(),
                                   smtp_starttls=False)
    message_id = await enqueue_message("c@verein.example", "S", "T")
    for _ in range(MAX_ATTEMPTS + 2):
        await deliver_due(settings)
        clock.travel(timedelta(hours=7))
    assert (await _row(message_id))["attempts"] == MAX_ATTEMPTS


async def test_ics_attachment__is_text_calendar_with_its_method(smtp_server):
    inbox = Inbox()
    settings = smtp_server(inbox)
    ics = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"
    await enqueue_message("d@verein.example", "Buchung", "Bestätigt", ics=ics, ics_method="REQUEST")
    assert await deliver_due(settings) == 1
    received = inbox.messages[0]
    # multipart/mixed [multipart/alternative [text/plain, text/calendar], application/ics]
    assert received.get_content_type() == "multipart/mixed"
    body, attachment = received.get_payload()
    assert body.get_content_type() == "multipart/alternative"
    text, calendar = body.get_payload()
    assert text.get_content_type() == "text/plain" and text.get_content().strip() == "Bestätigt"
    assert calendar.get_content_type() == "text/calendar"
    assert calendar.get_param("method") == "REQUEST"
    assert "BEGIN:VCALENDAR" in calendar.get_content()
    assert attachment.get_content_type() == "application/ics"
    assert attachment.get_filename() == "invite.ics"
    assert attachment.get_content() == ics.encode()


async def test_without_smtp__writes_eml_files_and_logs_the_link(tmp_path, caplog):
    settings = dataclasses.replace(get_settings(), smtp_host=None, data_dir=tmp_path)
    await enqueue_message("e@verein.example", "Einladung zu TuS",
                          "Hallo,\n\nhttp://127.0.0.1:8000/invitations/tok123\n")
    with caplog.at_level(logging.INFO, logger="resourcepool.mail"):
        assert await deliver_due(settings) == 1
    files = list((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 1
    parsed = email.message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert parsed["To"] == "e@verein.example"
    assert "http://127.0.0.1:8000/invitations/tok123" in caplog.text
    assert "Einladung zu TuS" in caplog.text


async def test_two_senders_at_once__send_each_message_once(smtp_server):
    import asyncio

    inbox = Inbox()
    settings = smtp_server(inbox)
    for n in range(10):
        await enqueue_message(f"p{n}@verein.example", f"Nachricht {n}", "T")
    sent = await asyncio.gather(deliver_due(settings, limit=4), deliver_due(settings, limit=4),
                                deliver_due(settings, limit=4))
    sent_total = sum(sent) + await deliver_due(settings)
    assert sent_total == 10
    assert sorted(m["Subject"] for m in inbox.messages) == sorted(f"Nachricht {n}" for n in range(10))


async def test_names_with_control_characters__are_delivered_with_one_line_headers(smtp_server):
    # Rows from before names were checked: a line break would add a header (or make the email
    # library refuse the message, retried until given up).
    inbox = Inbox()
    settings = dataclasses.replace(smtp_server(inbox), mail_from="Quartiersnetz Herten-Mitte <noreply@rp.example>")
    message_id = await enqueue_message("anna@verein.example", "Einladung", "Hallo")
    await sql.execute("UPDATE outbox_message SET subject = $2, to_name = $3 WHERE id = $1", message_id,
                      "Einladung zu TuS\r\nBcc: x@evil.example\x1b", "Anna\x07 Becker\r\nBcc: y@evil.example")
    assert await deliver_due(settings) == 1
    received = inbox.messages[0]
    assert received["Bcc"] is None
    assert received["Subject"] == "Einladung zu TuS Bcc: x@evil.example"
    assert received["To"].addresses[0].addr_spec == "anna@verein.example"
    assert received["To"].addresses[0].display_name == "Anna Becker Bcc: y@evil.example"
    assert received["From"].addresses[0].display_name == "Quartiersnetz Herten-Mitte"
    assert received["From"].addresses[0].addr_spec == "noreply@rp.example"
    assert (await _row(message_id))["attempts"] == 1


async def test_enqueue__keeps_subject_and_name_to_one_storable_line():
    message_id = await enqueue_message("anna@verein.example", "Ein\x00ladung\r\nzu TuS", "Hallo",
                                       to_name="Anna\x00\nBecker")
    row = await sql.fetch_one("SELECT subject, to_name FROM outbox_message WHERE id = $1", message_id)
    assert row == {"subject": "Ein ladung zu TuS", "to_name": "Anna Becker"}


async def test_display_names__are_quoted_or_encoded_as_the_rfc_needs(smtp_server):
    inbox = Inbox()
    settings = smtp_server(inbox)
    await enqueue_message("joerg@repair.example", "Einladung", "Hallo", to_name='Jörg "Jo" Lindner, Repair-Café')
    assert await deliver_due(settings) == 1
    to = inbox.messages[0]["To"].addresses
    assert len(to) == 1  # the comma in the name did not split it into two recipients
    assert to[0].display_name == 'Jörg "Jo" Lindner, Repair-Café' and to[0].addr_spec == "joerg@repair.example"
