"""`free_from`/`free_to` search equals a brute-force recomputation on random data.

Each example builds its own network (opening hours, one-off and recurring closures, holding and
non-holding bookings, several quantities and statuses, two timezones) and compares the search —
every page of it — with a minute-grid check of the definition: active, open, not closed, and
enough units free at every instant of the window.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from resourcepool.accounts.identity import load_identity
from resourcepool.assets.search import SearchParams, search_assets
from resourcepool.availability.rules import ClosureRule, WeeklyHours
from resourcepool.db import sql
from tests.unit.availability.test_rules import _oracle_closed, _oracle_open

UTC = timezone.utc
STEP = timedelta(minutes=15)
ZONES = ["Europe/Berlin", "America/New_York"]
# Around the EU and US switch days, and an ordinary week.
ANCHORS = ["2026-03-28", "2026-10-24", "2026-11-01", "2026-06-15"]

hours_st = st.one_of(
    st.just([]),
    st.just([(d, 8 * 60, 22 * 60) for d in range(7)]),
    st.lists(st.tuples(st.integers(0, 6), st.integers(0, 95), st.integers(1, 60)).map(
        lambda t: (t[0], t[1] * 15, min(1440, t[1] * 15 + t[2] * 15))), max_size=8),
)
closure_st = st.tuples(st.integers(-2, 3), st.integers(0, 95), st.integers(1, 40),
                       st.sampled_from([None, None, "FREQ=DAILY", "FREQ=WEEKLY;COUNT=3"]))
hold_st = st.tuples(st.integers(0, 4 * 96), st.integers(1, 24), st.integers(1, 4),
                    st.sampled_from(["confirmed", "requested", "cancelled", "declined"]))
asset_st = st.fixed_dictionaries({
    "status": st.sampled_from(["active", "active", "active", "paused", "draft"]),
    "quantity": st.sampled_from([1, 1, 2, 5]),
    "tz": st.sampled_from(ZONES),
    "hours": hours_st,
    "closures": st.lists(closure_st, max_size=2),
    "holds": st.lists(hold_st, max_size=5),
})
window_st = st.tuples(st.sampled_from(ANCHORS), st.integers(0, 3 * 96), st.integers(1, 2 * 96))


async def _build(spec, anchor, make_network, make_organisation, make_user, make_asset):
    network = await make_network()
    owner = await make_organisation(network=network)
    booker = await make_organisation(network=network)
    user = await make_user(organisation=booker)
    base = datetime.fromisoformat(anchor + "T00:00+00:00")
    made = []
    for a in spec:
        z = ZoneInfo(a["tz"])
        asset = await make_asset(
            organisation=owner, networks=[network], status=a["status"], quantity=a["quantity"],
            kind="device" if a["quantity"] > 1 else "room", timezone=a["tz"],
            opening_hours=[(d, f"{s // 60:02d}:{s % 60:02d}", f"{e // 60:02d}:{e % 60:02d}")
                           for d, s, e in a["hours"]],
        )
        closures = []
        for day, q, length, rule in a["closures"]:
            wall = datetime.fromisoformat(anchor) + timedelta(days=day, minutes=q * 15)
            c = ClosureRule(wall.replace(tzinfo=z), (wall + length * STEP).replace(tzinfo=z), rule)
            if c.ends_at <= c.starts_at:
                continue
            await sql.execute("INSERT INTO closure (asset_id, starts_at, ends_at, rrule) VALUES ($1, $2, $3, $4)",
                              asset.id, c.starts_at, c.ends_at, rule)
            closures.append(c)
        holds = []
        for offset, length, q, status in a["holds"]:
            start, end = base + offset * STEP, base + (offset + length) * STEP
            quantity = min(q, a["quantity"])
            holding = status in ("requested", "confirmed")
            if a["quantity"] == 1 and holding and any(s < end and start < e for s, e, _ in holds):
                continue  # the exclusion constraint would refuse it
            await sql.execute(
                """INSERT INTO booking (asset_id, organisation_id, user_id, starts_at, ends_at, held_from,
                       held_until, quantity, exclusive, purpose, status)
                   VALUES ($1, $2, $3, $4, $5, $4, $5, $6, $7, 'Test', $8)""",
                asset.id, booker.id, user.id, start, end, quantity, a["quantity"] == 1, status,
            )
            if holding:
                holds.append((start, end, quantity))
        hours = [WeeklyHours(d, s, e) for d, s, e in a["hours"]]
        made.append((asset.id, a, hours, closures, holds))
    return network, user, made


def _free(a, hours, closures, holds, start, end, need):
    if a["status"] != "active" or a["quantity"] < need:
        return False
    t = start
    while t < end:
        if not _oracle_open(hours, a["tz"], t) or _oracle_closed(closures, a["tz"], t):
            return False
        if sum(q for s, e, q in holds if s <= t < e) > a["quantity"] - need:
            return False
        t += STEP
    return True


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(spec=st.lists(asset_st, min_size=1, max_size=6), window=window_st, need=st.sampled_from([None, 1, 2]))
async def test_free_window_search__equals_brute_force(make_network, make_organisation, make_user, make_asset,
                                                       spec, window, need):
    anchor, start_q, length_q = window
    network, user, made = await _build(spec, anchor, make_network, make_organisation, make_user, make_asset)
    start = datetime.fromisoformat(anchor + "T00:00+00:00") + start_q * STEP
    end = start + length_q * STEP
    expected = {asset_id for asset_id, a, hours, closures, holds in made
                if _free(a, hours, closures, holds, start, end, need or 1)}
    event("some free" if expected else "none free")
    event(f"{len(expected)} of {len(made)} free")
    identity = await load_identity(user.id)
    found: list[int] = []
    offset = 0
    while True:
        page = await search_assets(identity, SearchParams(network=network.slug, free_from=start, free_to=end,
                                                          min_quantity=need, limit=2, offset=offset))
        assert page.total == len(expected)
        found += [item.id for item in page.items]
        offset += 2
        if offset >= page.total:
            break
    assert len(found) == len(set(found))
    assert set(found) == expected
