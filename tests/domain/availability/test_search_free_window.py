"""`free_from`/`free_to` search equals a brute-force recomputation on random data.

Each example builds its own network (opening hours — also across midnight and all day —,
one-off and recurring closures, holding and non-holding bookings whose held spans carry the
asset's buffers exactly as the booking service writes them, several quantities and statuses,
two timezones) and compares the search — every page of it — with a 15-minute-grid check of the
definition: active, open and not closed at every instant of the window, and the booking
service's own test for the holds: the units held anywhere in
[free_from − buffer_before, free_to + buffer_after) leave at least `min_quantity` free.

Windows start near ordinary UTC midnights, near local midnights and at the daylight-saving
switch instants of both zones. Every boundary lies on the 15-minute grid (both zones have
whole-hour offsets), so checking each quarter hour is exact. The @examples pin each branch of
the search statement, so a change there cannot slip through on an unlucky draw.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from resourcepool.accounts.identity import load_identity
from resourcepool.availability.search import SearchParams, search_assets
from resourcepool.availability.rules import ClosureRule, WeeklyHours
from resourcepool.db import sql
from tests.unit.availability.test_rules import _oracle_closed, _oracle_open

UTC = timezone.utc
STEP = timedelta(minutes=15)
ZONES = ["Europe/Berlin", "America/New_York"]
# Instants (UTC) the windows start near: ordinary midnights, local midnights, the switches.
ANCHORS = [
    "2026-06-15T00:00:00+00:00",
    "2026-06-15T22:00:00+00:00",  # 16 June 00:00 in Berlin
    "2026-06-16T04:00:00+00:00",  # 16 June 00:00 in New York
    "2026-03-29T01:00:00+00:00",  # Berlin: 02:00 CET becomes 03:00 CEST
    "2026-10-25T01:00:00+00:00",  # Berlin: 03:00 CEST becomes 02:00 CET
    "2026-03-28T23:00:00+00:00",  # Berlin: midnight starting the March switch day
    "2026-10-24T22:00:00+00:00",  # Berlin: midnight starting the October switch day
    "2026-03-08T07:00:00+00:00",  # New York: 02:00 EST becomes 03:00 EDT
    "2026-11-01T06:00:00+00:00",  # New York: 02:00 EDT becomes 01:00 EST
    "2026-11-01T04:00:00+00:00",  # New York: midnight starting the November switch day
]
DAILY_8_22 = [(d, 8 * 60, 22 * 60) for d in range(7)]
ALL_DAY = [(d, 0, 1440) for d in range(7)]
NIGHTS = [(d, 20 * 60, 1440) for d in range(7)] + [(d, 0, 6 * 60) for d in range(7)]  # 20:00–06:00
# Early Sunday hours, where the clocks change (both zones switch on a Sunday around 02:00).
# The March gap leaves 01:00–02:00 + 03:00–04:00 one stretch; the October repeat makes
# 02:00–04:00 three real hours long.
SWITCH_HOURS = [[(6, 60, 120), (6, 180, 240)], [(6, 120, 240)], [(6, 0, 150)], [(5, 1320, 1440), (6, 0, 125)]]

hours_st = st.one_of(
    st.just([]),
    st.just(DAILY_8_22),
    st.just(ALL_DAY),
    st.just(NIGHTS),
    st.sampled_from(SWITCH_HOURS),
    st.lists(st.tuples(st.integers(0, 6), st.integers(0, 95), st.integers(1, 60)).map(
        lambda t: (t[0], t[1] * 15, min(1440, t[1] * 15 + t[2] * 15))), max_size=8),
)
# Closures and holds lie mostly close to the window, where they decide something.
near_st = st.one_of(st.integers(-12, 12), st.integers(-2 * 96, 2 * 96))
# (start in quarters from the window start's local wall-clock time, length in quarters, rule)
closure_st = st.tuples(near_st, st.integers(1, 40),
                       st.sampled_from([None, None, "FREQ=DAILY", "FREQ=WEEKLY;COUNT=3"]))
# (where, quarters, length in quarters, units, status): "at" starts that many quarters from the
# window start; "before" ends that many before it, "after" starts that many after its end — so
# that buffers, not the bookings themselves, decide.
hold_st = st.tuples(
    st.one_of(st.tuples(st.just("at"), near_st), st.tuples(st.sampled_from(["before", "after"]), st.integers(0, 8))),
    st.integers(1, 24), st.integers(1, 4),
    st.sampled_from(["confirmed", "confirmed", "requested", "cancelled", "declined"]),
).map(lambda t: (t[0][0], t[0][1], *t[1:]))
buffer_st = st.sampled_from([0, 15, 30, 60, 90, 1440])
asset_st = st.fixed_dictionaries({
    "status": st.sampled_from(["active", "active", "active", "paused", "draft", "retired"]),
    "quantity": st.sampled_from([1, 1, 2, 5]),
    "tz": st.sampled_from(ZONES),
    "hours": hours_st,
    "closures": st.lists(closure_st, max_size=2),
    "holds": st.lists(hold_st, max_size=4),
    "before": buffer_st,
    "after": buffer_st,
})
# (anchor, start in quarters from it, length in quarters): mostly right at the anchor.
window_st = st.tuples(st.sampled_from(ANCHORS), st.one_of(st.integers(-8, 8), st.integers(-96, 2 * 96)),
                      st.one_of(st.integers(1, 16), st.integers(1, 2 * 96)))


def _asset(hours=(), closures=(), holds=(), status="active", quantity=1, tz="Europe/Berlin", before=0, after=0):
    return {"status": status, "quantity": quantity, "tz": tz, "hours": list(hours), "closures": list(closures),
            "holds": list(holds), "before": before, "after": after}


async def _build(spec, start, end, make_network, make_organisation, make_user, make_asset):
    network = await make_network()
    owner = await make_organisation(network=network)
    booker = await make_organisation(network=network)
    user = await make_user(organisation=booker)
    made = []
    for a in spec:
        z = ZoneInfo(a["tz"])
        before, after = timedelta(minutes=a["before"]), timedelta(minutes=a["after"])
        asset = await make_asset(
            organisation=owner, networks=[network], status=a["status"], quantity=a["quantity"],
            kind="device" if a["quantity"] > 1 else "room", timezone=a["tz"],
            buffer_before_minutes=a["before"], buffer_after_minutes=a["after"],
            opening_hours=[(d, f"{s // 60:02d}:{s % 60:02d}", f"{e // 60:02d}:{e % 60:02d}")
                           for d, s, e in a["hours"]],
        )
        local_start = start.astimezone(z).replace(tzinfo=None)
        closures = []
        for offset, length, rule in a["closures"]:
            wall = local_start + offset * STEP
            c = ClosureRule(wall.replace(tzinfo=z), (wall + length * STEP).replace(tzinfo=z), rule)
            if c.ends_at.astimezone(UTC) <= c.starts_at.astimezone(UTC):  # instants: not the wall clock
                continue
            await sql.execute("INSERT INTO closure (asset_id, starts_at, ends_at, rrule) VALUES ($1, $2, $3, $4)",
                              asset.id, c.starts_at, c.ends_at, rule)
            closures.append(c)
        held = []
        for where, quarters, length, q, status in a["holds"]:
            starts_at = {"at": start + quarters * STEP, "before": start - (quarters + length) * STEP,
                         "after": end + quarters * STEP}[where]
            ends_at = starts_at + length * STEP
            # As the booking service writes it: the held span carries the asset's buffers.
            held_from, held_until = starts_at - before, ends_at + after
            quantity = min(q, a["quantity"])
            holding = status in ("requested", "confirmed")
            if a["quantity"] == 1 and holding and any(s < held_until and held_from < e for s, e, _ in held):
                continue  # the exclusion constraint would refuse it
            await sql.execute(
                """INSERT INTO booking (asset_id, organisation_id, user_id, starts_at, ends_at, held_from,
                       held_until, quantity, exclusive, purpose, status)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'Test', $10)""",
                asset.id, booker.id, user.id, starts_at, ends_at, held_from, held_until, quantity,
                a["quantity"] == 1, status,
            )
            if holding:
                held.append((held_from, held_until, quantity))
        hours = [WeeklyHours(d, s, e) for d, s, e in a["hours"]]
        made.append((asset.id, a, hours, closures, held))
    return network, user, made


def _steps(start, end):
    t = start
    while t < end:
        yield t
        t += STEP


def _free(a, hours, closures, held, start, end, need):
    if a["status"] != "active" or a["quantity"] < need:
        return False
    for t in _steps(start, end):
        if not _oracle_open(hours, a["tz"], t) or _oracle_closed(closures, a["tz"], t):
            return False
    # The booking service: the request holds [start − before, end + after); the units held by
    # others anywhere in that span must leave room for it.
    guarded_from = start - timedelta(minutes=a["before"])
    guarded_until = end + timedelta(minutes=a["after"])
    return all(sum(q for s, e, q in held if s <= t < e) <= a["quantity"] - need
               for t in _steps(guarded_from, guarded_until))


# Windows below start from the anchor 2026-06-15T00:00Z (02:00 in Berlin, a Monday); holds and
# closures are placed in quarter hours from the window start.
JUNE = ANCHORS[0]
BERLIN_MIDNIGHT = ANCHORS[1]


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(spec=st.lists(asset_st, min_size=1, max_size=5), window=window_st, need=st.sampled_from([None, 1, 2]))
# Always open, one unit: a hold ending right before the window, bars it only through the buffers.
@example(spec=[_asset(holds=[("at", -9, 8, 1, "confirmed")], before=30, after=15),
               _asset(holds=[("at", -9, 8, 1, "confirmed")], before=0, after=0),
               _asset(holds=[("at", -9, 8, 1, "confirmed")], before=15, after=0)],
         window=(JUNE, 33, 4), need=None)
# Always open, one unit: a hold starting right after the window.
@example(spec=[_asset(holds=[("at", 8, 8, 1, "requested")], after=15),
               _asset(holds=[("at", 8, 8, 1, "confirmed")], before=30),
               _asset(holds=[("at", 8, 8, 1, "cancelled")], after=60)],
         window=(JUNE, 32, 8), need=None)
# Opening hours, a window within one local day: covered by one interval, by two touching ones, or not.
@example(spec=[_asset(hours=DAILY_8_22), _asset(hours=[(0, 480, 720), (0, 720, 1000)]),
               _asset(hours=[(0, 480, 700), (0, 720, 1000)]), _asset(hours=[(1, 480, 1000)])],
         window=(JUNE, 32, 16), need=None)
# A window over local midnight: hours 20:00–06:00 and 00:00–24:00 cover it; 08:00–22:00 does not.
@example(spec=[_asset(hours=NIGHTS), _asset(hours=ALL_DAY), _asset(hours=DAILY_8_22),
               _asset(hours=NIGHTS, tz="America/New_York")],
         window=(BERLIN_MIDNIGHT, -4, 12), need=None)
# A window over the October switch (the repeated hour) and over the March gap, hours all day.
@example(spec=[_asset(hours=ALL_DAY), _asset(hours=NIGHTS), _asset(hours=[(6, 0, 150)]), _asset(),
               _asset(hours=SWITCH_HOURS[1])],
         window=(ANCHORS[4], -4, 12), need=None)
@example(spec=[_asset(hours=ALL_DAY), _asset(hours=[(6, 0, 120), (6, 180, 600)]), _asset(hours=NIGHTS),
               _asset(hours=SWITCH_HOURS[0])],
         window=(ANCHORS[3], -2, 6), need=None)
# Closures: one-off over the window, one-off beside it, recurring (daily, weekly) reaching it.
@example(spec=[_asset(closures=[(0, 4, None)]), _asset(closures=[(4, 4, None)]),
               _asset(closures=[(-191, 2, "FREQ=DAILY")]), _asset(closures=[(-64, 2, "FREQ=DAILY")]),
               _asset(closures=[(-671, 2, "FREQ=WEEKLY;COUNT=3")])],
         window=(JUNE, 0, 4), need=None)
# Several units: held units summed against the quantity, buffers widening the weighed span.
@example(spec=[_asset(quantity=5, holds=[("at", -4, 8, 3, "confirmed"), ("at", 4, 8, 2, "confirmed")], after=60),
               _asset(quantity=5, holds=[("at", -4, 8, 3, "confirmed"), ("at", 6, 8, 2, "requested")]),
               _asset(quantity=2, holds=[("at", -4, 4, 1, "confirmed")], before=90),
               _asset(quantity=2, holds=[("at", -4, 4, 2, "confirmed")])],
         window=(JUNE, 24, 8), need=2)
# Only active assets are free; a draft, a paused and a retired one never.
@example(spec=[_asset(status="paused"), _asset(status="draft"), _asset(status="retired"), _asset()],
         window=(JUNE, 0, 8), need=1)
async def test_free_window_search__equals_brute_force(make_network, make_organisation, make_user, make_asset,
                                                       spec, window, need):
    anchor_text, start_q, length_q = window
    anchor = datetime.fromisoformat(anchor_text)
    start = anchor + start_q * STEP
    end = start + length_q * STEP
    network, user, made = await _build(spec, start, end, make_network, make_organisation, make_user, make_asset)
    expected = {asset_id for asset_id, a, hours, closures, held in made
                if _free(a, hours, closures, held, start, end, need or 1)}
    event("some free" if expected else "none free")
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
