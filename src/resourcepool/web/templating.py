"""The Jinja2 environment: autoescape on, gettext and formatting from resourcepool.i18n."""

from __future__ import annotations

from datetime import date, datetime

from babel.units import format_unit
from jinja2 import Environment, FileSystemLoader, select_autoescape

from resourcepool import i18n
from resourcepool.paths import templates_dir


def datetime_filter(value: datetime | None, tz: str | None = None, fmt: str = "medium") -> str:
    """An instant in the network's timezone, in the reader's language."""
    return i18n.format_datetime(value, tz, fmt)


def date_filter(value: date | datetime | None, tz: str | None = None, fmt: str = "medium") -> str:
    return i18n.format_date(value, tz, fmt)


def time_filter(value: datetime | None, tz: str | None = None) -> str:
    return i18n.format_time(value, tz)


def number_filter(value: float | int | None, digits: int = 0) -> str:
    return i18n.format_number(value, digits)


def duration_filter(minutes: int | None) -> str:
    """A length of time in minutes as people say it: "7 days", "1 hour 30 minutes"."""
    if minutes is None:
        return ""
    locale = i18n.format_locale(i18n.current_language())
    days, rest = divmod(int(minutes), 1440)
    hours, mins = divmod(rest, 60)
    parts = [format_unit(value, unit, length="long", locale=locale)
             for value, unit in ((days, "duration-day"), (hours, "duration-hour"),
                                 (mins, "duration-minute")) if value]
    return " ".join(parts) or format_unit(0, "duration-minute", length="long", locale=locale)


def build_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(templates_dir())),
        autoescape=select_autoescape(["html", "xml", "svg"], default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(
        datetime=datetime_filter, date=date_filter, time=time_filter, number=number_filter,
        duration=duration_filter,
    )
    env.globals.update(
        current_language=i18n.current_language,
        LANGUAGES=i18n.LANGUAGES,
        LANGUAGE_NAMES=i18n.LANGUAGE_NAMES,
    )
    return env
