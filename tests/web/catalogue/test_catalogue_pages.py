"""The catalogue page (filters, free-time search without JavaScript) and the asset page's week."""

from __future__ import annotations

import re
from datetime import datetime
from html import unescape
from zoneinfo import ZoneInfo

import pytest

from resourcepool import clock

BERLIN = ZoneInfo("Europe/Berlin")
WEEKDAYS_9_17 = [(d, "09:00", "17:00") for d in range(5)]


@pytest.fixture
async def world(make_network, make_organisation, make_user, make_asset, sign_in):
    network = await make_network(name="Quartiersnetz Mitte")
    owner = await make_organisation(network=network, name="Bürgerhaus Mitte")
    booker = await make_organisation(network=network, name="Chor am Markt")
    member = await make_user(organisation=booker, locale="en")
    saal = await make_asset(organisation=owner, title="Großer Saal", capacity=80, district="Mitte",
                            opening_hours=WEEKDAYS_9_17, accessibility=["step_free"], min_duration_minutes=60,
                            usage_instructions="Schlüssel beim Hausmeister, Code 4711")
    kammer = await make_asset(organisation=owner, title="Kleine Kammer", capacity=6, district="Süd",
                              opening_hours=WEEKDAYS_9_17)
    return {"client": await sign_in(member), "saal": saal, "kammer": kammer, "owner": owner}


def texts(html: str) -> list[str]:
    return [unescape(t) for t in re.findall(r'<h3><a href="/assets/\d+[^"]*">([^<]+)</a></h3>', html)]


async def test_catalogue__lists_visible_assets_as_cards(world):
    response = await world["client"].get("/catalogue")
    assert response.status_code == 200
    assert texts(response.text) == ["Großer Saal", "Kleine Kammer"]
    assert "Bürgerhaus Mitte" in response.text


async def test_catalogue__filters_by_capacity_and_accessibility(world):
    response = await world["client"].get("/catalogue?min_capacity=20&accessible=step_free")
    assert texts(response.text) == ["Großer Saal"]


async def test_catalogue__free_time_search_with_plain_form_fields(world, make_booking):
    await make_booking(world["saal"], start=datetime(2026, 5, 5, 10, tzinfo=BERLIN),
                       end=datetime(2026, 5, 5, 12, tzinfo=BERLIN))
    response = await world["client"].get("/catalogue?date=2026-05-05&from=11:00&to=13:00")
    assert response.status_code == 200
    assert texts(response.text) == ["Kleine Kammer"]
    response = await world["client"].get("/catalogue?date=2026-05-05&from=17:00&to=19:00")
    assert texts(response.text) == []  # both close at 17:00


async def test_catalogue__shows_errors_next_to_the_fields(world):
    response = await world["client"].get("/catalogue?date=morgen&from=11:00&min_capacity=-3")
    assert response.status_code == 200
    assert 'id="f-date-error"' in response.text
    assert 'id="f-min_capacity-error"' in response.text


async def test_catalogue__anonymous_visitors_are_asked_to_sign_in_without_a_public_catalogue(client, world):
    response = await client.get("/catalogue")
    assert response.status_code == 200
    assert "Großer Saal" not in response.text
    assert "/login?next=/catalogue" in response.text


async def test_catalogue__anonymous_visitors_see_a_public_catalogue(client, make_network, make_organisation, make_asset):
    public = await make_network(public_catalogue=True)
    await make_asset(organisation=await make_organisation(network=public), title="Offener Treff")
    response = await client.get("/catalogue")
    assert texts(response.text) == ["Offener Treff"]


async def test_asset_page__week_calendar_links_free_slots_to_the_booking_form(world, make_booking):
    await make_booking(world["saal"], start=datetime(2026, 5, 5, 10, tzinfo=BERLIN),
                       end=datetime(2026, 5, 5, 12, tzinfo=BERLIN), purpose="Vertrauliche Sitzung")
    with clock.frozen_at(datetime(2026, 5, 1, 8, tzinfo=BERLIN)):
        response = await world["client"].get(f"/assets/{world['saal'].id}?week=2026-05-06")
    assert response.status_code == 200
    html = response.text
    assert "Vertrauliche" not in html
    assert "Schlüssel beim Hausmeister" not in html  # usage instructions only for bookers/owners
    # Rows from 09:00 to 16:30, Monday 4 May to Sunday 10 May.
    assert re.findall(r'<th scope="row">(\d\d:\d\d)</th>', html)[0] == "09:00"
    assert re.findall(r'<th scope="row">(\d\d:\d\d)</th>', html)[-1] == "16:30"
    links = re.findall(r'href="/bookings/new\?([^"]+)"', html)
    assert unescape(links[0]) == (f"asset_id={world['saal'].id}&start=2026-05-04T09%3A00%3A00%2B02%3A00"
                                  "&end=2026-05-04T10%3A00%3A00%2B02%3A00")  # the room's minimum: one hour
    assert "?week=2026-04-27" in html and "?week=2026-05-11" in html
    tuesday_10 = re.findall(r"<tr>\s*<th scope=\"row\">10:00</th>(.*?)</tr>", html, re.S)[0]
    cells = re.findall(r'<td class="cal-(\w+)"', tuesday_10)
    assert cells == ["free", "booking", "free", "free", "free", "closed", "closed"]
    assert "Booked" in tuesday_10 and "Not open" in tuesday_10  # text, not only colour


async def test_asset_page__shows_local_hours_in_the_october_switch_week(world, make_asset):
    daily = await make_asset(organisation=world["owner"], title="Turnhalle",
                             opening_hours=[(d, "08:00", "22:00") for d in range(7)])
    with clock.frozen_at(datetime(2026, 10, 1, tzinfo=BERLIN)):
        response = await world["client"].get(f"/assets/{daily.id}?week=2026-10-25")
    html = response.text
    rows = re.findall(r'<th scope="row">(\d\d:\d\d)</th>', html)
    assert rows[0] == "08:00" and rows[-1] == "21:30"
    starts = [unescape(link).split("&")[1] for link in re.findall(r'href="/bookings/new\?([^"]+)"', html)]
    assert "start=2026-10-25T08%3A00%3A00%2B01%3A00" in starts  # Sunday after the switch
    assert "start=2026-10-24T08%3A00%3A00%2B02%3A00" in starts  # Saturday before it
    assert "start=2026-10-25T21%3A30%3A00%2B01%3A00" in starts


async def test_asset_page__owners_see_usage_instructions(world, make_user, sign_in):
    manager = await make_user(organisation=world["owner"], role="manager")
    client = await sign_in(manager)
    response = await client.get(f"/assets/{world['saal'].id}")
    assert "Schlüssel beim Hausmeister" in response.text


async def test_asset_page__of_an_invisible_asset_is_not_found(world, make_network, make_organisation, make_asset):
    hidden = await make_asset(organisation=await make_organisation(network=await make_network()))
    response = await world["client"].get(f"/assets/{hidden.id}")
    assert response.status_code == 404


async def test_catalogue__pages_through_many_results_keeping_the_filters(world, make_asset):
    for n in range(14):
        await make_asset(organisation=world["owner"], title=f"Raum {n:02d}", capacity=30)
    first = await world["client"].get("/catalogue?min_capacity=25")
    assert len(texts(first.text)) == 12
    assert 'href="/catalogue?min_capacity=25&amp;page=2"' in first.text
    second = await world["client"].get("/catalogue?min_capacity=25&page=2")
    assert texts(second.text) == ["Raum 11", "Raum 12", "Raum 13"]  # 15 in all, by title


async def test_asset_page__the_missing_march_hour_is_marked_not_offered(world, make_asset):
    always = await make_asset(organisation=world["owner"], title="Lastenrad", kind="vehicle")
    with clock.frozen_at(datetime(2026, 3, 1, tzinfo=BERLIN)):
        response = await world["client"].get(f"/assets/{always.id}?week=2026-03-29")
    html = response.text
    rows = re.findall(r'<th scope="row">(\d\d:\d\d)</th>', html)
    assert rows[0] == "00:00" and rows[-1] == "23:00"  # always open: whole days in hours
    two = re.findall(r"<tr>\s*<th scope=\"row\">02:00</th>(.*?)</tr>", html, re.S)[0]
    assert re.findall(r'<td class="cal-(\w+)"', two) == ["free"] * 6 + ["none"]
    three = re.findall(r"<tr>\s*<th scope=\"row\">03:00</th>(.*?)</tr>", html, re.S)[0]
    assert "start=2026-03-29T03%3A00%3A00%2B02%3A00" in unescape(three)


async def test_asset_page__the_repeated_october_hour_is_free_and_books_its_first_pass(world, make_asset):
    night = await make_asset(organisation=world["owner"], title="Nachtcafé",
                             opening_hours=[(d, "00:00", "12:00") for d in range(7)])
    with clock.frozen_at(datetime(2026, 10, 1, tzinfo=BERLIN)):
        response = await world["client"].get(f"/assets/{night.id}?week=2026-10-25")
    html = response.text
    for row, start in (("02:00", "2026-10-25T02%3A00%3A00%2B02%3A00"), ("02:30", "2026-10-25T02%3A30%3A00%2B02%3A00")):
        cells = re.findall(rf"<tr>\s*<th scope=\"row\">{row}</th>(.*?)</tr>", html, re.S)[0]
        assert re.findall(r'<td class="cal-(\w+)"', cells) == ["free"] * 7
        assert "Booked" not in cells
        assert f"start={start}" in unescape(cells)  # the first pass, still summer time


@pytest.mark.parametrize("query, field", [
    ("date=9999-12-31&from=18:00&to=21:00", "date"),
    ("date=0001-01-01&from=18:00", "date"),
    ("date=9999-12-31", "date"),
    ("q=%00", "q"),
    ("q=Saal%00", "q"),
    ("district=%00", "district"),
], ids=["year 9999", "year 1", "last day", "NUL", "NUL in a word", "NUL district"])
async def test_catalogue__refuses_bad_input_next_to_the_field(world, query, field):
    response = await world["client"].get(f"/catalogue?{query}")
    assert response.status_code == 200
    assert f'id="f-{field}-error"' in response.text
    assert texts(response.text) == []


async def test_catalogue__a_nul_network_is_ignored_not_a_500(world):
    response = await world["client"].get("/catalogue?network=%00")
    assert response.status_code == 200
    assert texts(response.text) == ["Großer Saal", "Kleine Kammer"]


@pytest.mark.parametrize("status, note", [
    ("paused", "Paused — not bookable right now."),
    ("draft", "Draft — not bookable until it is activated."),
    ("retired", "Retired — no longer bookable."),
])
async def test_asset_page__an_asset_that_takes_no_bookings_shows_its_week_without_booking_links(
        world, make_asset, make_user, sign_in, status, note):
    asset = await make_asset(organisation=world["owner"], title="Ruhender Saal", status=status,
                             opening_hours=WEEKDAYS_9_17)
    # Drafts and retired assets are seen by the owner's members only; paused ones by the network.
    client = world["client"] if status == "paused" else await sign_in(
        await make_user(organisation=world["owner"], locale="en"))
    with clock.frozen_at(datetime(2026, 5, 1, 8, tzinfo=BERLIN)):
        response = await client.get(f"/assets/{asset.id}?week=2026-05-06")
    assert response.status_code == 200
    html = response.text
    assert note in html
    assert "/bookings/new" not in html and "Choose a free time to book it." not in html
    assert 'class="cal-free"' in html  # the week is still shown


async def test_asset_page__an_active_asset_has_no_not_bookable_note(world):
    with clock.frozen_at(datetime(2026, 5, 1, 8, tzinfo=BERLIN)):
        html = (await world["client"].get(f"/assets/{world['saal'].id}?week=2026-05-06")).text
    assert 'id="not-bookable"' not in html and "/bookings/new" in html


async def test_catalogue__filters_by_the_owners_sector_and_units(world, make_organisation, make_asset, make_booking):
    network = world["owner"].network
    shop = await make_organisation(network=network, name="Druckerei", sector="business")
    await make_asset(organisation=shop, kind="device", title="Klapptische", quantity=10)
    await make_asset(organisation=shop, kind="device", title="Beamer", quantity=1)
    html = (await world["client"].get("/catalogue")).text
    assert '<label for="f-sector">' in html and '<label for="f-min_quantity">' in html
    assert texts((await world["client"].get("/catalogue?sector=business")).text) == ["Beamer", "Klapptische"]
    assert texts((await world["client"].get("/catalogue?sector=municipality")).text) == []
    assert texts((await world["client"].get("/catalogue?min_quantity=5")).text) == ["Klapptische"]
    assert texts((await world["client"].get("/catalogue?sector=business&min_quantity=2")).text) == ["Klapptische"]


async def test_catalogue__min_quantity_with_a_free_time_counts_the_free_units(world, make_organisation, make_asset,
                                                                           make_booking):
    tables = await make_asset(organisation=world["owner"], kind="device", title="Klapptische", quantity=10)
    await make_booking(tables, start=datetime(2026, 5, 5, 10, tzinfo=BERLIN), end=datetime(2026, 5, 5, 12, tzinfo=BERLIN),
                       quantity=7)
    query = "/catalogue?kind=device&date=2026-05-05&from=11:00&to=13:00&min_quantity="
    assert texts((await world["client"].get(query + "3")).text) == ["Klapptische"]
    assert texts((await world["client"].get(query + "4")).text) == []
    response = await world["client"].get(query + "-1")
    assert 'id="f-min_quantity-error"' in response.text


async def test_catalogue__german_labels_for_the_new_filters(world, make_user, sign_in):
    german = await sign_in(await make_user(organisation=world["owner"], locale="de"))
    html = (await german.get("/catalogue")).text
    assert "Anbieter (Bereich)" in html and "Stück (mindestens)" in html and "Alle Bereiche" in html
