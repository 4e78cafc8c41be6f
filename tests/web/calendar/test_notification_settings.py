"""Notification settings: the account page section and /api/v1/notification-settings."""

from __future__ import annotations

from resourcepool.db import sql
from tests.fixtures.platform import post_form


async def test_the_defaults__are_all_emails_and_a_reminder_a_day_before(booked_world, api_as):
    world = await booked_world()
    response = await (await api_as(world["booker"])).get("/api/v1/notification-settings")
    assert response.json() == {"booking_emails": True, "owner_emails": True, "reminder_minutes": 1440,
                               "language": None}


async def test_changing_them_through_the_api(booked_world, api_as):
    world = await booked_world()
    client = await api_as(world["booker"])
    wanted = {"booking_emails": False, "owner_emails": True, "reminder_minutes": 120, "language": "en"}
    assert (await client.put("/api/v1/notification-settings", json=wanted)).json() == wanted
    assert (await client.get("/api/v1/notification-settings")).json() == wanted
    assert await sql.fetch_value("SELECT locale FROM app_user WHERE id = $1", world["booker"].id) == "en"
    unchanged = {**wanted, "reminder_minutes": 0}
    del unchanged["language"]
    assert (await client.put("/api/v1/notification-settings", json=unchanged)).json()["language"] == "en"
    wanted = {**unchanged, "language": "en"}
    for bad in ({**wanted, "reminder_minutes": 60}, {**wanted, "reminder_minutes": "90"},
                {"booking_emails": True}, {**wanted, "owner_emails": "yes"}, {**wanted, "x": 1},
                {**wanted, "language": "fr"}):
        response = await client.put("/api/v1/notification-settings", json=bad)
        assert response.status_code == 400, (bad, response.text)
    assert (await client.get("/api/v1/notification-settings")).json() == wanted


async def test_the_account_page_section__saves_and_shows_them(booked_world, sign_in):
    world = await booked_world()
    page = await sign_in(world["manager"])
    html = (await page.get("/account")).text
    assert 'id="notifications"' in html and 'id="f-reminder-1440" name="reminder_minutes" value="1440" checked' in html
    response = await post_form(page, "/account/notifications", {"booking_emails": "1", "reminder_minutes": "120"})
    assert response.status_code == 303 and response.headers["location"].startswith("/account?done=notifications")
    row = await sql.fetch_one("SELECT * FROM notification_settings WHERE user_id = $1", world["manager"].id)
    assert (row["booking_emails"], row["owner_emails"], row["reminder_minutes"]) == (True, False, 120)
    html = (await page.get("/account?done=notifications")).text
    assert "Ihre Benachrichtigungen wurden gespeichert." in html
    assert 'value="120" checked' in html and 'name="owner_emails" type="checkbox" value="1" >' in html


async def test_a_tampered_reminder__is_refused_and_changes_nothing(booked_world, sign_in):
    world = await booked_world()
    page = await sign_in(world["booker"])
    for value in ("60", "abc", "-1", "1" * 40):
        response = await post_form(page, "/account/notifications", {"reminder_minutes": value})
        assert response.status_code == 422, value
    assert await sql.fetch_value("SELECT count(*) FROM notification_settings") == 0


async def test_without_csrf__the_form_is_refused(booked_world, sign_in):
    world = await booked_world()
    page = await sign_in(world["booker"])
    response = await page.post("/account/notifications", data={"reminder_minutes": "0"})
    assert response.status_code == 403
    assert await sql.fetch_value("SELECT count(*) FROM notification_settings") == 0
