"""Shared input rules: supported years and storable text."""

from datetime import date, datetime, timezone

import pytest

from resourcepool.errors import ValidationFailed
from resourcepool.accounts.service import validate_name
from resourcepool.textrules import check_year, clean_text, has_control_characters, one_line


@pytest.mark.parametrize("year", [1, 1999, 2201, 9999])
def test_check_year__refuses_years_outside_the_supported_range(year):
    with pytest.raises(ValidationFailed) as caught:
        check_year(date(year, 1, 1), "start")
    assert caught.value.field == "start"


def test_check_year__accepts_the_edges():
    check_year(datetime(2000, 1, 1, tzinfo=timezone.utc), "start")
    check_year(date(2200, 12, 31), "end")


@pytest.mark.parametrize("text", ["a\x00b", "bell\x07", "esc\x1b[0m", "del\x7f"])
def test_clean_text__refuses_control_characters(text):
    with pytest.raises(ValidationFailed) as caught:
        clean_text(text, "purpose", max_length=100)
    assert caught.value.field == "purpose"


def test_clean_text__keeps_line_breaks_only_where_text_may_have_lines():
    assert clean_text(" a\nb\tc ", "note", max_length=100, multiline=True) == "a\nb\tc"
    assert has_control_characters("a\nb")
    with pytest.raises(ValidationFailed):
        clean_text("a\nb", "name", max_length=100)


def test_clean_text__limits_length_and_requires_when_asked():
    assert clean_text(None, "x", max_length=3) == ""
    assert clean_text("  äöü  ", "x", max_length=3) == "äöü"
    with pytest.raises(ValidationFailed):
        clean_text("abcd", "x", max_length=3)
    with pytest.raises(ValidationFailed):
        clean_text("   ", "x", max_length=3, required=True)
    with pytest.raises(ValidationFailed):
        clean_text(5, "x", max_length=3)


INVISIBLE = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
             "\u200e", "\u200f", "\u061c", "\u200b", "\u2060", "\u00ad", "\ufeff", "\u2028", "\u2029",
             "\U000e0041", "\u3164", "\u115f"]


@pytest.mark.parametrize("char", INVISIBLE, ids=[f"U+{ord(c):04X}" for c in INVISIBLE])
def test_clean_text__refuses_direction_overrides_and_other_invisible_formatting(char):
    for multiline in (False, True):
        with pytest.raises(ValidationFailed) as caught:
            clean_text(f"Bürgerhaus{char}gnp.exe", "title", max_length=100, multiline=multiline)
        assert caught.value.field == "title"
        assert "invisible" in caught.value.message
    with pytest.raises(ValidationFailed):
        validate_name(f"Verein {char}A")
    assert has_control_characters(char)


def test_clean_text__keeps_right_to_left_scripts_emoji_sequences_and_joiners():
    for text in ("مركز الحي", "שכונה", "Familie 👩\u200d👩\u200d👧", "می\u200cخواهم", "Straße №5 – «Café»"):
        assert clean_text(text, "title", max_length=100) == text


def test_one_line__drops_invisible_formatting_from_mail_headers():
    assert one_line("Verein\u202e moc.elgoog \u2066A\u2069\u2028B") == "Verein moc.elgoog A B"
