"""Read what we produce with two independent iCalendar parsers — `icalendar` (which also wrote
it) and `ical` (a separate implementation, pydantic-based) — and insist that they agree on
every event: UID, start, end (as aware instants), status, SEQUENCE, summary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

import icalendar
from ical.calendar_stream import IcsCalendarStream


@dataclass(frozen=True)
class Seen:
    uid: str
    start: datetime  # aware, in the event's own zone
    end: datetime
    tzid: str
    status: str
    sequence: int
    summary: str
    description: str


def _by_icalendar(text: str) -> tuple[str | None, list[Seen]]:
    cal = icalendar.Calendar.from_ical(text)
    out = []
    for event in cal.walk("VEVENT"):
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        out.append(Seen(str(event["UID"]), start, end, str(event["DTSTART"].params.get("TZID")),
                        str(event.get("STATUS")), int(event.get("SEQUENCE", 0)),
                        str(event.get("SUMMARY", "")), str(event.get("DESCRIPTION", ""))))
    method = cal.get("METHOD")
    return (str(method) if method else None), out


def _by_ical(text: str) -> tuple[str | None, list[Seen]]:
    cal = IcsCalendarStream.calendar_from_ics(text)
    out = []
    for event in cal.events:
        status = event.status.value if event.status is not None else "None"
        out.append(Seen(event.uid, event.dtstart, event.dtend, str(event.dtstart.tzinfo),
                        status, event.sequence or 0, event.summary or "", event.description or ""))
    return cal.method, out


def parse_both(data: bytes | str) -> tuple[str | None, list[Seen]]:
    """The METHOD and the events, after checking the two parsers see the same thing."""
    text = data.decode() if isinstance(data, bytes) else data
    method_a, events_a = _by_icalendar(text)
    method_b, events_b = _by_ical(text)
    assert method_a == method_b, (method_a, method_b)
    assert len(events_a) == len(events_b)
    for a, b in zip(sorted(events_a, key=lambda e: e.uid), sorted(events_b, key=lambda e: e.uid)):
        assert (a.uid, a.status, a.sequence, a.summary, a.description) == \
            (b.uid, b.status, b.sequence, b.summary, b.description), (a, b)
        assert a.start.astimezone(timezone.utc) == b.start.astimezone(timezone.utc), (a, b)
        assert a.end.astimezone(timezone.utc) == b.end.astimezone(timezone.utc), (a, b)
        assert (a.start.utcoffset(), a.tzid) == (b.start.utcoffset(), b.tzid), (a, b)
    return method_a, sorted(events_a, key=lambda e: e.start)
