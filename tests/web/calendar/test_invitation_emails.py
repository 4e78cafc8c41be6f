"""Booking emails as mail clients receive them (a real SMTP server): a text part, the event as
text/calendar with METHOD REQUEST or CANCEL (same UID and SEQUENCE as the feeds), ORGANIZER and
ATTENDEE as calendar clients need them, dates in the recipient's language."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

from resourcepool import clock
from resourcepool.accounts.identity import load_identity
from resourcepool.bookings import lifecycle
from resourcepool.bookings.service import request_booking
from resourcepool.db import sql
from resourcepool.notifications.sender import deliver_due
from tests.calendar_support import parse_both
from tests.web.calendar.conftest import calendar_part

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=BERLIN)
START = datetime(2026, 12, 8, 18, 0, tzinfo=BERLIN)  # a Tuesday


def _one_line(header: str) -> str:
    return " ".join(str(header).split())


async def _deliver(settings) -> None:
    while await deliver_due(settings):
        pass


async def test_a_request__reaches_the_manager_in_english_and_the_booker_in_german_as_invitations(
        booked_world, smtp_inbox):
    inbox, settings = smtp_inbox
    world = await booked_world(approval_required=True)
    await sql.execute("UPDATE app_user SET locale = 'en' WHERE id = $1", world["manager"].id)
    with clock.frozen_at(NOW):
        who = await load_identity(world["booker"].id)
        booking = await request_booking(who, world["asset"].id, START, START + timedelta(hours=2), "Chorprobe")
        await _deliver(settings)
    [to_manager] = inbox.to(world["manager"].email)
    [to_booker] = inbox.to(world["booker"].email)

    # (Long subjects come folded into encoded words; compare them with spaces normalised.)
    assert _one_line(to_manager["Subject"]) == f"Booking request: {world['asset'].title} on Tuesday, 8 December 2026, 18:00–20:00"
    assert "Jugendtreff asks to book" in to_manager.get_body(("plain",)).get_content()
    assert _one_line(to_booker["Subject"]) == f"Anfrage gesendet: {world['asset'].title} am Dienstag, 8. Dezember 2026, 18:00–20:00"
    assert "wurde an Bürgerhaus gesendet" in to_booker.get_body(("plain",)).get_content()

    for message, person in ((to_manager, world["manager"]), (to_booker, world["booker"])):
        assert message.get_content_type() == "multipart/mixed"
        part = calendar_part(message)
        assert part.get_param("method") == "REQUEST"
        method, [event] = parse_both(part.get_content())
        assert method == "REQUEST"
        assert event.uid == f"booking-{booking['id']}@testserver"
        assert (event.status, event.sequence) == ("TENTATIVE", 0)
        assert event.start == START and event.tzid == "Europe/Berlin"
        vevent = icalendar.Calendar.from_ical(part.get_content()).walk("VEVENT")[0]
        # The organizer is the sender (CalConnect: the same address in From and ORGANIZER).
        assert str(vevent["ORGANIZER"]) == f"mailto:{message['From'].addresses[0].addr_spec}"
        assert vevent["ORGANIZER"].params["CN"] == "Bürgerhaus"
        assert str(vevent["ATTENDEE"]) == f"mailto:{person.email}"
        attachments = [p for p in message.iter_attachments() if p.get_content_type() == "application/ics"]
        assert attachments and attachments[0].get_filename() == "invite.ics"


async def test_cancelling_one_occurrence__mails_a_cancel_with_the_feeds_uid_and_sequence(
        booked_world, smtp_inbox, api_as, new_client):
    inbox, settings = smtp_inbox
    world = await booked_world()
    with clock.frozen_at(NOW):
        who = await load_identity(world["booker"].id)
        series = await request_booking(who, world["asset"].id, START, START + timedelta(hours=2), "Chorprobe",
                                       recurrence="FREQ=WEEKLY;COUNT=4")
        await _deliver(settings)
        [first] = inbox.to(world["booker"].email)
        method, events = parse_both(calendar_part(first).get_content())
        assert method == "REQUEST" and len(events) == 4
        assert "Alle Termine:" in first.get_body(("plain",)).get_content()

        second = series["bookings"][1]
        manager = await load_identity(world["manager"].id)
        await lifecycle.cancel_booking(manager, second["id"], "Wasserschaden")
        await _deliver(settings)
        feed = (await (await api_as(world["booker"])).post(
            "/api/v1/calendar-feeds", json={"scope": "user"})).json()["url"]
        _, in_feed = parse_both((await new_client().get(feed.replace("http://testserver", ""))).content)
    cancel_mail = inbox.to(world["booker"].email)[-1]
    part = calendar_part(cancel_mail)
    assert part.get_param("method") == "CANCEL"
    method, [event] = parse_both(part.get_content())
    assert method == "CANCEL" and event.status == "CANCELLED"
    assert event.uid == f"booking-{second['id']}@testserver"
    [same] = [e for e in in_feed if e.uid == event.uid]
    assert (same.status, same.sequence) == ("CANCELLED", event.sequence) and event.sequence > 0
    assert "Wasserschaden" in cancel_mail.get_body(("plain",)).get_content()
    # The owner's managers get the CANCEL too (they had the booking in their calendars).
    owner_mail = inbox.to(world["manager"].email)[-1]
    assert calendar_part(owner_mail).get_param("method") == "CANCEL"


async def test_an_approval__updates_the_same_event_to_confirmed_with_a_higher_sequence(
        booked_world, smtp_inbox):
    inbox, settings = smtp_inbox
    world = await booked_world(approval_required=True)
    with clock.frozen_at(NOW):
        booking = await request_booking(await load_identity(world["booker"].id), world["asset"].id,
                                        START, START + timedelta(hours=2), "Chorprobe")
        await lifecycle.approve_booking(await load_identity(world["manager"].id), booking["id"])
        await _deliver(settings)
    received, approved = inbox.to(world["booker"].email)
    _, [before] = parse_both(calendar_part(received).get_content())
    _, [after] = parse_both(calendar_part(approved).get_content())
    assert before.uid == after.uid
    assert (before.status, after.status) == ("TENTATIVE", "CONFIRMED")
    assert after.sequence > before.sequence


async def test_switched_off_emails__are_not_sent(booked_world, make_booking, api_as):
    world = await booked_world()
    await (await api_as(world["booker"])).put("/api/v1/notification-settings", json={
        "booking_emails": False, "owner_emails": True, "reminder_minutes": 1440})
    await (await api_as(world["manager"])).put("/api/v1/notification-settings", json={
        "booking_emails": True, "owner_emails": False, "reminder_minutes": 0})
    who = await load_identity(world["booker"].id)
    start = (clock.now() + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    booking = await request_booking(who, world["asset"].id, start, start + timedelta(hours=1), "Probe")
    await lifecycle.cancel_booking(who, booking["id"])
    assert await sql.fetch_value("SELECT count(*) FROM outbox_message") == 0


async def test_cancelling_the_rest_of_a_series__is_one_cancel_per_person_with_every_date(booked_world):
    world = await booked_world()
    with clock.frozen_at(NOW):
        who = await load_identity(world["booker"].id)
        series = await request_booking(who, world["asset"].id, START, START + timedelta(hours=2), "Chorprobe",
                                       recurrence="FREQ=WEEKLY;COUNT=5")
        before = await sql.fetch_value("SELECT max(id) FROM outbox_message")
        await lifecycle.cancel_booking(who, series["bookings"][1]["id"], "Umzug", scope="following")
    mails = await sql.fetch("SELECT to_address, ics, ics_method FROM outbox_message WHERE id > $1 ORDER BY id", before)
    assert [m["to_address"] for m in mails] == [world["booker"].email, world["manager"].email]
    method, events = parse_both(mails[0]["ics"])
    assert method == "CANCEL" and [e.status for e in events] == ["CANCELLED"] * 4
    assert {e.uid for e in events} == {f"booking-{b['id']}@testserver" for b in series["bookings"][1:]}
