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


def in_supported_years(moment: date | datetime) -> bool:
    return MIN_YEAR <= moment.year <= MAX_YEAR


def check_year(moment: date | datetime, field: str) -> None:
    """Refuse dates outside MIN_YEAR..MAX_YEAR with a message for `field`."""
    if not in_supported_years(moment):
        raise ValidationFailed(N_("Please enter a date between the years %(low)s and %(high)s."),
                               field=field, low=MIN_YEAR, high=MAX_YEAR)


def _is_control(char: str) -> bool:
    return unicodedata.category(char) == "Cc"


def has_control_characters(value: str, *, multiline: bool = False) -> bool:
    """True when `value` holds NUL or another control character (line breaks allowed if
    `multiline`)."""
    return any(_is_control(c) and not (multiline and c in _MULTILINE_OK) for c in value)


def one_line(value: str) -> str:
    """`value` with every control character (line breaks, NUL, escapes) made a space and runs
    of white space folded: for text that must stay one line whatever was stored, e.g. a mail
    header."""
    return " ".join("".join(" " if _is_control(c) else c for c in value or "").split())


def clean_text(value: Any, field: str, *, max_length: int, required: bool = False,
               multiline: bool = False) -> str:
    """`value` stripped, or ValidationFailed naming `field`: not text, control characters,
    too long, or empty when `required`."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationFailed(N_("Enter text."), field=field)
    value = value.strip()
    if has_control_characters(value, multiline=multiline):
        raise ValidationFailed(N_("This text contains characters that are not allowed."),
                               field=field)
    if len(value) > max_length:
        raise ValidationFailed(N_("At most %(limit)s characters, please."), field=field,
                               limit=max_length)
    if required and not value:
        raise ValidationFailed(N_("Please fill in this field."), field=field)
    return value
