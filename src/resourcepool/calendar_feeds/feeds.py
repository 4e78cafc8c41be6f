"""Reading a feed (by its token, no session) and downloading one booking as .ics.

Who sees what in a feed:
- asset feed: members of the owner see every booking with its details; everyone else sees
  their own organisations' bookings with details and all others as busy blocks (no purpose,
  no names);
- organisation feed: the organisation's bookings as booker and as owner, with details;
- user feed: the bookings the user made, with details.

Conditional requests: the ETag is a hash of exactly what the body is made of — PostgreSQL's
digest of the rows (queries.feed_digest), the reader's language and organisations (which rows
show details), the feed's name — so a 304 costs one small query and no rows. Only a changed
feed reads its rows (through a cursor) and renders them, in a worker thread so the event loop
stays free; the last bodies are kept by ETag (Google Calendar sends no conditional requests).
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime as http_date
from email.utils import parsedate_to_datetime
from typing import Any, Mapping

from resourcepool import clock, i18n
from resourcepool.accounts.identity import Identity
from resourcepool.calendar_feeds import queries
from resourcepool.ics import export
from resourcepool.calendar_feeds.tokens import Subscription, open_feed
from resourcepool.errors import N_, NotFound
from resourcepool.settings import get_settings

REFRESH_MINUTES = 60
# The last bodies by ETag, at most this many bytes per process (a feed of 5,000 events is
# about 2.4 MB).
_CACHE_BYTES = 32 * 1024 * 1024
_bodies: OrderedDict[str, bytes] = OrderedDict()
# Rendered events (about 1.5 KB each with their key).
_EVENTS_KEPT = 20_000
_events: dict[tuple[Any, ...], str] = {}

MY_BOOKINGS = N_("My bookings")
# Fields of someone else's booking that an asset feed never shows.
PRIVATE_FIELDS = ("purpose", "organisation_name", "user_name", "user_id", "organisation_id")


@dataclass(frozen=True)
class FeedDocument:
    etag: str
    last_modified: datetime | None
    body: bytes | None  # None: the client's copy is current (304)


def _language(identity: Identity) -> str:
    return identity.locale if identity.locale in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE


def shown_rows(sub: Subscription, rows: list[Mapping[str, Any]]) -> list[tuple[dict[str, Any], bool]]:
    """Each row (as a dict) with whether its details are shown; busy blocks lose their private
    fields here, before anything (the ETag included) is made of them."""
    out = []
    for record in rows:
        details = (sub.scope != "asset" or sub.identity.is_member_of(record["owner_organisation_id"])
                   or sub.identity.is_member_of(record["organisation_id"]))
        row = dict(record.items())
        if not details:
            row = {k: v for k, v in row.items() if k not in PRIVATE_FIELDS}
        out.append((row, details))
    return out


def feed_name(sub: Subscription, language: str) -> str:
    name = sub.name if sub.scope != "user" else i18n.gettext(MY_BOOKINGS, language)
    return f"resourcepool: {name}"


def _etag(sub: Subscription, digest: str, name: str, language: str, year: int) -> str:
    who = sorted(sub.identity.roles) if sub.scope == "asset" else []
    text = f"{digest}\x00{name}\x00{language}\x00{year}\x00{who}"
    return '"' + hashlib.sha256(text.encode()).hexdigest()[:32] + '"'


def render_rows(sub: Subscription, rows: list[Mapping[str, Any]], name: str, language: str,
                year: int, base_url: str) -> bytes:
    """The feed's body from its rows (CPU-bound for thousands of rows: run it in a thread)."""
    return render(shown_rows(sub, rows), name, language, year, base_url)


def render(shown: list[tuple[dict[str, Any], bool]], name: str, language: str, year: int,
           base_url: str) -> bytes:
    """The feed's body. Each event's text is kept, keyed by everything it is made of, so when
    one booking of thousands changes only that one is written again."""
    if len(_events) > _EVENTS_KEPT:
        _events.clear()  # simple and safe with several rendering threads
    events = []
    for row, details in shown:
        key = (tuple(row.values()), details, language, base_url)
        text = _events.get(key)
        if text is None:
            text = export.booking_event(row, base_url=base_url, language=language, details=details)
            _events[key] = text
        events.append(text)
    return export.calendar(events, name=name, timezones={row["timezone"] for row, _ in shown},
                           year=year, refresh_minutes=REFRESH_MINUTES)


def _not_modified(etag: str, last_modified: datetime | None, if_none_match: str | None,
                  if_modified_since: str | None) -> bool:
    if if_none_match is not None:
        # RFC 9110 §13.1.2: If-None-Match wins over If-Modified-Since; weak comparison.
        tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
        return etag in tags or "*" in tags
    if if_modified_since and last_modified is not None:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError, IndexError):
            return False
        if since.tzinfo is None:
            return False
        return last_modified.replace(microsecond=0) <= since
    return False


async def read_feed(token: str, if_none_match: str | None = None,
                    if_modified_since: str | None = None) -> FeedDocument:
    """The feed behind `token` (NotFound for a revoked token or one whose user lost access)."""
    sub = await open_feed(token)
    assert sub.target_id is not None or sub.scope == "user"
    now = clock.now()
    target = sub.target_id or sub.identity.user_id
    language = _language(sub.identity)
    name = feed_name(sub, language)
    digest = await queries.feed_digest(sub.scope, target, now)
    etag = _etag(sub, digest["digest"], name, language, now.year)
    last_modified = digest["last_modified"]
    if _not_modified(etag, last_modified, if_none_match, if_modified_since):
        return FeedDocument(etag, last_modified, None)
    body = _bodies.get(etag)
    if body is None:
        rows = await queries.feed_bookings(sub.scope, target, now)
        body = await asyncio.to_thread(render_rows, sub, rows, name, language, now.year,
                                       get_settings().base_url)
        _bodies[etag] = body
        while sum(len(b) for b in _bodies.values()) > _CACHE_BYTES and len(_bodies) > 1:
            _bodies.popitem(last=False)
    else:
        _bodies.move_to_end(etag)
    return FeedDocument(etag, last_modified, body)


def last_modified_header(value: datetime | None) -> str | None:
    return http_date(value.replace(microsecond=0), usegmt=True) if value else None


async def booking_ics(identity: Identity, booking_id: int, language: str | None = None) -> bytes:
    """One booking as an .ics file, for the booking organisation and the owner only
    (texts in `language`, default the request's)."""
    row = await queries.booking_for_export(booking_id)
    if row is None or not (identity.is_member_of(row["organisation_id"])
                           or identity.is_member_of(row["owner_organisation_id"])):
        raise NotFound(N_("This booking does not exist."))
    language = language if language in i18n.LANGUAGES else i18n.current_language()
    event = export.booking_event(row, base_url=get_settings().base_url, language=language,
                                 details=True)
    return export.calendar([event], timezones=[row["timezone"]], year=clock.now().year)
