"""Who may move a booking from which state: every transition × every role × every state.

Roles: the booker (member of the booking organisation), a manager and a plain member of the
asset's organisation, a manager of a third organisation, the network coordinator, anonymous.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from resourcepool import clock
from resourcepool.db import sql
from tests.fixtures.bookings import tomorrow_at

STATES = ["requested", "confirmed", "declined", "cancelled", "expired", "completed", "no_show"]
ROLES = ["booker", "manager", "owner_member", "third", "coordinator", "anonymous"]


def expected(action: str, role: str, state: str) -> int:
    if role == "anonymous":
        return 401
    if role in ("third", "coordinator"):
        return 404  # they do not see the booking at all
    if action in ("approve", "decline"):
        if role != "manager":
            return 403
        return 200 if state == "requested" else 409
    if action == "cancel":
        if role == "owner_member":
            return 403
        return 200 if state in ("requested", "confirmed") else 409
    if action == "no-show":
        if role != "manager":
            return 403
        return 200 if state in ("confirmed", "completed") else 409
    raise AssertionError(action)


CASES = [(a, r, s) for a in ("approve", "decline", "cancel", "no-show") for r in ROLES for s in STATES]


@pytest.mark.parametrize("action,role,state", CASES, ids=[f"{a}-{r}-{s}" for a, r, s in CASES])
async def test_transition_permission_matrix(action, role, state, booked_world, make_booking,
                                            api_as, client):
    world = await booked_world()
    if action == "no-show":
        start = clock.now().replace(microsecond=0) - timedelta(hours=1)  # started, within grace
    else:
        start = tomorrow_at(10)
    booking = await make_booking(asset=world["asset"], organisation=world["booker_org"],
                                 user=world["booker"], start=start, end=start + timedelta(hours=2),
                                 status=state)
    http = client if role == "anonymous" else await api_as(world[role])
    before = await sql.fetch_value("SELECT count(*) FROM booking_event WHERE booking_id = $1", booking.id)
    response = await http.post(f"/api/v1/bookings/{booking.id}/{action}",
                               json={"reason": "Heizung defekt"})
    want = expected(action, role, state)
    assert response.status_code == want, response.text
    after = await sql.fetch_value("SELECT count(*) FROM booking_event WHERE booking_id = $1", booking.id)
    status = await sql.fetch_value("SELECT status FROM booking WHERE id = $1", booking.id)
    if want == 200:
        assert after == before + 1
        assert status != state
    else:
        assert after == before and status == state
        assert response.headers["content-type"].startswith("application/problem+json")


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
