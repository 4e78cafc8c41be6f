"""Reading a feed (by its token, no session) and downloading one booking as .ics.

Who sees what in a feed:
- asset feed: members of the owner see every booking with its details; everyone else sees
  their own organisations' bookings with details and all others as busy blocks (no purpose,
  no names);
- organisation feed: the organisation's bookings as booker and as owner, with details;
- user feed: the bookings the user made, with details.

Conditional requests: the ETag is a hash of exactly what the body is made of (the rows as
shown, the reader's language, the feed's name), computed before rendering, so a 304 costs one
read and no rendering. Rendering 5,000 events takes a CPU-bound while, so it runs in a worker
thread (the event loop stays free) and the last bodies are kept by ETag.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime as http_date
from email.utils import parsedate_to_datetime
from typing import Any

from resourcepool import clock, i18n
from resourcepool.accounts.identity import Identity
from resourcepool.calendar_feeds import export, queries
from resourcepool.calendar_feeds.tokens import Subscription, open_feed
from resourcepool.errors import N_, NotFound
from resourcepool.settings import get_settings

REFRESH_MINUTES = 60
_CACHE_SIZE = 16
_bodies: OrderedDict[str, bytes] = OrderedDict()

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


def shown_rows(sub: Subscription, rows: list[dict[str, Any]]) -> list[tuple[dict[str, Any], bool]]:
    """Each row with whether its details are shown; busy blocks lose their private fields here,
    before anything (the ETag included) is made of them."""
    out = []
    for row in rows:
        details = (sub.scope != "asset" or sub.identity.is_member_of(row["owner_organisation_id"])
                   or sub.identity.is_member_of(row["organisation_id"]))
        if not details:
            row = {k: v for k, v in row.items() if k not in PRIVATE_FIELDS}
        out.append((row, details))
    return out


def feed_name(sub: Subscription, language: str) -> str:
    name = sub.name if sub.scope != "user" else i18n.gettext(MY_BOOKINGS, language)
    return f"resourcepool: {name}"


def _etag(name: str, language: str, shown: list[tuple[dict[str, Any], bool]], year: int) -> str:
    digest = hashlib.sha256(f"{name}\x00{language}\x00{year}".encode())
    for row, details in shown:
        digest.update(repr((details, sorted(row.items()))).encode())
    return '"' + digest.hexdigest()[:32] + '"'


def render(shown: list[tuple[dict[str, Any], bool]], name: str, language: str, year: int,
           base_url: str) -> bytes:
    """The feed's body (pure, CPU-bound: run it in a thread)."""
    events = [export.booking_event(row, base_url=base_url, language=language, details=details)
              for row, details in shown]
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
    rows = await queries.feed_bookings(sub.scope, sub.target_id or sub.identity.user_id, now)
    language = _language(sub.identity)
    name = feed_name(sub, language)
    shown = shown_rows(sub, rows)
    etag = _etag(name, language, shown, now.year)
    last_modified = max((r["updated_at"] for r in rows), default=None)
    if _not_modified(etag, last_modified, if_none_match, if_modified_since):
        return FeedDocument(etag, last_modified, None)
    body = _bodies.get(etag)
    if body is None:
        body = await asyncio.to_thread(render, shown, name, language, now.year,
                                       get_settings().base_url)
        _bodies[etag] = body
        while len(_bodies) > _CACHE_SIZE:
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
