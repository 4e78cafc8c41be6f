"""Feed tokens: created, listed and revoked by their user; the URL carries the token, the
database only its SHA-256 (ASVS 7.2.3/14.2.1: ≥128 random bits, hashed at rest, revocable).

A token grants nothing by itself: every read of a feed checks again that its user is active
and may still see the asset (`assets.queries.visible_sql`) or still belongs to the
organisation. A token that fails that check is simply not found — the feed URL gives 404,
as for a token that never existed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from resourcepool import clock
from resourcepool.accounts.identity import Identity, load_identity
from resourcepool.accounts.sessions import hash_token, new_token
from resourcepool.assets.queries import visibility_params, visible_sql
from resourcepool.db import sql
from resourcepool.db.engine import DB
from resourcepool.errors import N_, Conflict, NotFound, ValidationFailed
from resourcepool.settings import get_settings

SCOPES = ("asset", "organisation", "user")
# Enough for every asset someone follows; a cap keeps one account from filling the table.
MAX_FEEDS_PER_USER = 100
TOKEN_PREFIX = "cal_"


@dataclass(frozen=True)
class FeedInfo:
    id: int
    scope: str
    target_id: int | None
    name: str
    created_at: datetime
    last_used_at: datetime | None
    url: str | None = None  # only right after creation: the token is not stored


def feed_url(token: str) -> str:
    return f"{get_settings().base_url}/calendar/{token}.ics"


_LIST_COLUMNS = """
    f.id, f.scope, coalesce(f.asset_id, f.organisation_id) AS target_id,
    coalesce(a.title, o.name, '') AS name, f.created_at, f.last_used_at
"""
_LIST_FROM = """
    FROM calendar_feed f
    LEFT JOIN asset a ON a.id = f.asset_id
    LEFT JOIN organisation o ON o.id = f.organisation_id
"""


async def _target_name(identity: Identity, scope: str, target_id: int | None) -> str:
    """The asset's title or the organisation's name, if `identity` may follow it; else NotFound."""
    if scope == "user":
        return ""
    if target_id is None:
        raise ValidationFailed(N_("Please choose what the feed shows."), field="id")
    if scope == "organisation":
        if not identity.is_member_of(target_id):
            raise NotFound(N_("This organisation does not exist."), field="id")
        return await sql.fetch_value("SELECT name FROM organisation WHERE id = $1", target_id) or ""
    orgs, networks = visibility_params(identity)
    title = await sql.fetch_value(
        f"SELECT a.title FROM asset a WHERE a.id = $3 AND {visible_sql('a', '$1', '$2')}",
        orgs, networks, target_id)
    if title is None:
        raise NotFound(N_("This asset does not exist."), field="id")
    return title


async def create_feed(identity: Identity, scope: str, target_id: int | None = None) -> FeedInfo:
    """A new feed of an asset the user may see, one of their organisations, or their own
    bookings. Returns its URL — the only time the token is shown."""
    if scope not in SCOPES:
        raise ValidationFailed(N_("The scope must be asset, organisation or user."), field="scope")
    if scope == "user":
        target_id = None
    name = await _target_name(identity, scope, target_id)
    token = TOKEN_PREFIX + new_token()
    async with DB.transaction():
        # Locking the user row makes the count and the insert one step for parallel requests.
        await sql.execute("SELECT 1 FROM app_user WHERE id = $1 FOR UPDATE", identity.user_id)
        live = await sql.fetch_value(
            "SELECT count(*) FROM calendar_feed WHERE user_id = $1 AND revoked_at IS NULL",
            identity.user_id)
        if live >= MAX_FEEDS_PER_USER:
            raise Conflict(N_("You have %(max)s calendar feeds; revoke one you no longer use first."),
                           code="too_many_feeds", max=MAX_FEEDS_PER_USER)
        row = await sql.fetch_one(
            """INSERT INTO calendar_feed (user_id, scope, asset_id, organisation_id, token_hash, created_at)
               VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, created_at""",
            identity.user_id, scope, target_id if scope == "asset" else None,
            target_id if scope == "organisation" else None, hash_token(token), clock.now())
    assert row is not None
    return FeedInfo(row["id"], scope, target_id, name, row["created_at"], None, feed_url(token))


async def list_feeds(user_id: int, limit: int = 100, offset: int = 0) -> tuple[list[FeedInfo], int]:
    """The user's live feeds, newest first, and how many there are."""
    rows = await sql.fetch(
        f"""SELECT {_LIST_COLUMNS}, count(*) OVER () AS total {_LIST_FROM}
            WHERE f.user_id = $1 AND f.revoked_at IS NULL
            ORDER BY f.created_at DESC, f.id DESC LIMIT $2 OFFSET $3""",
        user_id, limit, offset)
    total = rows[0]["total"] if rows else await sql.fetch_value(
        "SELECT count(*) FROM calendar_feed WHERE user_id = $1 AND revoked_at IS NULL", user_id)
    return [FeedInfo(**{k: v for k, v in r.items() if k != "total"}) for r in rows], int(total)


async def revoke_feed(user_id: int, feed_id: int) -> None:
    """Revoke one of the user's own feeds; another user's feed is simply not found."""
    done = await sql.fetch_value(
        """UPDATE calendar_feed SET revoked_at = $3
           WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING id""",
        feed_id, user_id, clock.now())
    if done is None:
        raise NotFound(N_("No such calendar feed."))


@dataclass(frozen=True)
class Subscription:
    """A live feed and the identity reading it, as checked at this moment."""

    feed_id: int
    scope: str
    target_id: int | None
    identity: Identity
    name: str


def _looks_like_token(token: str) -> bool:
    return token.startswith(TOKEN_PREFIX) and 20 <= len(token) <= 100


async def open_feed(token: str) -> Subscription:
    """The feed behind a token, if it is live and its user may still read it; else NotFound.

    Notes the use (last_used_at) at most once a minute, so a busy feed writes little."""
    if not _looks_like_token(token):
        raise NotFound(N_("This calendar feed does not exist."))
    now = clock.now()
    row = await sql.fetch_one(
        """UPDATE calendar_feed f
           SET last_used_at = CASE WHEN f.last_used_at IS NULL OR f.last_used_at < $2::timestamptz - interval '1 minute'
                                   THEN $2 ELSE f.last_used_at END
           FROM app_user u
           WHERE f.token_hash = $1 AND f.revoked_at IS NULL AND u.id = f.user_id AND u.is_active
           RETURNING f.id, f.user_id, f.scope, coalesce(f.asset_id, f.organisation_id) AS target_id""",
        hash_token(token), now)
    identity = await load_identity(row["user_id"]) if row else None
    if row is None or identity is None:
        raise NotFound(N_("This calendar feed does not exist."))
    try:
        name = await _target_name(identity, row["scope"], row["target_id"])
    except NotFound:
        raise NotFound(N_("This calendar feed does not exist.")) from None
    return Subscription(row["id"], row["scope"], row["target_id"], identity, name)
