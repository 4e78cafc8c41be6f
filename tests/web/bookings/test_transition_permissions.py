"""Who may move a booking from which state, and when: transition × role × state × time.

Roles: the booker (the member who booked), a colleague of theirs (a plain member of the
booking organisation), a manager of the booking organisation, a manager and a plain member of
the asset's organisation, a manager of a third organisation, the network coordinator,
anonymous. Times: before the start, running (started, not ended), ended (within the no-show
grace period; the sweeper has not run, so a confirmed booking is still confirmed).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from resourcepool import clock
from resourcepool.db import sql
from tests.fixtures.bookings import tomorrow_at
from tests.db_state import database_state

STATES = ["requested", "confirmed", "declined", "cancelled", "expired", "completed", "no_show"]
ROLES = ["booker", "booker_colleague", "booker_manager", "manager", "owner_member", "third",
         "coordinator", "anonymous"]
TIMES = ["before", "running", "ended"]


def expected(action: str, role: str, state: str, when: str) -> int:
    if role == "anonymous":
        return 401
    if role in ("third", "coordinator"):
        return 404  # they do not see the booking at all
    if action in ("approve", "decline"):
        if role != "manager":
            return 403
        # At the start an undecided request expires: no decision after it.
        return 200 if state == "requested" and when == "before" else 409
    if action == "cancel":
        if role in ("owner_member", "booker_colleague"):
            return 403  # members cancel only their own bookings
        if state not in ("requested", "confirmed"):
            return 409
        if role == "manager":
            return 200 if when != "ended" else 409  # the owner, with a reason, until the end
        return 200 if when == "before" else 409  # the booker's side, before the start
    if action == "no-show":
        if role != "manager":
            return 403
        # From the start (running, or ended and maybe completed) within the grace period.
        return 200 if state in ("confirmed", "completed") and when != "before" else 409
    raise AssertionError(action)


CASES = [(a, s, t) for a in ("approve", "decline", "cancel", "no-show") for s in STATES for t in TIMES]


def _span(when: str):
    now = clock.now().replace(microsecond=0)
    start = {"before": tomorrow_at(10), "running": now - timedelta(hours=1),
             "ended": now - timedelta(hours=3)}[when]
    return start, start + timedelta(hours=2)


@pytest.mark.parametrize("action,state,when", CASES, ids=[f"{a}-{s}-{t}" for a, s, t in CASES])
async def test_transition_permission_matrix(action, state, when, booked_world, make_asset,
                                            make_booking, api_as, client):
    """Every role tries the transition on its own booking in `state` at time `when`."""
    world = await booked_world()
    start, end = _span(when)
    wrong = []
    for role in ROLES:
        # One asset per role, so the bookings do not clash with each other.
        asset = await make_asset(organisation=world["owner"], networks=[world["network"]])
        booking = await make_booking(asset=asset, organisation=world["booker_org"],
                                     user=world["booker"], start=start, end=end, status=state)
        http = client if role == "anonymous" else await api_as(world[role])
        response = await http.post(f"/api/v1/bookings/{booking.id}/{action}",
                                   json={"reason": "Heizung defekt"})
        want = expected(action, role, state, when)
        events = await sql.fetch_value("SELECT count(*) FROM booking_event WHERE booking_id = $1",
                                       booking.id)
        status = await sql.fetch_value("SELECT status FROM booking WHERE id = $1", booking.id)
        if want == 200:
            ok = response.status_code == 200 and events == 2 and status != state
        else:
            ok = (response.status_code == want and events == 1 and status == state
                  and response.headers["content-type"].startswith("application/problem+json")
                  and (want != 409 or response.json()["code"] == "invalid_state"))
        if not ok:
            wrong.append(f"{role}: expected {want}, got {response.status_code} "
                         f"(status {status}, {events} events) {response.text[:200]}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", ROLES)
async def test_reading_a_booking__only_the_two_organisations_see_it(role, booked_world, make_booking,
                                                                     api_as, client):
    world = await booked_world()
    booking = await make_booking(asset=world["asset"], organisation=world["booker_org"],
                                 user=world["booker"])
    http = client if role == "anonymous" else await api_as(world[role])
    response = await http.get(f"/api/v1/bookings/{booking.id}")
    want = {"anonymous": 401, "third": 404, "coordinator": 404}.get(role, 200)
    assert response.status_code == want
    if want == 200:
        body = response.json()
        assert body["history"][0]["to_status"] == "confirmed"
        assert body["usage_instructions"] == "Schlüssel beim Hausmeister."


async def test_a_booking_within_one_organisation__its_manager_cancels_as_owner_once_started(
        booked_world, make_booking, api_as):
    world = await booked_world()
    start, end = _span("running")
    booking = await make_booking(asset=world["asset"], organisation=world["owner"],
                                 user=world["owner_member"], start=start, end=end)
    manager = await api_as(world["manager"])
    before = await database_state()
    refused = await manager.post(f"/api/v1/bookings/{booking.id}/cancel", json={})
    assert refused.status_code == 422 and refused.json()["field"] == "reason"
    assert await database_state() == before
    done = await manager.post(f"/api/v1/bookings/{booking.id}/cancel", json={"reason": "Rohrbruch"})
    assert done.status_code == 200 and done.json()["cancelled"][0]["status"] == "cancelled"
