"""Content lines: TEXT escaping that parsers read back exactly, folding at 75 octets."""

from __future__ import annotations

import icalendar
from hypothesis import given, settings
from hypothesis import strategies as st

from resourcepool.ics import text as ics_text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_any_text__survives_escaping_and_folding(value):
    line = ics_text.fold("SUMMARY:" + ics_text.text(value))
    for physical in line.split("\r\n"):
        assert len(physical.encode()) <= 75
    event = icalendar.Event.from_ical(f"BEGIN:VEVENT\r\n{line}\r\nEND:VEVENT\r\n")
    expected = value.replace("\r\n", "\n").replace("\r", "\n")
    expected = "".join(c for c in expected if c in "\t\n" or not (ord(c) < 32 or ord(c) == 127))
    assert str(event["SUMMARY"]) == expected


def test_a_fold_never_separates_a_backslash_from_what_it_escapes():
    value = ("x" * 65) + ",;,;,;" * 20
    line = ics_text.fold("SUMMARY:" + ics_text.text(value))
    for physical in line.split("\r\n"):
        assert not physical.endswith("\\") or physical.endswith("\\\\")


def test_parameter_values__are_quoted_when_they_must_be():
    assert ics_text.param("Anna") == "Anna"
    assert ics_text.param("Becker, Anna") == '"Becker, Anna"'
    assert ics_text.param('Jörg "Jo": Repair') == "\"Jörg 'Jo': Repair\""
    assert ics_text.param("Anna\r\nX") == "AnnaX"
