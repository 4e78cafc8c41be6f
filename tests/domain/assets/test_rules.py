"""Pure asset rules: kind defaults, field checks, opening hours (repeat rules: tests/unit/test_rrules.py)."""

import pytest

from resourcepool.assets import rules
from resourcepool.errors import ValidationFailed


async def test_policy_defaults__differ_per_kind():
    room, vehicle, expertise = (rules.policy_defaults(k) for k in ("room", "vehicle", "expertise"))
    assert (room["slot_minutes"], room["min_duration_minutes"], room["max_duration_minutes"],
            room["buffer_after_minutes"]) == (30, 60, 720, 15)
    assert vehicle["approval_required"] and vehicle["min_duration_minutes"] == 120
    assert vehicle["max_duration_minutes"] == 3 * 24 * 60
    assert expertise["approval_required"] and expertise["slot_minutes"] == 60
    for kind in rules.KINDS:
        rules.check_policy(rules.policy_defaults(kind))


async def test_opening_hours__are_sorted_and_24_00_is_midnight():
    assert rules.clean_opening_hours([(1, "14:00", "24:00"), (1, "08:00", "12:00")]) == [
        (1, 480, 720), (1, 840, 1440)]


@pytest.mark.parametrize("rows", [
    [(0, "8:00", "12:00")], [(0, "08:60", "12:00")], [(0, "24:00", "24:00")], [(0, "10:00", "24:01")],
    [(0, "12:00", "12:00")], [(0, "08:00", "12:00"), (0, "11:59", "13:00")], [(-1, "08:00", "09:00")],
    [(0, None, "09:00")],
])
async def test_opening_hours__bad_rows_are_refused(rows):
    with pytest.raises(ValidationFailed):
        rules.clean_opening_hours(rows)


async def test_opening_hours__touching_intervals_are_fine():
    assert len(rules.clean_opening_hours([(0, "08:00", "12:00"), (0, "12:00", "13:00")])) == 2


async def test_fields__another_kinds_field_is_refused_but_an_empty_one_ignored():
    with pytest.raises(ValidationFailed) as caught:
        rules.clean_fields("room", {"seats": 4})
    assert caught.value.field == "seats"
    assert rules.clean_fields("room", {"seats": None, "title": " Saal "}) == {"title": "Saal"}


async def test_fields__booleans_are_not_numbers():
    with pytest.raises(ValidationFailed):
        rules.clean_fields("device", {"quantity": True})
