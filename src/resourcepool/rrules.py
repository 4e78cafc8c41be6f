"""dateutil recurrence rules searched with bounded work (pure; used by closures and series).

dateutil looks for a rule's next date until the year 9999 before it gives up — also inside
`between()` — so a rule with no (more) dates, e.g. `FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30` or a
weekly rule whose BYDAY never meets its INTERVAL, costs seconds of CPU on the event loop.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterator

from dateutil.rrule import rrule as RRule


class _LookedTooFar(Exception):
    pass


class _BoundedRule(RRule):
    """A copy of a rule whose search for dates gives up after a number of calendar months.

    dateutil's iteration reads `_byeaster` once on entering each new month (each new year
    for FREQ=YEARLY, each period for longer intervals) while it looks for the next date;
    counting those reads bounds the months it may look through.
    """

    _looks_left = 0

    @property  # type: ignore[override]
    def _byeaster(self) -> Any:
        self._looks_left -= 1
        if self._looks_left < 0:
            raise _LookedTooFar
        return self.__dict__["_byeaster"]


def rrule_dates(rule: RRule, start: datetime, stop: datetime) -> Iterator[datetime]:
    """The dates of `rule` in [start, stop], found with bounded work.

    dateutil looks for a next date until the year 9999 and only then gives up, also inside
    `between()`: `FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;COUNT=1` (no date, ever) costs ten
    seconds of CPU. Here the search stops a few months past `stop` (measured from the
    rule's DTSTART, where dateutil always begins). `start`/`stop` must be naive or aware as
    the rule's DTSTART is.
    """
    bounded = _BoundedRule.__new__(_BoundedRule)
    bounded.__dict__.update(rule.__dict__)
    first = rule._dtstart  # type: ignore[attr-defined]
    bounded._looks_left = max(0, (stop.year - first.year) * 12 + stop.month - first.month) + 3
    try:
        for date in bounded._iter():  # type: ignore[attr-defined]
            if date > stop:
                return
            if date >= start:
                yield date
    except _LookedTooFar:
        return
