"""GET /api/v1/assets: filters, full text in German and English, visibility, bad input."""

from __future__ import annotations

import pytest


@pytest.fixture
async def world(make_network, make_organisation, make_user, make_asset, api_as):
    network = await make_network(slug="herten-mitte")
    owner = await make_organisation(network=network, name="Bürgerhaus", sector="municipality")
    business = await make_organisation(network=network, name="Druckerei", sector="business")
    booker = await make_organisation(network=network, name="Chor")
    member = await make_user(organisation=booker)
    assets = {
        "saal": await make_asset(organisation=owner, title="Großer Saal", capacity=80, district="Mitte",
                                 description="Heller Saal mit Bühne und Beamer",
                                 accessibility=["step_free", "accessible_toilet"]),
        "raum": await make_asset(organisation=owner, title="Kleiner Besprechungsraum", capacity=10,
                                 district="Süd", accessibility=["step_free"]),
        "bus": await make_asset(organisation=business, kind="vehicle", title="Kleinbus", seats=9,
                                district="Mitte", description="Nine seats, for trips"),
        "tische": await make_asset(organisation=business, kind="device", title="Biertischgarnituren",
                                   quantity=10, district="Mitte"),
        "entwurf": await make_asset(organisation=owner, title="Saal im Entwurf", status="draft"),
    }
    return {"api": await api_as(member), "assets": assets, "network": network}


def titles(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["title"] for item in response.json()["items"]]


async def test_search__without_filters_lists_visible_assets_by_title(world):
    response = await world["api"].get("/api/v1/assets")
    assert titles(response) == ["Biertischgarnituren", "Großer Saal", "Kleinbus", "Kleiner Besprechungsraum"]
    assert response.json()["total"] == 4


async def test_search__filters_combine(world):
    api = world["api"]
    assert titles(await api.get("/api/v1/assets", params={"kind": "room", "min_capacity": 20})) == ["Großer Saal"]
    assert titles(await api.get("/api/v1/assets", params={"district": "mitte", "kind": "vehicle"})) == ["Kleinbus"]
    assert titles(await api.get("/api/v1/assets", params={"sector": "business"})) == ["Biertischgarnituren", "Kleinbus"]
    assert titles(await api.get("/api/v1/assets", params={"min_quantity": 5})) == ["Biertischgarnituren"]
    assert titles(await api.get("/api/v1/assets", params={"accessible": "step_free,accessible_toilet"})) == ["Großer Saal"]
    assert titles(await api.get("/api/v1/assets", params={"network": "herten-mitte", "kind": "device"})) == ["Biertischgarnituren"]
    assert titles(await api.get("/api/v1/assets", params={"network": "anderswo"})) == []


@pytest.mark.parametrize("q, expected", [
    ("Bühnen", ["Großer Saal"]),          # German stemming
    ("seats", ["Kleinbus"]),              # English stemming
    ("Beamer Bühne", ["Großer Saal"]),    # all words
    ("Bespr", ["Kleiner Besprechungsraum"]),  # prefix of a word
    ("bus", ["Kleinbus"]),                # short word inside a compound
])
async def test_search__full_text_in_german_and_english(world, q, expected):
    assert titles(await world["api"].get("/api/v1/assets", params={"q": q})) == expected


async def test_search__pages_with_limit_and_offset(world):
    first = await world["api"].get("/api/v1/assets", params={"limit": 3})
    second = await world["api"].get("/api/v1/assets", params={"limit": 3, "offset": 3})
    assert len(first.json()["items"]) == 3 and len(second.json()["items"]) == 1
    assert first.json()["total"] == second.json()["total"] == 4


async def test_search__anonymous_sees_only_public_catalogues(world, client, make_network, make_organisation, make_asset):
    assert (await client.get("/api/v1/assets")).json() == {"items": [], "total": 0}
    public = await make_network(public_catalogue=True)
    await make_asset(organisation=await make_organisation(network=public), title="Öffentlicher Raum")
    assert titles(await client.get("/api/v1/assets")) == ["Öffentlicher Raum"]


@pytest.mark.parametrize("params, field", [
    ({"kind": "spaceship"}, "kind"),
    ({"min_capacity": -1}, "min_capacity"),
    ({"min_quantity": -5}, "min_quantity"),
    ({"min_quantity": 503609995028}, "min_quantity"),
    ({"accessible": "teleporter"}, "accessible"),
    ({"sector": "mafia"}, "sector"),
    ({"free_from": "2026-05-04T18:00:00+02:00", "free_to": "2026-05-04T17:00:00+02:00"}, "free_to"),
    ({"free_from": "2026-05-04T18:00:00+02:00", "free_to": "2031-05-04T18:00:00+02:00"}, "free_to"),
    ({"free_from": "2026-05-04T18:00:00+02:00"}, "free_to"),
    ({"free_from": "nächsten Dienstag", "free_to": "2026-05-04T18:00:00+02:00"}, "free_from"),
    ({"free_from": "0001-01-01T00:00:00+00:00", "free_to": "0001-01-01T03:00:00+00:00"}, "free_from"),
    ({"free_from": "9999-12-31T18:00:00+00:00", "free_to": "9999-12-31T21:00:00+00:00"}, "free_from"),
    ({"free_from": "2026-05-04T18:00:00+02:00", "free_to": "9999-12-31"}, "free_to"),
    ({"q": "Saal\x00"}, "q"),
    ({"q": "\x00"}, "q"),
    ({"district": "Mitte\x00"}, "district"),
    ({"network": "herten\x00mitte"}, "network"),
])
async def test_search__refuses_bad_input_with_a_clear_message(world, params, field):
    response = await world["api"].get("/api/v1/assets", params=params)
    assert response.status_code == 422, response.text
    body = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    assert body["code"] == "validation_error" and body["field"] == field and body["detail"]


@pytest.mark.parametrize("params", [{"min_capacity": "viele"}, {"limit": 0}, {"limit": 1000}, {"offset": -1},
                                    {"offset": 10**12}])
async def test_search__refuses_malformed_numbers_with_400(world, params):
    response = await world["api"].get("/api/v1/assets", params=params)
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"


async def test_search__free_window_leaves_out_held_closed_and_shut_assets(world, make_booking, make_closure):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    z = ZoneInfo("Europe/Berlin")
    saal, raum = world["assets"]["saal"], world["assets"]["raum"]
    await make_booking(saal, start=datetime(2026, 5, 5, 18, tzinfo=z), end=datetime(2026, 5, 5, 20, tzinfo=z))
    await make_closure(raum, starts_at=datetime(2026, 5, 5, 0, tzinfo=z), ends_at=datetime(2026, 5, 6, tzinfo=z))
    params = {"kind": "room", "free_from": "2026-05-05T19:00:00+02:00", "free_to": "2026-05-05T21:00:00+02:00"}
    assert titles(await world["api"].get("/api/v1/assets", params=params)) == []
    params["free_from"] = "2026-05-05T20:00:00+02:00"
    assert titles(await world["api"].get("/api/v1/assets", params=params)) == ["Großer Saal"]


@pytest.mark.parametrize("q", ["Fördermittel", "Förder", "grant writing", "Buchhaltung", "Türkisch", "Arabic"])
async def test_search__finds_an_expert_by_topic_or_language(world, make_asset, make_organisation, q):
    office = await make_organisation(network=world["network"], name="Steuerbüro", sector="business")
    await make_asset(organisation=office, kind="expertise", title="Zwei Stunden Beratung im Monat",
                     description="Wir helfen gern.", topics=["Fördermittel", "Buchhaltung", "grant writing"],
                     languages=["Deutsch", "Türkisch", "Arabic"])
    assert titles(await world["api"].get("/api/v1/assets", params={"q": q})) == ["Zwei Stunden Beratung im Monat"]


async def test_search__paused_assets_only_for_members_of_their_networks(client, api_as, make_network,
                                                                       make_organisation, make_user, make_asset):
    public = await make_network(public_catalogue=True, slug="offen")
    closed = await make_network(slug="intern")
    owner = await make_organisation(network=public)
    await make_asset(organisation=owner, networks=[public], title="Aktiver Raum")
    await make_asset(organisation=owner, networks=[public, closed], title="Pausierter Raum", status="paused")
    await make_asset(organisation=owner, networks=[public], title="Entwurf", status="draft")
    member_of_closed = await make_user(organisation=await make_organisation(network=closed))
    outsider = await make_user(organisation=await make_organisation(network=await make_network()))
    owners_member = await make_user(organisation=owner)
    assert titles(await client.get("/api/v1/assets")) == ["Aktiver Raum"]
    assert titles(await (await api_as(outsider)).get("/api/v1/assets")) == ["Aktiver Raum"]
    member = await api_as(member_of_closed)
    assert titles(await member.get("/api/v1/assets")) == ["Aktiver Raum", "Pausierter Raum"]
    # Verified in "intern", so the paused asset shows when filtering by the public network too.
    assert titles(await member.get("/api/v1/assets", params={"network": "offen"})) == ["Aktiver Raum", "Pausierter Raum"]
    assert titles(await member.get("/api/v1/assets", params={"network": "intern"})) == ["Pausierter Raum"]
    assert titles(await (await api_as(owners_member)).get("/api/v1/assets")) == ["Aktiver Raum", "Pausierter Raum"]
