"""The Jinja2 environment: autoescape on, gettext from web/i18n, formatting filters."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_time
from babel.numbers import format_decimal
from babel.units import format_unit
from jinja2 import Environment, FileSystemLoader, select_autoescape

from resourcepool.paths import templates_dir
from resourcepool.web import i18n


def _local(value: datetime, tz: str | None) -> datetime:
    return value.astimezone(ZoneInfo(tz or "Europe/Berlin"))


def datetime_filter(value: datetime | None, tz: str | None = None, fmt: str = "medium") -> str:
    """An instant in the network's timezone, in the reader's language."""
    if value is None:
        return ""
    return format_datetime(_local(value, tz), fmt, locale=i18n.format_locale(i18n.current_language()))


def date_filter(value: date | datetime | None, tz: str | None = None, fmt: str = "medium") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _local(value, tz)
    return format_date(value, fmt, locale=i18n.format_locale(i18n.current_language()))


def time_filter(value: datetime | None, tz: str | None = None) -> str:
    if value is None:
        return ""
    return format_time(_local(value, tz), "HH:mm", locale=i18n.format_locale(i18n.current_language()))


def number_filter(value: float | int | None, digits: int = 0) -> str:
    if value is None:
        return ""
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, pattern, locale=i18n.format_locale(i18n.current_language()))


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
