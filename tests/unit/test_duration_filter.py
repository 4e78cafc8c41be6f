"""Durations read as people say them, in the reader's language."""

import pytest

from resourcepool import i18n
from resourcepool.web.templating import duration_filter


@pytest.mark.parametrize("language, minutes, text", [
    ("de", 60, "1 Stunde"),
    ("de", 10080, "7 Tage"),
    ("de", 90, "1 Stunde 30 Minuten"),
    ("en", 720, "12 hours"),
    ("en", 1500, "1 day 1 hour"),
    ("en", 15, "15 minutes"),
])
def test_duration__in_the_largest_whole_units(language, minutes, text):
    i18n.set_language(language)
    try:
        assert duration_filter(minutes) == text
    finally:
        i18n.set_language(i18n.DEFAULT_LANGUAGE)
