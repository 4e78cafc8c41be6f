"""German and English: gettext catalogues (Babel .po files) and the request's language.

Every `locale/<lang>/LC_MESSAGES/*.po` is read and merged at start-up, so each domain keeps
its own catalogue file. English is the source language.
"""

from __future__ import annotations

from contextvars import ContextVar
from functools import lru_cache
from typing import Any

from babel import Locale, negotiate_locale
from babel.messages.pofile import read_po

from resourcepool.paths import locale_dir

LANGUAGES = ("de", "en")
DEFAULT_LANGUAGE = "de"
LANGUAGE_NAMES = {"de": "Deutsch", "en": "English"}

_current: ContextVar[str] = ContextVar("language", default=DEFAULT_LANGUAGE)


@lru_cache(maxsize=None)
def catalogue(language: str) -> dict[str, Any]:
    """msgid -> msgstr (a string, or a tuple for plurals) for one language."""
    merged: dict[str, Any] = {}
    folder = locale_dir() / language / "LC_MESSAGES"
    if not folder.is_dir():
        return merged
    for path in sorted(folder.glob("*.po")):
        with path.open("rb") as handle:
            for message in read_po(handle, locale=language):
                if not message.id or message.fuzzy:
                    continue
                key = message.id[0] if isinstance(message.id, (tuple, list)) else message.id
                if isinstance(message.string, (tuple, list)):
                    if all(message.string):
                        merged[key] = tuple(message.string)
                elif message.string:
                    merged[key] = message.string
    return merged


def current_language() -> str:
    return _current.get()


def set_language(language: str) -> None:
    _current.set(language if language in LANGUAGES else DEFAULT_LANGUAGE)


def gettext(message: str) -> str:
    translated = catalogue(_current.get()).get(message)
    if isinstance(translated, tuple):
        return translated[0]
    return translated or message


def ngettext(singular: str, plural: str, n: int) -> str:
    translated = catalogue(_current.get()).get(singular)
    # German and English share the rule: one form for 1, another for everything else.
    index = 0 if n == 1 else 1
    if isinstance(translated, tuple) and len(translated) > index:
        return translated[index]
    return singular if n == 1 else plural


def translate(message: str, params: dict[str, Any] | None = None) -> str:
    """Translate a domain message and fill in its %(name)s parameters."""
    text = gettext(message)
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


def format_locale(language: str) -> Locale:
    return Locale.parse("de_DE" if language == "de" else "en_GB")
