"""Recurring closures in people's words: the form's choices → an RRULE, and a rule → words.

The asset form offers "every week on the same weekday", "every month on the same weekday
(e.g. the first Saturday)" … and an optional last date instead of an RRULE field; the weekday,
day and date are those of the closure's start. `describe` says a stored rule back in words
("every Monday until 31 December 2027"), whichever way it was entered (the API still takes an
RRULE, read by the one parser); a rule it has no words for gives None (shown as the rule).
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from babel import dates as babel_dates

from resourcepool import i18n
from resourcepool.errors import N_, ValidationFailed
from resourcepool.rrules import CLOSURES, WEEKDAYS, Rule, parse_rrule

REPEATS = {
    "": N_("Does not repeat"),
    "daily": N_("Every day"),
    "weekly": N_("Every week on the same weekday"),
    "biweekly": N_("Every other week on the same weekday"),
    "monthly_weekday": N_("Every month on the same weekday (e.g. the first Saturday)"),
    "monthly_day": N_("Every month on the same day"),
    "yearly": N_("Every year on the same date"),
}
_DAY_CODES = list(WEEKDAYS)  # MO … SU, Monday = 0
_NTH = {1: N_("every month on the first %(weekday)s"), 2: N_("every month on the second %(weekday)s"),
        3: N_("every month on the third %(weekday)s"), 4: N_("every month on the fourth %(weekday)s"),
        -1: N_("every month on the last %(weekday)s")}


def week_of_month(day: date) -> int:
    """1…4 for the first to fourth such weekday of its month, -1 for a fifth (the last)."""
    n = (day.day - 1) // 7 + 1
    return n if n <= 4 else -1


def closure_rule(repeat: str, start_local: datetime, until: date | None) -> str | None:
    """The RRULE for a choice of the form (None: a one-off closure)."""
    if repeat not in REPEATS:
        raise ValidationFailed(N_("Choose how the closure repeats."), field="repeat")
    if not repeat:
        if until is not None:
            raise ValidationFailed(N_("A last date only goes with a closure that repeats."), field="until")
        return None
    if until is not None and until < start_local.date():
        raise ValidationFailed(N_("The last date cannot be before the start."), field="until")
    day = _DAY_CODES[start_local.weekday()]
    rule = {
        "daily": "FREQ=DAILY",
        "weekly": f"FREQ=WEEKLY;BYDAY={day}",
        "biweekly": f"FREQ=WEEKLY;INTERVAL=2;BYDAY={day}",
        "monthly_weekday": f"FREQ=MONTHLY;BYDAY={week_of_month(start_local.date())}{day}",
        "monthly_day": f"FREQ=MONTHLY;BYMONTHDAY={start_local.day}",
        "yearly": "FREQ=YEARLY",
    }[repeat]
    return rule + (f";UNTIL={until:%Y%m%d}" if until else "")


def _weekday(index: int, language: str | None) -> str:
    return babel_dates.get_day_names("wide", locale=i18n.format_locale(language))[index]


def _words(rule: Rule, start: datetime, language: str | None) -> str | None:
    from dateutil import rrule as du

    numbers = {k: v for k, v in rule.numbers.items() if v}
    days = rule.byweekday or ()
    plain = [d for d in days if getattr(d, "n", None) in (None, 0)]
    if rule.freq == du.DAILY and not days and not numbers and rule.interval == 1:
        return i18n.gettext(N_("every day"), language)
    if rule.freq == du.WEEKLY and not numbers and rule.interval in (1, 2):
        weekdays = [d.weekday for d in plain] if days else [start.weekday()]
        if len(plain) != len(days) or len(weekdays) != 1:
            return None
        message = N_("every %(weekday)s") if rule.interval == 1 else N_("every other %(weekday)s")
        return i18n.translate(message, {"weekday": _weekday(weekdays[0], language)}, language)
    if rule.freq == du.MONTHLY and rule.interval == 1 and len(days) == 1 and not numbers:
        nth = days[0].n
        if nth in _NTH:
            return i18n.translate(_NTH[nth], {"weekday": _weekday(days[0].weekday, language)}, language)
        return None
    if rule.freq == du.MONTHLY and rule.interval == 1 and not days and set(numbers) <= {"bymonthday"}:
        day = numbers.get("bymonthday", (start.day,))
        if len(day) == 1 and day[0] > 0:
            return i18n.translate(N_("every month on day %(day)s"), {"day": day[0]}, language)
        return None
    if rule.freq == du.YEARLY and rule.interval == 1 and not days and not numbers:
        when = babel_dates.format_skeleton("MMMMd", start, locale=i18n.format_locale(language))
        return i18n.translate(N_("every year on %(date)s"), {"date": when}, language)
    return None


def describe(rrule: str, start: datetime, timezone: str, language: str | None = None) -> str | None:
    """A stored closure rule in words, with its last date if it has one; None if it has no words."""
    zone = ZoneInfo(timezone)
    local = start.astimezone(zone)
    try:
        rule = parse_rrule(rrule, zone, CLOSURES)
    except ValidationFailed:
        return None
    words = _words(rule, local, language)
    if words is None or rule.count is not None:
        return None
    if rule.until is None:
        return words
    last = datetime.combine(rule.until.date(), time())
    return i18n.translate(N_("%(rule)s until %(date)s"),
                          {"rule": words, "date": i18n.format_date(last.date(), None, "long", language)},
                          language)
