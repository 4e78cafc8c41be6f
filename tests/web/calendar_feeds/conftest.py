"""Fixtures of the external-calendar web tests: an owner's asset, a booker, a calendar server."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.external_calendar_support import start_server

BERLIN = ZoneInfo("Europe/Berlin")
# The world's clock: Friday 1 January 2027, 09:00 in Berlin.
NOW = datetime(2027, 1, 1, 9, tzinfo=BERLIN)


@pytest.fixture
def frozen_now():
    from resourcepool import clock

    clock.travel(NOW - clock.now())
    yield NOW
    clock.reset_travel()


@pytest.fixture
async def world(frozen_now, make_network, make_organisation, make_user, make_asset, api_as):
    network = await make_network()
    owner = await make_organisation(network=network, name="Pfarrei St. Josef")
    booker = await make_organisation(network=network, name="Chor")
    manager = await make_user(organisation=owner, role="manager", locale="en")
    member = await make_user(organisation=owner, role="member", locale="en")
    guest = await make_user(organisation=booker, locale="en")
    room = await make_asset(organisation=owner, title="Gemeindesaal", opening_hours=[(d, "08:00", "22:00") for d in range(7)],
                            slot_minutes=30, min_duration_minutes=30, lead_time_minutes=0, horizon_days=365)
    return {"network": network, "owner": owner, "booker": booker, "manager": manager, "member": member,
            "guest": guest, "room": room, "api": await api_as(manager), "guest_api": await api_as(guest)}


@pytest.fixture(scope="session")
def calendar_server():
    state, server = start_server()
    yield state
    server.shutdown()


@pytest.fixture
def served(calendar_server):
    calendar_server.files.clear()
    calendar_server.redirects.clear()
    calendar_server.hits.clear()
    calendar_server.conditional_hits.clear()
    return calendar_server


@pytest.fixture
def allow_local_fetch(monkeypatch):
    """RESOURCEPOOL_CALENDAR_FETCH_ALLOW=127.0.0.1/32, as an operator of an intranet would set it."""
    from resourcepool.settings import reset_settings

    monkeypatch.setenv("RESOURCEPOOL_CALENDAR_FETCH_ALLOW", "127.0.0.1/32")
    reset_settings()
    yield
    monkeypatch.delenv("RESOURCEPOOL_CALENDAR_FETCH_ALLOW")
    reset_settings()
