"""The managers' pages work without JavaScript: kind choice, the form, the opening-hours editor."""

import re

import pytest

from resourcepool.db import sql
from tests.fixtures.platform import post_form


@pytest.fixture
async def manager(make_organisation, make_user):
    org = await make_organisation(name="Pfarrei St. Antonius")
    return await make_user(organisation=org, role="manager", locale="en")


def input_value(html: str, name: str) -> str:
    match = re.search(rf'name="{re.escape(name)}"[^>]*? value="([^"]*)"', html)
    assert match, name
    return match.group(1)


async def test_new_asset__first_the_kind_then_the_kind_fields(manager, sign_in):
    browser = await sign_in(manager)
    choice = await browser.get("/our-assets/new")
    assert choice.status_code == 200 and 'name="kind"' in choice.text and 'type="radio"' in choice.text
    form = (await browser.get("/our-assets/new?kind=vehicle")).text
    assert 'name="seats"' in form and 'name="capacity"' not in form
    # The vehicle defaults are filled in.
    assert 'name="approval_required" type="checkbox" value="1" checked' in form
    assert input_value(form, "min_duration_minutes") == "120"


async def test_opening_hours_editor__round_trip_without_javascript(manager, sign_in, make_asset):
    asset = await make_asset(organisation=manager.organisation, opening_hours=[(0, "08:00", "12:00")])
    browser = await sign_in(manager)
    page = (await browser.get(f"/our-assets/{asset.id}/edit")).text
    assert input_value(page, "h0_0_from") == "08:00" and input_value(page, "h0_0_until") == "12:00"
    assert input_value(page, "h6_1_from") == ""  # seven days, two intervals each
    response = await post_form(browser, f"/our-assets/{asset.id}/hours", {
        "h0_0_from": "08:00", "h0_0_until": "12:00", "h0_1_from": "14:00", "h0_1_until": "18:00",
        "h5_0_from": "10:00", "h5_0_until": "24:00", "h6_0_from": "", "h6_0_until": ""})
    assert response.status_code == 303
    rows = await sql.fetch("SELECT weekday, start_minute, end_minute FROM opening_hours WHERE asset_id = $1 "
                           "ORDER BY weekday, start_minute", asset.id)
    assert [(r["weekday"], r["start_minute"], r["end_minute"]) for r in rows] == [
        (0, 480, 720), (0, 840, 1080), (5, 600, 1440)]
    page = (await browser.get(response.headers["location"])).text
    assert input_value(page, "h0_1_from") == "14:00" and input_value(page, "h5_0_until") == "24:00"
    assert "The opening hours have been saved." in page


async def test_opening_hours_editor__shows_the_error_next_to_the_day_and_keeps_the_input(manager, sign_in, make_asset):
    asset = await make_asset(organisation=manager.organisation, opening_hours=[(0, "08:00", "12:00")])
    browser = await sign_in(manager)
    response = await post_form(browser, f"/our-assets/{asset.id}/hours", {
        "h2_0_from": "18:00", "h2_0_until": "08:00", "h3_0_from": "25:00", "h3_0_until": "26:00"})
    assert response.status_code == 422
    assert 'id="day-2-error"' in response.text and "Opening must be before closing." in response.text
    assert input_value(response.text, "h2_0_from") == "18:00"
    assert await sql.fetch_value("SELECT count(*) FROM opening_hours WHERE asset_id = $1", asset.id) == 1


async def test_asset_form__errors_next_to_the_field_and_nothing_saved(manager, sign_in, make_asset):
    asset = await make_asset(organisation=manager.organisation, title="Gemeindesaal")
    browser = await sign_in(manager)
    response = await post_form(browser, f"/our-assets/{asset.id}/edit", {
        "title": "Saal", "capacity": "viele", "networks": manager.organisation.network.slug})
    assert response.status_code == 422
    assert 'id="f-capacity-error"' in response.text and "Enter a whole number." in response.text
    assert input_value(response.text, "capacity") == "viele"
    assert await sql.fetch_value("SELECT title FROM asset WHERE id = $1", asset.id) == "Gemeindesaal"


async def test_closures__added_and_removed_from_the_edit_page(manager, sign_in, make_asset):
    asset = await make_asset(organisation=manager.organisation)
    browser = await sign_in(manager)
    response = await post_form(browser, f"/our-assets/{asset.id}/closures", {
        "start": "2026-12-24T00:00", "end": "2026-12-27T00:00", "reason": "Weihnachten"})
    assert response.status_code == 303
    page = (await browser.get(f"/our-assets/{asset.id}/edit")).text
    assert "Weihnachten" in page
    closure_id = await sql.fetch_value("SELECT id FROM closure WHERE asset_id = $1", asset.id)
    bad = await post_form(browser, f"/our-assets/{asset.id}/closures", {
        "start": "2026-12-24T00:00", "end": "2026-12-25T00:00", "repeat": "hourly"})
    assert bad.status_code == 422 and 'id="f-repeat-error"' in bad.text
    response = await post_form(browser, f"/our-assets/{asset.id}/closures/{closure_id}/delete")
    assert response.status_code == 303
    assert await sql.fetch_value("SELECT count(*) FROM closure") == 0


async def test_list__shows_status_badges_and_pause_activate_actions(manager, sign_in, make_asset):
    active = await make_asset(organisation=manager.organisation, title="Beamer", kind="device")
    await make_asset(organisation=manager.organisation, title="Alter Bus", status="retired")
    browser = await sign_in(manager)
    page = (await browser.get("/our-assets")).text
    assert "Beamer" in page and "Alter Bus" in page and "Retired" in page
    response = await post_form(browser, f"/our-assets/{active.id}/status", {"action": "pause"})
    assert response.status_code == 303
    assert await sql.fetch_value("SELECT status FROM asset WHERE id = $1", active.id) == "paused"
    response = await post_form(browser, f"/our-assets/{active.id}/status", {"action": "activate"})
    assert await sql.fetch_value("SELECT status FROM asset WHERE id = $1", active.id) == "active"


async def test_pages__render_in_german(make_organisation, make_user, sign_in, make_asset):
    org = await make_organisation()
    manager = await make_user(organisation=org, role="manager", locale="de")
    asset = await make_asset(organisation=org)
    browser = await sign_in(manager)
    page = (await browser.get(f"/our-assets/{asset.id}/edit")).text
    assert "Öffnungszeiten" in page and "Montag" in page


async def test_closure_form__a_reason_with_a_nul_is_refused_and_adds_nothing(manager, make_asset, sign_in):
    asset = await make_asset(organisation=manager.organisation)
    browser = await sign_in(manager)
    response = await post_form(browser, f"/our-assets/{asset.id}/closures", {
        "start": "2026-12-24T00:00", "end": "2026-12-27T00:00", "reason": "Weih\x00nachten"})
    assert 400 <= response.status_code < 500
    assert await sql.fetch_value("SELECT count(*) FROM closure") == 0
