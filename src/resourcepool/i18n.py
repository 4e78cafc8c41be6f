"""German and English for every layer — pages, API messages and emails alike.

One way to translate: the gettext catalogues (`locale/<lang>/LC_MESSAGES/*.po`, one file per
domain, merged at first use and compiled in memory, so plural rules come from the catalogue's
header, not from code of ours) and Babel's formatting of dates and numbers. English is the
source language. Below every domain: no domain imports from `web/` for its texts.

A page translates into the request's language (`set_language` from the middleware, read by
`gettext`); an email into its recipient's, passed explicitly as `language=`.
"""

from __future__ import annotations

import io
from contextvars import ContextVar
from datetime import date, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale, negotiate_locale
from babel import dates as babel_dates
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

from resourcepool.paths import locale_dir

LANGUAGES = ("de", "en")
DEFAULT_LANGUAGE = "de"
LANGUAGE_NAMES = {"de": "Deutsch", "en": "English"}
DEFAULT_TIMEZONE = "Europe/Berlin"

_current: ContextVar[str] = ContextVar("language", default=DEFAULT_LANGUAGE)


def _language(language: str | None) -> str:
    return language if language in LANGUAGES else (_current.get() if language is None
                                                   else DEFAULT_LANGUAGE)


@lru_cache(maxsize=None)
def _catalog(language: str) -> Catalog:
    """Every domain's .po file of `language` merged into one catalogue (fuzzy entries left out)."""
    merged = Catalog(locale=language if language != "en" else None)
    folder = locale_dir() / language / "LC_MESSAGES"
    if not folder.is_dir():
        return merged
    for path in sorted(folder.glob("*.po")):
        with path.open("rb") as handle:
            for message in read_po(handle, locale=language):
                if message.id and not message.fuzzy and message.string:
                    merged[message.id] = message
    return merged


@lru_cache(maxsize=None)
def translations(language: str) -> NullTranslations:
    """The compiled gettext translations of one language (English: the source strings)."""
    catalog = _catalog(language)
    if not len(catalog):
        return NullTranslations()
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)


def catalogue(language: str) -> dict[str, Any]:
    """msgid -> msgstr (a tuple for plurals) of one language: for the completeness tests."""
    out: dict[str, Any] = {}
    for message in _catalog(language):
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, (tuple, list)) else message.id
        if isinstance(message.string, (tuple, list)):
            if all(message.string):
                out[key] = tuple(message.string)
        elif message.string:
            out[key] = message.string
    return out


def current_language() -> str:
    return _current.get()


def set_language(language: str) -> None:
    _current.set(language if language in LANGUAGES else DEFAULT_LANGUAGE)


def gettext(message: str, language: str | None = None) -> str:
    """`message` in `language` (default: the request's)."""
    return translations(_language(language)).gettext(message)


def ngettext(singular: str, plural: str, n: int, language: str | None = None) -> str:
    """The form for `n` by the catalogue's plural rule."""
    return translations(_language(language)).ngettext(singular, plural, n)


def translate(message: str, params: dict[str, Any] | None = None,
              language: str | None = None) -> str:
    """Translate a domain message and fill in its %(name)s parameters."""
    text = gettext(message, language)
    if params:
        try:
            return text % params
        except (KeyError, ValueError, TypeError):
            return message % params
    return text


def choose_language(
    user_language: str | None, cookie_language: str | None, accept_language: str | None
) -> str:
    """The user's setting, else the switch cookie, else the browser's Accept-Language."""
    for candidate in (user_language, cookie_language):
        if candidate in LANGUAGES:
            return candidate  # type: ignore[return-value]
    if accept_language:
        preferred = []
        for part in accept_language.split(",")[:20]:
            tag = part.split(";")[0].strip().replace("-", "_")
            if tag:
                preferred.append(tag)
        match = negotiate_locale(preferred, list(LANGUAGES), sep="_")
        if match:
            return match.split("_")[0]
        for tag in preferred:
            if tag.split("_")[0].lower() in LANGUAGES:
                return tag.split("_")[0].lower()
    return DEFAULT_LANGUAGE


def format_locale(language: str | None = None) -> Locale:
    return Locale.parse("de_DE" if _language(language) == "de" else "en_GB")


# --- formatting: instants in the network's timezone, in the reader's language ------------

def local(value: datetime, tz: str | None) -> datetime:
    return value.astimezone(ZoneInfo(tz or DEFAULT_TIMEZONE))


def format_datetime(value: datetime | None, tz: str | None = None, fmt: str = "medium",
                    language: str | None = None) -> str:
    if value is None:
        return ""
    return babel_dates.format_datetime(local(value, tz), fmt, locale=format_locale(language))


def format_date(value: date | datetime | None, tz: str | None = None, fmt: str = "medium",
                language: str | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local(value, tz)
    return babel_dates.format_date(value, fmt, locale=format_locale(language))


def format_time(value: datetime | None, tz: str | None = None,
                language: str | None = None) -> str:
    if value is None:
        return ""
    return babel_dates.format_time(local(value, tz), "HH:mm", locale=format_locale(language))


def format_span(start: datetime, end: datetime, tz: str | None = None,
                language: str | None = None) -> str:
    """A booking's time as people read it: "Tuesday, 8 December 2026, 18:00–20:00" (one day)
    or both ends in full, in the reader's language and the network's timezone."""
    locale = format_locale(language)
    start, end = local(start, tz), local(end, tz)
    if start.date() == end.date():
        day = babel_dates.format_date(start, "full", locale=locale)
        return (f"{day}, {babel_dates.format_time(start, 'HH:mm', locale=locale)}"
                f"–{babel_dates.format_time(end, 'HH:mm', locale=locale)}")
    return " – ".join(
        f"{babel_dates.format_date(at, 'medium', locale=locale)}, "
        f"{babel_dates.format_time(at, 'HH:mm', locale=locale)}" for at in (start, end))


def format_number(value: float | int | None, digits: int = 0, language: str | None = None) -> str:
    if value is None:
        return ""
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, pattern, locale=format_locale(language))
