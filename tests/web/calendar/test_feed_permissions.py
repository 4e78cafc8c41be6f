"""Who sees what through a feed, and when a feed URL stops working (404, never 403)."""

from __future__ import annotations

from resourcepool.db import sql
from tests.calendar_support import parse_both


async def _two_bookings(world, make_booking):
    ours = await make_booking(asset=world["asset"], organisation=world["booker_org"],
                              user=world["booker"], purpose="Elternabend")
    theirs = await make_booking(asset=world["asset"], organisation=world["third_org"],
                                user=world["third"], purpose="Geheimtreffen",
                                start=ours.end + __import__("datetime").timedelta(hours=1))
    return ours, theirs


async def test_another_organisations_member__sees_busy_blocks_without_purpose_or_names(
        booked_world, make_booking, subscribe, read_feed):
    world = await booked_world()
    ours, theirs = await _two_bookings(world, make_booking)
    path = await subscribe(world["booker"], "asset", world["asset"].id)
    response = await read_feed(path)
    _, events = parse_both(response.content)
    by_uid = {e.uid: e for e in events}
    mine = by_uid[f"booking-{ours.id}@testserver"]
    other = by_uid[f"booking-{theirs.id}@testserver"]
    assert "Elternabend" in mine.summary and "Jugendtreff" in mine.description
    assert other.summary == f"{world['asset'].title}: Belegt" and other.description == ""
    # Nothing of the other booking anywhere in the file: purpose, organisation, person.
    for secret in ("Geheimtreffen", "Kleingartenverein", world["third"].name):
        assert secret not in response.text


async def test_the_owners_members__see_every_booking_with_details(
        booked_world, make_booking, subscribe, read_feed):
    world = await booked_world()
    await _two_bookings(world, make_booking)
    path = await subscribe(world["owner_member"], "asset", world["asset"].id)
    _, events = parse_both((await read_feed(path)).content)
    assert sorted(e.summary.split(": ")[1] for e in events) == ["Elternabend", "Geheimtreffen"]


async def test_a_revoked_feed__is_404(booked_world, subscribe, read_feed, api_as):
    world = await booked_world()
    path = await subscribe(world["booker"], "user")
    assert (await read_feed(path)).status_code == 200
    client = await api_as(world["booker"])
    feed_id = (await client.get("/api/v1/calendar-feeds")).json()["items"][0]["id"]
    assert (await client.delete(f"/api/v1/calendar-feeds/{feed_id}")).status_code == 204
    assert (await read_feed(path)).status_code == 404
    assert (await client.delete(f"/api/v1/calendar-feeds/{feed_id}")).status_code == 404


async def test_a_user_who_left_the_organisation__gets_404_for_its_feeds(
        booked_world, subscribe, read_feed):
    world = await booked_world()
    org_feed = await subscribe(world["booker_colleague"], "organisation", world["booker_org"].id)
    asset_feed = await subscribe(world["booker_colleague"], "asset", world["asset"].id)
    own_feed = await subscribe(world["booker_colleague"], "user")
    await sql.execute("DELETE FROM membership WHERE user_id = $1", world["booker_colleague"].id)
    assert (await read_feed(org_feed)).status_code == 404
    # No organisation left in the network: the asset is not visible to them any more.
    assert (await read_feed(asset_feed)).status_code == 404
    assert (await read_feed(own_feed)).status_code == 200


async def test_a_deactivated_user__and_made_up_tokens_get_404(booked_world, subscribe, read_feed):
    world = await booked_world()
    path = await subscribe(world["booker"], "user")
    await sql.execute("UPDATE app_user SET is_active = false WHERE id = $1", world["booker"].id)
    assert (await read_feed(path)).status_code == 404
    for made_up in ("/calendar/cal_" + "A" * 43 + ".ics", "/calendar/x.ics", "/calendar/" + "a" * 119):
        assert (await read_feed(made_up)).status_code == 404


async def test_feeds_are_read_only(booked_world, subscribe, new_client):
    world = await booked_world()
    path = await subscribe(world["booker"], "user")
    client = new_client()
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        assert (await client.request(method, path)).status_code in (403, 405)


async def test_a_feed_cannot_be_made_for_what_one_may_not_see(
        booked_world, make_asset, make_network, make_organisation, api_as):
    world = await booked_world()
    elsewhere = await make_organisation(network=await make_network())
    hidden = await make_asset(organisation=elsewhere)
    draft = await make_asset(organisation=world["third_org"], status="draft")
    client = await api_as(world["booker"])
    for body in ({"scope": "asset", "id": hidden.id}, {"scope": "asset", "id": draft.id},
                 {"scope": "organisation", "id": world["third_org"].id},
                 {"scope": "asset", "id": 2**63 - 1}):
        response = await client.post("/api/v1/calendar-feeds", json=body)
        assert response.status_code == 404, (body, response.text)
        assert response.json()["code"] == "not_found"
    assert await sql.fetch_value("SELECT count(*) FROM calendar_feed") == 0


async def test_one_user_cannot_list_or_revoke_anothers_feeds(booked_world, subscribe, api_as):
    world = await booked_world()
    await subscribe(world["booker"], "user")
    feed_id = await sql.fetch_value("SELECT id FROM calendar_feed")
    other = await api_as(world["booker_colleague"])
    assert (await other.get("/api/v1/calendar-feeds")).json() == {"items": [], "total": 0}
    assert (await other.delete(f"/api/v1/calendar-feeds/{feed_id}")).status_code == 404
    assert await sql.fetch_value("SELECT revoked_at FROM calendar_feed") is None


async def test_the_booking_ics__is_for_the_two_organisations_only(booked_world, make_booking, api_as, sign_in):
    world = await booked_world()
    booking = await make_booking(asset=world["asset"], organisation=world["booker_org"], user=world["booker"])
    for user in (world["booker_colleague"], world["owner_member"]):
        response = await (await api_as(user)).get(f"/api/v1/bookings/{booking.id}.ics")
        assert response.status_code == 200
        _, events = parse_both(response.content)
        assert events[0].uid == f"booking-{booking.id}@testserver"
    outsider = await api_as(world["third"])
    assert (await outsider.get(f"/api/v1/bookings/{booking.id}.ics")).status_code == 404
    page = await sign_in(world["third"])
    assert (await page.get(f"/bookings/{booking.id}/calendar.ics")).status_code == 404
    anonymous = await (await api_as(world["booker"])).get("/api/v1/bookings/999999.ics")
    assert anonymous.status_code == 404
