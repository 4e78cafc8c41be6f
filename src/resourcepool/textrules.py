"""Pure checks shared by every domain: supported dates and storable text.

PostgreSQL refuses NUL in text (asyncpg raises CharacterNotInRepertoireError, a 500 if it
reaches the driver) and datetime arithmetic overflows near year 1 and 9999. Checking both at
the edge of each use case gives the user a message for the field instead.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from typing import Any

from resourcepool.errors import N_, ValidationFailed

# Far outside any booking horizon; keeps date arithmetic away from datetime's limits.
MIN_YEAR, MAX_YEAR = 2000, 2200

# Line breaks and tabs are fine in longer texts; every other control character is refused.
_MULTILINE_OK = {"\n", "\r", "\t"}

# Invisible characters that change how text around them looks, and so can make one name pass
# for another or hide text: format characters (Unicode category Cf) such as the direction
# overrides and isolates U+202A–U+202E and U+2066–U+2069, the marks U+200E/U+200F/U+061C, zero
# width space U+200B, word joiner U+2060, soft hyphen U+00AD, byte order mark U+FEFF and the tag
# characters U+E0000–U+E007F; the line and paragraph separators U+2028/U+2029 (line breaks
# that escape "one line" checks); the Hangul fillers, letters that show as nothing; and lone
# surrogates. Kept: the zero width (non-)joiners U+200C/U+200D, which emoji sequences and
# several scripts need.
_INVISIBLE_OK = {"\u200c", "\u200d"}
_INVISIBLE_LETTERS = {"\u115f", "\u1160", "\u3164", "\uffa0"}
_INVISIBLE_CATEGORIES = {"Cf", "Zl", "Zp", "Cs"}


def in_supported_years(moment: date | datetime) -> bool:
    return MIN_YEAR <= moment.year <= MAX_YEAR


def check_year(moment: date | datetime, field: str) -> None:
    """Refuse dates outside MIN_YEAR..MAX_YEAR with a message for `field`."""
    if not in_supported_years(moment):
        raise ValidationFailed(N_("Please enter a date between the years %(low)s and %(high)s."),
                               field=field, low=MIN_YEAR, high=MAX_YEAR)


def _is_control(char: str) -> bool:
    return unicodedata.category(char) == "Cc"


def _is_invisible(char: str) -> bool:
    if char.isascii():
        return False  # the common case, decided without a table look-up
    if char in _INVISIBLE_OK:
        return False
    return char in _INVISIBLE_LETTERS or unicodedata.category(char) in _INVISIBLE_CATEGORIES


def has_invisible_formatting(value: str) -> bool:
    """True when `value` holds a direction override or another invisible formatting character."""
    return not value.isascii() and any(_is_invisible(c) for c in value)


def has_control_characters(value: str, *, multiline: bool = False) -> bool:
    """True when `value` holds a character no text of ours may hold: NUL and other control
    characters (line breaks allowed if `multiline`), and invisible formatting characters
    (has_invisible_formatting). Every text check in the app comes through here."""
    return (any(_is_control(c) and not (multiline and c in _MULTILINE_OK) for c in value)
            or has_invisible_formatting(value))


def check_characters(value: str, field: str, *, multiline: bool = False) -> None:
    """ValidationFailed naming `field` if `value` holds a character has_control_characters refuses,
    saying which kind, so people can find the invisible one they pasted."""
    if has_invisible_formatting(value):
        raise ValidationFailed(N_("This text contains invisible formatting characters (for example a "
                                  "change of writing direction). Please remove them."), field=field)
    if has_control_characters(value, multiline=multiline):
        raise ValidationFailed(N_("This text contains characters that are not allowed."), field=field)


def one_line(value: str) -> str:
    """`value` with every control character (line breaks, NUL, escapes) made a space, invisible
    formatting dropped and runs of white space folded: for text that must stay one line
    whatever was stored, e.g. a mail header."""
    return " ".join("".join(" " if _is_control(c) or c in "\u2028\u2029" else "" if _is_invisible(c) else c
                            for c in value or "").split())


def clean_text(value: Any, field: str, *, max_length: int, required: bool = False,
               multiline: bool = False) -> str:
    """`value` stripped, or ValidationFailed naming `field`: not text, control or invisible
    formatting characters, too long, or empty when `required`."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationFailed(N_("Enter text."), field=field)
    value = value.strip()
    check_characters(value, field, multiline=multiline)
    if len(value) > max_length:
        raise ValidationFailed(N_("At most %(limit)s characters, please."), field=field,
                               limit=max_length)
    if required and not value:
        raise ValidationFailed(N_("Please fill in this field."), field=field)
    return value
