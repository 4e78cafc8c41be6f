"""Every booking policy, each refusal naming its rule and field (pure, no database)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from resourcepool.bookings import policies
from resourcepool.bookings.policies import AssetPolicy, Booker
from resourcepool.errors import PolicyViolation, ValidationFailed

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 6, 1, 8, 0, tzinfo=timezone.utc)
START = datetime(2026, 6, 10, 18, 0, tzinfo=BERLIN)
END = START + timedelta(hours=2)


def asset(**kw) -> AssetPolicy:
    defaults = dict(id=1, organisation_id=10, network_ids=frozenset({1}))
    defaults.update(kw)
    return AssetPolicy(**defaults)


BOOKER = Booker(organisation_id=20, sector="nonprofit", verified_network_ids=frozenset({1}))


def refused(rule, a=None, booker=BOOKER, start=START, end=END, quantity=1, now=NOW, opening=None):
    with pytest.raises(PolicyViolation) as info:
        policies.check_request(a or asset(), booker, start, end, quantity, now, opening)
    assert info.value.params["rule"] == rule
    return info.value


def test_a_valid_request__passes():
    policies.check_request(asset(), BOOKER, START, END, 1, NOW)


@pytest.mark.parametrize("status", ["draft", "paused", "retired"])
def test_an_asset_that_is_not_active__cannot_be_booked(status):
    assert refused("asset_inactive", asset(status=status)).field == "asset_id"


def test_an_organisation_not_verified_in_the_assets_networks__is_refused():
    stranger = Booker(20, "nonprofit", frozenset({2}))
    assert refused("organisation_not_verified", booker=stranger).field == "organisation_id"


def test_an_organisation_without_any_verified_network__is_refused():
    refused("organisation_not_verified", booker=Booker(20, "nonprofit", frozenset()))


def test_the_asset_in_several_networks__accepts_a_booker_of_any_of_them():
    policies.check_request(asset(network_ids=frozenset({1, 2})), Booker(20, "business", frozenset({2})),
                           START, END, 1, NOW)


def test_sectors_not_allowed__are_refused_and_allowed_ones_pass():
    a = asset(allowed_sectors=("municipality",))
    refused("sector_not_allowed", a)
    policies.check_request(a, Booker(20, "municipality", frozenset({1})), START, END, 1, NOW)


def test_an_allow_list_of_organisations__refuses_others():
    a = asset(allowed_organisation_ids=(99,))
    refused("organisation_not_allowed", a)
    policies.check_request(a, Booker(99, "business", frozenset({1})), START, END, 1, NOW)


def test_with_both_lists__being_on_either_is_enough():
    a = asset(allowed_organisation_ids=(99,), allowed_sectors=("nonprofit",))
    policies.check_request(a, BOOKER, START, END, 1, NOW)
    refused("organisation_not_allowed", a, booker=Booker(21, "business", frozenset({1})))


def test_a_start_in_the_past__is_refused():
    assert refused("start_in_past", now=START + timedelta(minutes=1)).field == "start"


def test_more_units_than_the_asset_has__are_refused():
    assert refused("quantity", asset(quantity=3), quantity=4).field == "quantity"
    policies.check_request(asset(quantity=3), BOOKER, START, END, 3, NOW)


def test_shorter_than_the_minimum__is_refused_and_exactly_the_minimum_passes():
    a = asset(min_duration_minutes=60)
    assert refused("min_duration", a, end=START + timedelta(minutes=30)).field == "end"
    policies.check_request(a, BOOKER, START, START + timedelta(minutes=60), 1, NOW)


def test_longer_than_the_maximum__is_refused_and_exactly_the_maximum_passes():
    a = asset(max_duration_minutes=120)
    refused("max_duration", a, end=START + timedelta(minutes=150))
    policies.check_request(a, BOOKER, START, START + timedelta(minutes=120), 1, NOW)


def test_start_and_end_must_sit_on_the_slot_grid_in_local_time():
    a = asset(slot_minutes=30)
    assert refused("slot", a, start=START + timedelta(minutes=15)).field == "start"
    assert refused("slot", a, end=END + timedelta(minutes=10)).field == "end"
    refused("slot", a, start=START + timedelta(seconds=1))


def test_the_slot_grid_is_local__an_hour_grid_in_india_is_on_the_half_hour_utc():
    kolkata = ZoneInfo("Asia/Kolkata")
    a = asset(slot_minutes=60, timezone="Asia/Kolkata")
    start = datetime(2026, 6, 10, 10, 0, tzinfo=kolkata)  # 04:30 UTC
    policies.check_request(a, BOOKER, start, start + timedelta(hours=1), 1, NOW)


def test_inside_the_lead_time__is_refused():
    a = asset(lead_time_minutes=24 * 60)
    refused("lead_time", a, now=START - timedelta(hours=23))
    policies.check_request(a, BOOKER, START, END, 1, START - timedelta(hours=24))


def test_beyond_the_horizon__is_refused():
    a = asset(horizon_days=7)
    refused("horizon", a, now=END - timedelta(days=7, minutes=1))
    policies.check_request(a, BOOKER, START, END, 1, END - timedelta(days=7))


def test_outside_opening_hours_and_in_a_closure__name_their_rule():
    refused("opening_hours", opening=lambda s, e: "opening_hours")
    refused("closure", opening=lambda s, e: "closure")
    policies.check_request(asset(), BOOKER, START, END, 1, NOW, lambda s, e: None)


@pytest.mark.parametrize("start,end,quantity,purpose,attendees,field", [
    (START, START, 1, "x", None, "end"),
    (END, START, 1, "x", None, "end"),
    (START, END, 0, "x", None, "quantity"),
    (START, END, -2, "x", None, "quantity"),
    (START, END, 1, "  ", None, "purpose"),
    (START, END, 1, "x" * 501, None, "purpose"),
    (START, END, 1, "x", 0, "attendees"),
    (START.replace(tzinfo=None), END.replace(tzinfo=None), 1, "x", None, "start"),
    (START, END, 1, "Probe\x00", None, "purpose"),
    (START, END, 1, "Pro\x1bbe", None, "purpose"),
    (START.replace(year=1999), END, 1, "x", None, "start"),
    (START, END.replace(year=2201), 1, "x", None, "end"),
])
def test_malformed_requests__are_refused_with_the_field(start, end, quantity, purpose, attendees, field):
    with pytest.raises(ValidationFailed) as info:
        policies.check_input(start, end, quantity, purpose, attendees)
    assert info.value.field == field


def test_the_purpose__is_stored_stripped_and_may_span_lines():
    assert policies.check_input(START, END, 1, "  Elternabend\nKlasse 3\t ", None) == "Elternabend\nKlasse 3"


def test_the_held_span__includes_both_buffers():
    a = asset(buffer_before_minutes=15, buffer_after_minutes=30)
    assert a.held_span(START, END) == (START - timedelta(minutes=15), END + timedelta(minutes=30))


def test_approval_required__makes_a_request_otherwise_confirmed():
    assert policies.initial_status(asset(approval_required=True)) == "requested"
    assert policies.initial_status(asset()) == "confirmed"


def test_late_cancellation__is_after_the_deadline_before_the_start():
    assert not policies.is_late_cancellation(24, START, START - timedelta(hours=24))
    assert policies.is_late_cancellation(24, START, START - timedelta(hours=23, minutes=59))


def test_no_show__only_from_the_start_for_48_hours():
    assert not policies.may_mark_no_show(START, START - timedelta(minutes=1))
    assert policies.may_mark_no_show(START, START)
    assert policies.may_mark_no_show(START, START + timedelta(hours=48))
    assert not policies.may_mark_no_show(START, START + timedelta(hours=48, seconds=1))
