"""The asset form's closures: repeat choices instead of an RRULE field, shown back in words,
errors next to the field, in German and English."""

from __future__ import annotations

import pytest

from resourcepool.db import sql
from tests.fixtures.platform import post_form
from tests.web.accounts.support import field_error


@pytest.fixture
async def manager(make_organisation, make_user):
    return await make_user(organisation=await make_organisation(name="Kirchengemeinde"), role="manager")


async def _form(sign_in, manager, asset, language: str):
    await sql.execute("UPDATE app_user SET locale = $2 WHERE id = $1", manager.id, language)
    page = await sign_in(manager)
    html = (await page.get(f"/our-assets/{asset.id}/edit")).text
    return page, html


async def test_closure_form__offers_choices_and_shows_the_closure_in_words(manager, sign_in, make_asset):
    asset = await make_asset(organisation=manager.organisation)
    page, html = await _form(sign_in, manager, asset, "en")
    assert 'name="rrule"' not in html
    assert '<option value="monthly_weekday" >Every month on the same weekday (e.g. the first Saturday)</option>' in html
    response = await post_form(page, f"/our-assets/{asset.id}/closures", {
        "start": "2027-01-02T09:00", "end": "2027-01-02T13:00", "reason": "Flohmarkt",
        "repeat": "monthly_weekday", "until": "2027-12-31"})
    assert response.status_code == 303, response.text
    assert await sql.fetch_value("SELECT rrule FROM closure") == "FREQ=MONTHLY;BYDAY=1SA;UNTIL=20271231"
    html = (await page.get(response.headers["location"])).text
    assert "every month on the first Saturday until 31 December 2027 · Flohmarkt" in html
    await post_form(page, f"/our-assets/{asset.id}/closures", {
        "start": "2027-01-05T18:00", "end": "2027-01-05T20:00", "repeat": "weekly"})
    _, html = await _form(sign_in, manager, asset, "de")
    assert "jeden Monat am ersten Samstag bis 31. Dezember 2027 · Flohmarkt" in html
    assert "jeden Dienstag" in html


async def test_closure_form__a_last_date_before_the_start_is_refused_next_to_it(manager, sign_in, make_asset):
    asset = await make_asset(organisation=manager.organisation)
    page, _ = await _form(sign_in, manager, asset, "de")
    response = await post_form(page, f"/our-assets/{asset.id}/closures", {
        "start": "2027-01-05T18:00", "end": "2027-01-05T20:00", "repeat": "weekly", "until": "2027-01-01"})
    assert response.status_code == 422
    assert field_error(response.text, "until") == "Der letzte Termin kann nicht vor dem Beginn liegen."
    assert 'value="2027-01-01"' in response.text
    response = await post_form(page, f"/our-assets/{asset.id}/closures", {
        "start": "2019-01-01T06:00", "end": "2019-01-01T07:00", "repeat": "daily"})
    assert response.status_code == 422
    assert field_error(response.text, "repeat").startswith("Eine wiederkehrende Schließung darf bis ")
    assert await sql.fetch_value("SELECT count(*) FROM closure") == 0
