"""Helpers for the external-calendar tests: .ics files and a local calendar server.

The server runs in a thread on 127.0.0.1 and serves what a test puts into `files`, answers
conditional requests by ETag, follows `redirects`, and counts the requests per path.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def event(start: str, end: str | None = None, *, uid: str = "e1", tz: str | None = "Europe/Berlin",
          rrule: str | None = None, extra: str = "", all_day: bool = False) -> str:
    """One VEVENT; times as 20270105T180000 (or 20270105 with all_day)."""
    def prop(name: str, value: str) -> str:
        if all_day:
            return f"{name};VALUE=DATE:{value}\r\n"
        return f"{name};TZID={tz}:{value}\r\n" if tz else f"{name}:{value}\r\n"

    lines = f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261201T000000Z\r\nSUMMARY:Chorprobe\r\n" + prop("DTSTART", start)
    if end:
        lines += prop("DTEND", end)
    if rrule:
        lines += f"RRULE:{rrule}\r\n"
    return lines + extra + "END:VEVENT\r\n"


def calendar(*events: str) -> bytes:
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Pfarrbuero//DE\r\n" + "".join(events)
            + "END:VCALENDAR\r\n").encode()


# A weekly Tuesday rehearsal 18:00–20:00 (Berlin) from 5 January 2027, without end.
TUESDAYS = calendar(event("20270105T180000", "20270105T200000", rrule="FREQ=WEEKLY;BYDAY=TU"))
# A Thursday lunch 12:00–13:00 every week from 7 January 2027.
THURSDAYS = calendar(event("20270107T120000", "20270107T130000", uid="t1", rrule="FREQ=WEEKLY;BYDAY=TH"))


def big_calendar(size: int) -> bytes:
    """A valid calendar of `size` bytes or a line more (a long description)."""
    filler = "DESCRIPTION:" + "x" * 70 + "\r\n"
    head = calendar(event("20270105T180000", "20270105T200000"))
    repeats = max(0, -(-(size - len(head)) // len(filler)))  # at least `size` bytes
    return head.replace(b"SUMMARY:", (filler * repeats).encode() + b"SUMMARY:", 1)


@dataclass
class CalendarServer:
    """What the local server serves: path → (status, body, headers)."""

    port: int = 0
    files: dict[str, tuple[int, bytes, dict[str, str]]] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)
    hits: Counter = field(default_factory=Counter)
    conditional_hits: Counter = field(default_factory=Counter)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def serve(self, path: str, body: bytes, etag: str | None = None, status: int = 200) -> None:
        headers = {"Content-Type": "text/calendar; charset=utf-8"}
        if etag:
            headers["ETag"] = etag
        self.files[path] = (status, body, headers)


def start_server() -> tuple[CalendarServer, ThreadingHTTPServer]:
    state = CalendarServer()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # quiet
            pass

        def do_GET(self) -> None:  # noqa: N802
            path = self.path
            state.hits[path] += 1
            if path in state.redirects:
                self.send_response(302)
                self.send_header("Location", state.redirects[path])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            status, body, headers = state.files.get(path, (404, b"not here", {}))
            etag = headers.get("ETag")
            if etag and self.headers.get("If-None-Match") == etag:
                state.conditional_hits[path] += 1
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return state, server


def local(moment: datetime, tz: str = "Europe/Berlin") -> str:
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M")
