"""Booking pages without JavaScript: form → booking, errors next to fields, detail, incoming."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from resourcepool.db import sql
from tests.fixtures.bookings import tomorrow_at
from tests.fixtures.platform import post_form
from tests.db_state import database_state

BERLIN = ZoneInfo("Europe/Berlin")


def _form(asset_id, start, end, **kw):
    s, e = start.astimezone(BERLIN), end.astimezone(BERLIN)
    data = {"asset_id": str(asset_id), "date": s.date().isoformat(), "start_time": s.strftime("%H:%M"),
            "end_date": e.date().isoformat(), "end_time": e.strftime("%H:%M"), "purpose": "Elternabend"}
    data.update(kw)
    return data


async def test_the_form_is_prefilled_from_the_calendar_link_in_the_assets_zone(booked_world, sign_in):
    world = await booked_world()
    page = await sign_in(world["booker"])
    start = tomorrow_at(16)
    response = await page.get("/bookings/new", params={"asset_id": world["asset"].id,
                                                        "start": start.isoformat(),
                                                        "end": (start + timedelta(hours=2)).isoformat()})
    assert response.status_code == 200
    local = start.astimezone(BERLIN).strftime("%H:%M")
    assert f'name="start_time" type="time" value="{local}"' in response.text
    assert 'for="f-purpose"' in response.text and 'name="_csrf_token"' in response.text


async def test_booking_through_the_form__redirects_to_the_confirmed_booking(booked_world, sign_in):
    world = await booked_world()
    page = await sign_in(world["booker"])
    response = await post_form(page, "/bookings/new", _form(world["asset"].id, tomorrow_at(10), tomorrow_at(12)))
    assert response.status_code == 303
    target = response.headers["location"]
    detail = await page.get(target)
    assert "Schlüssel beim Hausmeister." in detail.text
    assert await sql.fetch_value("SELECT count(*) FROM booking WHERE status = 'confirmed'") == 1


async def test_form_errors_appear_next_to_their_field(booked_world, sign_in, make_booking):
    world = await booked_world(min_duration_minutes=60)
    page = await sign_in(world["booker"])
    response = await post_form(page, "/bookings/new", _form(world["asset"].id, tomorrow_at(10),
                                                            tomorrow_at(10) + timedelta(minutes=30)))
    assert response.status_code == 422
    assert re.search(r'id="f-end_time-error">[^<]*60', response.text)
    response = await post_form(page, "/bookings/new", _form(world["asset"].id, tomorrow_at(10),
                                                            tomorrow_at(12), purpose=""))
    assert 'id="f-purpose-error"' in response.text
    await make_booking(asset=world["asset"], organisation=world["third_org"], start=tomorrow_at(11))
    response = await post_form(page, "/bookings/new", _form(world["asset"].id, tomorrow_at(10), tomorrow_at(12)))
    assert response.status_code == 409 and "conflict-list" in response.text
    assert await sql.fetch_value("SELECT count(*) FROM booking") == 1


async def test_a_post_without_csrf_token__is_refused(booked_world, sign_in):
    world = await booked_world()
    page = await sign_in(world["booker"])
    response = await page.post("/bookings/new", data=_form(world["asset"].id, tomorrow_at(10), tomorrow_at(12)))
    assert response.status_code == 403
    assert await sql.fetch_value("SELECT count(*) FROM booking") == 0


async def test_a_weekly_repeat_from_the_form__lists_skipped_dates(booked_world, sign_in, make_booking):
    world = await booked_world()
    await make_booking(asset=world["asset"], organisation=world["third_org"],
                       start=tomorrow_at(10) + timedelta(weeks=1))
    page = await sign_in(world["booker"])
    until = (tomorrow_at(10) + timedelta(weeks=3)).astimezone(BERLIN).date().isoformat()
    response = await post_form(page, "/bookings/new", _form(
        world["asset"].id, tomorrow_at(10), tomorrow_at(12), repeat="weekly", repeat_until=until,
        on_conflict="skip"))
    assert response.status_code == 201, response.text
    assert "3" in response.text and (tomorrow_at(10) + timedelta(weeks=1)).astimezone(BERLIN).date().isoformat() in response.text


async def test_incoming__a_manager_approves_and_declines_in_one_step(booked_world, sign_in, make_booking):
    world = await booked_world(approval_required=True)
    first = await make_booking(asset=world["asset"], organisation=world["booker_org"],
                               start=tomorrow_at(10), status="requested")
    second = await make_booking(asset=world["asset"], organisation=world["booker_org"],
                                start=tomorrow_at(14), status="requested")
    page = await sign_in(world["manager"])
    listing = await page.get("/incoming")
    assert f'id="request-{first.id}"' in listing.text and f'id="request-{second.id}"' in listing.text
    response = await post_form(page, f"/bookings/{first.id}/approve", {"back": "incoming"})
    assert response.status_code == 303 and response.headers["location"] == "/incoming?done=approved"
    response = await post_form(page, f"/bookings/{second.id}/decline", {"back": "incoming", "reason": ""})
    assert response.status_code == 422 and f'id="reason-{second.id}-error"' in response.text
    response = await post_form(page, f"/bookings/{second.id}/decline", {"back": "incoming", "reason": "Belegt"})
    assert response.status_code == 303
    statuses = dict((r["id"], r["status"]) for r in await sql.fetch("SELECT id, status FROM booking"))
    assert statuses == {first.id: "confirmed", second.id: "declined"}


async def test_my_bookings_and_the_detail_page__only_for_the_organisations(booked_world, sign_in, make_booking):
    world = await booked_world()
    booking = await make_booking(asset=world["asset"], organisation=world["booker_org"], user=world["booker"])
    page = await sign_in(world["booker"])
    listing = await page.get("/bookings")
    assert f'href="/bookings/{booking.id}"' in listing.text
    stranger = await sign_in(world["third"])
    assert (await stranger.get(f"/bookings/{booking.id}")).status_code == 404
    cancel = await post_form(page, f"/bookings/{booking.id}/cancel", {"reason": ""})
    assert cancel.status_code == 303
    assert await sql.fetch_value("SELECT status FROM booking") == "cancelled"


async def test_pages_need_a_sign_in(client):
    for path in ("/bookings", "/bookings/new?asset_id=1", "/incoming", "/bookings/1"):
        response = await client.get(path)
        assert response.status_code in (302, 303, 307) and "/login" in response.headers["location"]


async def test_a_rule_about_a_field_the_form_does_not_show__appears_at_the_top(booked_world, sign_in):
    world = await booked_world(allowed_sectors=["municipality"])
    page = await sign_in(world["booker"])
    before = await database_state()
    response = await post_form(page, "/bookings/new", _form(world["asset"].id, tomorrow_at(10), tomorrow_at(12)))
    assert response.status_code == 422
    assert 'class="notice notice-error" role="alert"' in response.text
    assert await database_state() == before


async def test_the_form_in_english(booked_world, sign_in):
    world = await booked_world()
    page = await sign_in(world["booker"])
    page.cookies.set("rp_lang", "en")
    response = await page.get("/bookings/new", params={"asset_id": world["asset"].id})
    assert "Purpose" in response.text and "Book now" in response.text
    page.cookies.set("rp_lang", "de")
    response = await page.get("/bookings/new", params={"asset_id": world["asset"].id})
    assert "Zweck" in response.text and "Jetzt buchen" in response.text


async def test_quantity_0_in_the_form__is_refused_next_to_the_quantity_field(booked_world, sign_in,
                                                                             make_asset):
    world = await booked_world()
    tables = await make_asset(organisation=world["owner"], networks=[world["network"]],
                              kind="device", quantity=10)
    page = await sign_in(world["booker"])
    for quantity in ("0", "-1"):
        response = await post_form(page, "/bookings/new", _form(tables.id, tomorrow_at(10),
                                                                tomorrow_at(12), quantity=quantity))
        assert response.status_code == 422
        assert 'id="f-quantity-error"' in response.text
    assert await sql.fetch_value("SELECT count(*) FROM booking") == 0
    # An empty field still means one unit.
    response = await post_form(page, "/bookings/new", _form(tables.id, tomorrow_at(10), tomorrow_at(12),
                                                            quantity=""))
    assert response.status_code == 303
    assert await sql.fetch_value("SELECT quantity FROM booking") == 1


async def test_control_characters_in_the_purpose__are_refused_and_nothing_is_booked(booked_world,
                                                                                    sign_in):
    world = await booked_world()
    page = await sign_in(world["booker"])
    response = await post_form(page, "/bookings/new", _form(world["asset"].id, tomorrow_at(10),
                                                            tomorrow_at(12), purpose="Eltern\x1babend"))
    assert response.status_code == 422
    assert re.search(r'id="f-purpose-error">[^<]*nicht erlaubt', response.text)
    response = await post_form(page, "/bookings/new", _form(world["asset"].id, tomorrow_at(10),
                                                            tomorrow_at(12), purpose="Eltern\x00abend"))
    assert response.status_code == 422
    # Line breaks are fine in the purpose.
    response = await post_form(page, "/bookings/new", _form(world["asset"].id, tomorrow_at(10),
                                                            tomorrow_at(12), purpose="Elternabend\r\nKlasse 3"))
    assert response.status_code == 303
    assert await sql.fetch_value("SELECT purpose FROM booking") == "Elternabend\r\nKlasse 3"


async def test_the_cancel_button__only_for_the_booker_and_the_booking_organisations_manager(
        booked_world, sign_in, make_booking):
    world = await booked_world()
    booking = await make_booking(asset=world["asset"], organisation=world["booker_org"],
                                 user=world["booker"])
    form = f'action="/bookings/{booking.id}/cancel"'
    for role, shown in (("booker", True), ("booker_manager", True), ("booker_colleague", False),
                        ("manager", True), ("owner_member", False)):
        page = await sign_in(world[role])
        assert (form in (await page.get(f"/bookings/{booking.id}")).text) is shown, role
    colleague = await sign_in(world["booker_colleague"])
    response = await post_form(colleague, f"/bookings/{booking.id}/cancel", {"reason": ""})
    assert response.status_code == 403
    assert await sql.fetch_value("SELECT status FROM booking") == "confirmed"


async def test_the_form__only_for_active_assets_the_user_may_see(booked_world, sign_in, make_asset,
                                                                 make_network, make_organisation,
                                                                 make_user):
    world = await booked_world()
    elsewhere = await make_network()
    stranger_org = await make_organisation(network=elsewhere)
    hidden = {
        "draft": await make_asset(organisation=world["owner"], networks=[world["network"]], status="draft"),
        "paused": await make_asset(organisation=world["owner"], networks=[world["network"]], status="paused"),
        "retired": await make_asset(organisation=world["owner"], networks=[world["network"]], status="retired"),
        "other network": await make_asset(organisation=stranger_org, networks=[elsewhere]),
    }
    page = await sign_in(world["booker"])
    assert (await page.get("/bookings/new", params={"asset_id": world["asset"].id})).status_code == 200
    for name, asset in hidden.items():
        response = await page.get("/bookings/new", params={"asset_id": asset.id})
        assert response.status_code == 404, name
        assert asset.title not in response.text, name
        response = await post_form(page, "/bookings/new", _form(asset.id, tomorrow_at(10), tomorrow_at(12)))
        assert response.status_code == 404, name
    # An organisation still waiting for verification sees no form either.
    pending = await make_organisation(network=world["network"], status="pending")
    newcomer = await sign_in(await make_user(organisation=pending))
    assert (await newcomer.get("/bookings/new", params={"asset_id": world["asset"].id})).status_code == 404
    assert await sql.fetch_value("SELECT count(*) FROM booking") == 0
