"""What a signed-in user sees about themselves: organisations, networks, API tokens."""

from __future__ import annotations

from dataclasses import dataclass

from resourcepool.accounts.api_tokens import ApiTokenInfo, create_api_token, list_api_tokens
from resourcepool.accounts.login import authenticate
from resourcepool.accounts.service import validate_name
from resourcepool.db import sql
from resourcepool.errors import N_, Conflict

# Plenty for scripts and integrations; a bound keeps a leaked session from minting thousands.
MAX_API_TOKENS = 50


@dataclass(frozen=True)
class OrganisationRole:
    id: int
    name: str
    role: str


@dataclass(frozen=True)
class NetworkRef:
    id: int
    slug: str
    name: str


async def organisations_of(user_id: int) -> list[OrganisationRole]:
    rows = await sql.fetch(
        """SELECT o.id, o.name, m.role FROM membership m JOIN organisation o ON o.id = m.organisation_id
           WHERE m.user_id = $1 ORDER BY o.name, o.id""",
        user_id,
    )
    return [OrganisationRole(**r) for r in rows]


async def coordinated_networks_of(user_id: int) -> list[NetworkRef]:
    rows = await sql.fetch(
        """SELECT n.id, n.slug, n.name FROM coordinator c JOIN network n ON n.id = c.network_id
           WHERE c.user_id = $1 ORDER BY n.name, n.id""",
        user_id,
    )
    return [NetworkRef(**r) for r in rows]


async def issue_api_token(user_id: int, name: str) -> tuple[str, ApiTokenInfo]:
    """Create a named API token for the user; the plain token is returned only here."""
    name = validate_name(name, max_length=100)
    count = await sql.fetch_value(
        "SELECT count(*) FROM api_token WHERE user_id = $1 AND revoked_at IS NULL", user_id
    )
    if count >= MAX_API_TOKENS:
        raise Conflict(
            N_("You have %(max)s API tokens already; please revoke one first."), field="name",
            max=MAX_API_TOKENS,
        )
    return await create_api_token(user_id, name)


async def issue_api_token_for_password(email: str, password: str, name: str, *,
                                       ip: str = "") -> tuple[str, ApiTokenInfo]:
    """Sign in with email and password and create a named API token.

    The name is checked first: a bad one then costs no sign-in attempt.
    """
    name = validate_name(name, max_length=100)
    user_id = await authenticate(email, password, ip=ip)
    return await issue_api_token(user_id, name)


async def api_tokens_page(user_id: int, limit: int, offset: int) -> tuple[list[ApiTokenInfo], int]:
    tokens = await list_api_tokens(user_id)  # at most MAX_API_TOKENS live ones
    return tokens[offset : offset + limit], len(tokens)
