"""The asset API: create, read, change, opening hours, closures — and bad input is a clear 4xx."""

import pytest

from resourcepool.db import sql
from tests.bounded_work import at_most_calls
from tests.db_state import database_state


@pytest.fixture
async def manager(make_organisation, make_user):
    org = await make_organisation(name="Bürgerhaus Herten")
    return await make_user(organisation=org, role="manager")


def room(org_id, **extra):
    body = {"organisation_id": org_id, "kind": "room", "title": "Großer Saal", "capacity": 120,
            "accessibility": ["step_free", "lift"],
            "opening_hours": [{"weekday": 0, "start": "08:00", "end": "12:00"},
                              {"weekday": 0, "start": "14:00", "end": "22:00"}]}
    body.update(extra)
    return body


async def test_create_asset__returns_201_with_kind_defaults_networks_and_hours(manager, api_as):
    api = await api_as(manager)
    response = await api.post("/api/v1/assets", json=room(manager.organisation.id))
    assert response.status_code == 201, response.text
    asset = response.json()
    assert asset["kind"] == "room" and asset["status"] == "active" and asset["capacity"] == 120
    assert asset["policy"]["slot_minutes"] == 30 and asset["policy"]["min_duration_minutes"] == 60
    assert asset["policy"]["buffer_after_minutes"] == 15
    assert [n["slug"] for n in asset["networks"]] == [manager.organisation.network.slug]
    assert asset["opening_hours"] == [{"weekday": 0, "start": "08:00", "end": "12:00"},
                                      {"weekday": 0, "start": "14:00", "end": "22:00"}]
    assert response.headers["location"] == f"/api/v1/assets/{asset['id']}"
    again = await api.get(f"/api/v1/assets/{asset['id']}")
    assert again.json()["title"] == "Großer Saal"


async def test_create_vehicle__requires_approval_by_default_and_takes_a_policy(manager, api_as):
    api = await api_as(manager)
    response = await api.post("/api/v1/assets", json={
        "organisation_id": manager.organisation.id, "kind": "vehicle", "title": "Kleinbus",
        "seats": 9, "fuel": "diesel", "policy": {"credits_per_hour": 3}})
    assert response.status_code == 201, response.text
    policy = response.json()["policy"]
    assert policy["approval_required"] is True and policy["min_duration_minutes"] == 120
    assert policy["max_duration_minutes"] == 3 * 24 * 60 and policy["credits_per_hour"] == 3


async def test_patch_asset__changes_only_the_given_fields_and_the_status(manager, api_as, make_asset):
    asset = await make_asset(organisation=manager.organisation, kind="device", quantity=10,
                             title="Klapptische", category="Möbel")
    api = await api_as(manager)
    response = await api.patch(f"/api/v1/assets/{asset.id}",
                               json={"title": "10 Klapptische", "status": "paused",
                                     "policy": {"approval_required": True}})
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["title"], body["status"], body["category"]) == ("10 Klapptische", "paused", "Möbel")
    assert body["policy"]["approval_required"] is True


async def test_opening_hours_and_closures__round_trip_in_the_asset_timezone(manager, api_as, make_asset):
    asset = await make_asset(organisation=manager.organisation)
    api = await api_as(manager)
    response = await api.put(f"/api/v1/assets/{asset.id}/opening-hours", json={"opening_hours": [
        {"weekday": 5, "start": "10:00", "end": "24:00"}]})
    assert response.status_code == 200, response.text
    assert response.json() == [{"weekday": 5, "start": "10:00", "end": "24:00"}]
    response = await api.post(f"/api/v1/assets/{asset.id}/closures", json={
        "start": "2026-12-24T00:00", "end": "2026-12-27T00:00", "reason": "Weihnachten"})
    assert response.status_code == 201, response.text
    closure = response.json()
    assert closure["start"] == "2026-12-24T00:00:00+01:00"
    stored = await sql.fetch_value("SELECT starts_at FROM closure WHERE id = $1", closure["id"])
    assert stored.isoformat() == "2026-12-23T23:00:00+00:00"
    weekly = await api.post(f"/api/v1/assets/{asset.id}/closures", json={
        "start": "2026-07-05T08:00", "end": "2026-07-05T12:00", "rrule": "FREQ=WEEKLY;BYDAY=SU;COUNT=10"})
    assert weekly.status_code == 201, weekly.text
    assert weekly.json()["start"] == "2026-07-05T08:00:00+02:00"
    gone = await api.delete(f"/api/v1/assets/{asset.id}/closures/{closure['id']}")
    assert gone.status_code == 204
    assert await sql.fetch_value("SELECT count(*) FROM closure WHERE asset_id = $1", asset.id) == 1


BAD_CREATES = [
    ("unknown kind", {"kind": "spaceship"}, "kind"),
    ("negative quantity", {"kind": "device", "quantity": -3, "capacity": None, "accessibility": []}, "quantity"),
    ("opening at 25:00", {"opening_hours": [{"weekday": 1, "start": "08:00", "end": "25:00"}]}, "opening_hours.1"),
    ("end before start", {"opening_hours": [{"weekday": 2, "start": "18:00", "end": "08:00"}]}, "opening_hours.2"),
    ("overlapping hours", {"opening_hours": [{"weekday": 3, "start": "08:00", "end": "12:00"},
                                             {"weekday": 3, "start": "11:00", "end": "13:00"}]}, "opening_hours.3"),
    ("weekday 7", {"opening_hours": [{"weekday": 7, "start": "08:00", "end": "12:00"}]}, "opening_hours"),
    ("10,000-character title", {"title": "x" * 10000}, "title"),
    ("empty title", {"title": "   "}, "title"),
    ("unknown accessibility", {"accessibility": ["teleporter"]}, "accessibility"),
    ("a fuel for a room", {"fuel": "diesel"}, "fuel"),
    ("latitude 200", {"latitude": 200.0}, "latitude"),
    ("max shorter than min", {"policy": {"min_duration_minutes": 120, "max_duration_minutes": 60}}, "max_duration_minutes"),
    ("unknown network", {"networks": ["nowhere"]}, "networks"),
    ("created retired", {"status": "retired"}, "status"),
    ("NUL in the title", {"title": "Saal\x00"}, "title"),
    ("control character in the district", {"district": "Mitte\x07"}, "district"),
    ("NUL in a topic", {"kind": "expertise", "capacity": None, "accessibility": [],
                        "topics": ["Fördermittel", "Steuern\x00"]}, "topics"),
    ("NUL in a language", {"kind": "expertise", "capacity": None, "accessibility": [],
                           "languages": ["\x00"]}, "languages"),
]


@pytest.mark.parametrize("what,change,field", BAD_CREATES, ids=[b[0] for b in BAD_CREATES])
async def test_create_asset__bad_input_is_a_4xx_problem_and_changes_nothing(manager, api_as, what, change, field):
    api = await api_as(manager)
    response = await api.post("/api/v1/assets", json=room(manager.organisation.id, **change))
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["code"] == "validation_error" and problem["detail"]
    assert problem.get("field") == field
    assert await sql.fetch_value("SELECT count(*) FROM asset") == 0
    assert await sql.fetch_value("SELECT count(*) FROM opening_hours") == 0


@pytest.mark.parametrize("body", [
    {"organisation_id": "one", "kind": "room", "title": "x"},
    {"kind": "room", "title": "x"},
    {"organisation_id": 1, "kind": "room", "title": "x", "colour": "red"},
    {"organisation_id": 1, "kind": "room", "title": "x", "quantity": "ten"},
], ids=["string id", "missing organisation", "unknown field", "quantity as text"])
async def test_create_asset__malformed_json_is_a_400_problem(manager, api_as, body):
    api = await api_as(manager)
    response = await api.post("/api/v1/assets", json=body)
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "validation_error"
    assert await sql.fetch_value("SELECT count(*) FROM asset") == 0


async def test_create_asset__for_another_organisation_is_forbidden(manager, api_as, make_organisation):
    other = await make_organisation()
    api = await api_as(manager)
    response = await api.post("/api/v1/assets", json=room(other.id))
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert await sql.fetch_value("SELECT count(*) FROM asset") == 0


async def test_patch_asset__bad_input_changes_nothing(manager, api_as, make_asset):
    asset = await make_asset(organisation=manager.organisation, opening_hours=[(0, "08:00", "22:00")])
    api = await api_as(manager)
    for body in ({"title": "y" * 10000}, {"kind": "vehicle"}, {"status": "draft"},
                 {"capacity": -1, "title": "Neu"},
                 {"title": "Neu", "opening_hours": [{"weekday": 0, "start": "09:00", "end": "25:00"}]}):
        response = await api.patch(f"/api/v1/assets/{asset.id}", json=body)
        assert response.status_code in (400, 422), (body, response.text)
        assert response.json()["detail"]
    row = await sql.fetch_one("SELECT title, kind, status, capacity FROM asset WHERE id = $1", asset.id)
    assert (row["title"], row["kind"], row["status"], row["capacity"]) == (asset.title, "room", "active", 20)
    assert await sql.fetch_value("SELECT count(*) FROM opening_hours WHERE asset_id = $1", asset.id) == 1


@pytest.mark.parametrize("body,field", [
    ({"start": "2026-12-24T10:00", "end": "2026-12-24T09:00"}, "end"),
    ({"start": "Heiligabend", "end": "2026-12-24T09:00"}, "start"),
    ({"start": "2026-03-29T02:30", "end": "2026-03-29T04:00"}, "start"),
    ({"start": "2026-12-24T10:00", "end": "2026-12-24T12:00", "rrule": "FREQ=MINUTELY;COUNT=5"}, "rrule"),
    ({"start": "2026-12-24T10:00", "end": "2026-12-24T12:00", "rrule": "FREQ=WEEKLY;COUNT=5;" + "X" * 600}, "rrule"),
    # Daily since 2019: more dates up to the booking horizon than a closure may store.
    ({"start": "2019-01-01T10:00", "end": "2019-01-01T12:00", "rrule": "FREQ=DAILY;COUNT=100000"}, "rrule"),
    ({"start": "2026-12-24T10:00", "end": "2026-12-24T12:00", "rrule": "BANANA"}, "rrule"),
    ({"start": "2026-12-24T10:00", "end": "2026-12-24T12:00", "rrule": "FREQ=WEEKLY;BYDAY=XX;COUNT=3"}, "rrule"),
    ({"start": "2026-12-24T10:00", "end": "2026-12-24T12:00", "reason": "Ferien\x00"}, "reason"),
    ({"start": "2026-12-24T10:00", "end": "2026-12-24T12:00", "reason": "\x00"}, "reason"),
    ({"start": "0001-01-01T10:00", "end": "0001-01-01T12:00"}, "start"),
    ({"start": "2026-12-24T10:00", "end": "9999-12-31T23:00"}, "end"),
    ({"start": "9999-12-31T10:00+00:00", "end": "9999-12-31T12:00+00:00"}, "start"),
    ({"start": "2026-12-24T10:00", "end": "2026-12-24T12:00", "rrule": "FREQ=DAILY;COUNT=3\x00"}, "rrule"),
], ids=["end before start", "not a date", "skipped by DST", "minutely", "too long", "too many", "garbage",
        "bad day", "NUL in the reason", "only NUL as reason", "year 1", "end in 9999", "year 9999", "NUL in the rule"])
async def test_add_closure__bad_input_is_a_422_and_adds_nothing(manager, api_as, make_asset, body, field):
    asset = await make_asset(organisation=manager.organisation)
    api = await api_as(manager)
    response = await api.post(f"/api/v1/assets/{asset.id}/closures", json=body)
    assert response.status_code == 422, response.text
    assert response.json()["field"] == field
    assert await sql.fetch_value("SELECT count(*) FROM closure") == 0


@pytest.mark.parametrize("rrule", [
    "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;COUNT=1",     # never: dateutil looked until 9999 (~10 s)
    "FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=31;UNTIL=20300101",
    "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO;COUNT=2",  # a Monday 29 February: not before 2044
])
async def test_add_closure__a_rule_without_dates_in_ten_years_is_refused_at_once(manager, api_as, make_asset, rrule):
    asset = await make_asset(organisation=manager.organisation)
    api = await api_as(manager)
    # Bounded work, not a wall-clock limit: dateutil alone would make about a million calls.
    with at_most_calls(150_000):
        response = await api.post(f"/api/v1/assets/{asset.id}/closures", json={
            "start": "2026-12-24T10:00", "end": "2026-12-24T12:00", "rrule": rrule})
    assert response.status_code == 422, response.text
    assert response.json()["field"] == "rrule"
    assert response.json()["detail"] == "Diese Wiederholungsregel hat in den nächsten zehn Jahren keine Termine."
    assert await sql.fetch_value("SELECT count(*) FROM closure") == 0


async def test_add_closure__a_rare_rule_is_stored_from_its_first_date(manager, api_as, make_asset):
    asset = await make_asset(organisation=manager.organisation)
    api = await api_as(manager)
    response = await api.post(f"/api/v1/assets/{asset.id}/closures", json={
        "start": "2026-12-24T10:00", "end": "2026-12-24T12:00", "rrule": "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;COUNT=2"})
    assert response.status_code == 201, response.text
    assert response.json()["start"] == "2028-02-29T10:00:00+01:00"


@pytest.mark.parametrize("change", [{"topics": ["Steuern\x00"]}, {"languages": ["Deutsch", "Eng\x00lish"]},
                                    {"description": "Beratung\x00"}])
async def test_patch_expertise__control_characters_are_refused_and_change_nothing(manager, api_as, make_asset, change):
    asset = await make_asset(organisation=manager.organisation, kind="expertise", topics=["Steuern"],
                             languages=["Deutsch"], description="Beratung")
    api = await api_as(manager)
    response = await api.patch(f"/api/v1/assets/{asset.id}", json=change)
    assert response.status_code == 422, response.text
    assert response.json()["field"] == next(iter(change))
    row = await sql.fetch_one("SELECT topics, languages, description FROM asset WHERE id = $1", asset.id)
    assert (row["topics"], row["languages"], row["description"]) == (["Steuern"], ["Deutsch"], "Beratung")


async def test_retire_asset__with_a_booking_to_come_is_a_409_and_changes_nothing(manager, api_as, make_asset,
                                                                                make_booking):
    from tests.fixtures.bookings import tomorrow_at

    asset = await make_asset(organisation=manager.organisation)
    await make_booking(asset, start=tomorrow_at(10), end=tomorrow_at(12))
    api = await api_as(manager)
    response = await api.patch(f"/api/v1/assets/{asset.id}", json={"status": "retired", "title": "Alt"})
    assert response.status_code == 409, response.text
    assert response.json()["code"] == "conflict" and response.json()["field"] == "status"
    row = await sql.fetch_one("SELECT status, title FROM asset WHERE id = $1", asset.id)
    assert (row["status"], row["title"]) == ("active", asset.title)


async def test_reactivating_a_retired_asset__is_a_422_and_changes_nothing(manager, api_as, make_asset):
    asset = await make_asset(organisation=manager.organisation, status="retired")
    api = await api_as(manager)
    response = await api.patch(f"/api/v1/assets/{asset.id}", json={"status": "active"})
    assert response.status_code == 422 and response.json()["field"] == "status"
    assert await sql.fetch_value("SELECT status FROM asset WHERE id = $1", asset.id) == "retired"


async def test_read_asset__usage_instructions_only_for_the_owner(manager, api_as, make_asset, make_organisation, make_user):
    asset = await make_asset(organisation=manager.organisation, usage_instructions="Schlüssel beim Hausmeister")
    neighbour_org = await make_organisation(network=manager.organisation.network)
    neighbour = await make_user(organisation=neighbour_org)
    own = (await (await api_as(manager)).get(f"/api/v1/assets/{asset.id}")).json()
    theirs = (await (await api_as(neighbour)).get(f"/api/v1/assets/{asset.id}")).json()
    assert own["usage_instructions"] == "Schlüssel beim Hausmeister" and own["can_manage"] is True
    assert theirs["usage_instructions"] is None and theirs["can_manage"] is False


async def test_asset_ids_out_of_range__are_a_4xx_not_a_500(manager, api_as):
    api = await api_as(manager)
    for url in ("/api/v1/assets/99999999999999999999999", "/api/v1/assets/0"):
        assert 400 <= (await api.get(url)).status_code < 500
    before = await database_state()
    response = await api.post("/api/v1/assets", json=room(manager.organisation.id, policy={
        "allowed_organisation_ids": [2**70]}))
    assert response.status_code in (400, 422)
    assert await database_state() == before


async def test_openapi_document__lists_the_asset_endpoints(client):
    document = (await client.get("/schema/openapi.json")).json()
    assert "post" in document["paths"]["/api/v1/assets"]
    assert "patch" in document["paths"]["/api/v1/assets/{asset_id}"]
