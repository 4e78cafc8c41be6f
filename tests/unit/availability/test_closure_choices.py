"""The asset form's repeat choices become RRULEs, and stored rules read as words (both languages)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from resourcepool.availability.closure_choices import closure_rule, describe, week_of_month
from resourcepool.errors import ValidationFailed

BERLIN = ZoneInfo("Europe/Berlin")
SATURDAY = datetime(2027, 1, 2, 9, 0)  # the first Saturday of January 2027
TUESDAY = datetime(2027, 1, 5, 18, 0)


@pytest.mark.parametrize("repeat,start,until,rule", [
    ("", TUESDAY, None, None),
    ("daily", TUESDAY, None, "FREQ=DAILY"),
    ("weekly", TUESDAY, date(2027, 6, 29), "FREQ=WEEKLY;BYDAY=TU;UNTIL=20270629"),
    ("biweekly", TUESDAY, None, "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"),
    ("monthly_weekday", SATURDAY, None, "FREQ=MONTHLY;BYDAY=1SA"),
    ("monthly_weekday", datetime(2027, 1, 29, 9), None, "FREQ=MONTHLY;BYDAY=-1FR"),  # a fifth Friday: the last
    ("monthly_day", datetime(2027, 1, 15, 9), None, "FREQ=MONTHLY;BYMONTHDAY=15"),
    ("yearly", datetime(2027, 12, 24, 0), None, "FREQ=YEARLY"),
])
def test_closure_rule__builds_the_rule_of_each_choice(repeat, start, until, rule):
    assert closure_rule(repeat, start, until) == rule


@pytest.mark.parametrize("repeat,until,field", [
    ("hourly", None, "repeat"), ("", date(2027, 2, 1), "until"), ("weekly", date(2027, 1, 4), "until"),
])
def test_closure_rule__refuses_what_does_not_fit_next_to_the_field(repeat, until, field):
    with pytest.raises(ValidationFailed) as refused:
        closure_rule(repeat, TUESDAY, until)
    assert refused.value.field == field


def test_week_of_month__counts_from_the_first_and_calls_a_fifth_the_last():
    assert [week_of_month(date(2027, 1, d)) for d in (1, 7, 8, 22, 28, 29, 31)] == [1, 1, 2, 4, 4, -1, -1]


@pytest.mark.parametrize("rule,start,english,german", [
    ("FREQ=WEEKLY;BYDAY=TU;UNTIL=20270629", TUESDAY, "every Tuesday until 29 June 2027",
     "jeden Dienstag bis 29. Juni 2027"),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", TUESDAY, "every other Tuesday", "jeden zweiten Dienstag"),
    ("FREQ=MONTHLY;BYDAY=1SA", SATURDAY, "every month on the first Saturday", "jeden Monat am ersten Samstag"),
    ("FREQ=MONTHLY;BYDAY=-1FR", datetime(2027, 1, 29, 9), "every month on the last Friday",
     "jeden Monat am letzten Freitag"),
    ("FREQ=DAILY", TUESDAY, "every day", "jeden Tag"),
    ("FREQ=MONTHLY;BYMONTHDAY=15", datetime(2027, 1, 15, 9), "every month on day 15", "jeden Monat am 15."),
    ("FREQ=YEARLY", datetime(2027, 12, 24, 0), "every year on 24 December", "jedes Jahr am 24. Dezember"),
    ("FREQ=WEEKLY", TUESDAY, "every Tuesday", "jeden Dienstag"),  # entered through the API
])
def test_describe__says_a_rule_in_words_in_both_languages(rule, start, english, german):
    instant = start.replace(tzinfo=BERLIN)
    assert describe(rule, instant, "Europe/Berlin", "en") == english
    assert describe(rule, instant, "Europe/Berlin", "de") == german


@pytest.mark.parametrize("rule", ["FREQ=WEEKLY;BYDAY=MO,TH", "FREQ=DAILY;COUNT=3", "FREQ=MONTHLY;BYSETPOS=-1;BYDAY=MO,FR",
                                  "not a rule"])
def test_describe__leaves_rules_it_has_no_words_for_to_be_shown_as_they_are(rule):
    assert describe(rule, TUESDAY.replace(tzinfo=BERLIN), "Europe/Berlin", "en") is None
