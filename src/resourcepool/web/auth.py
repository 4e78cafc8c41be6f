"""Who is asking: session cookie for pages, Bearer token for the API; guards.

The identity lands in `request.user` (None when anonymous) and the request's language is set.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from litestar.connection import ASGIConnection
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.handlers.base import BaseRouteHandler
from litestar.types import Scope

from resourcepool.accounts.api_tokens import identify_api_token
from resourcepool.accounts.identity import Identity
from resourcepool.accounts.sessions import identify_session
from resourcepool.errors import N_, Forbidden, NotAuthenticated
from resourcepool.settings import get_settings
from resourcepool import i18n

LANGUAGE_COOKIE = "rp_lang"

log = logging.getLogger("resourcepool.web")


def session_cookie_name() -> str:
    # The __Host- prefix pins the cookie to our host and requires Secure, so only over HTTPS.
    return "__Host-rp_session" if get_settings().https else "rp_session"


def is_api(path: str) -> bool:
    return path.startswith("/api/")


class IdentityMiddleware(AbstractAuthenticationMiddleware):
    async def authenticate_request(self, connection: ASGIConnection) -> AuthenticationResult:
        return AuthenticationResult(user=await identify(connection), auth=None)


async def identify_unrouted_request(exc: Exception, scope: Scope) -> None:
    """`after_exception` hook: 404/405 are raised by the router before the middleware runs, so
    the error page would show a signed-in user the anonymous navigation in the wrong language.
    Identify the page request here, before the exception handler renders it."""
    if "user" in scope or scope.get("type") != "http" or scope["path"].startswith(("/static/", "/api/")):
        return
    try:
        scope["user"] = await identify(ASGIConnection(scope))  # type: ignore[typeddict-unknown-key]
    except Exception:  # noqa: BLE001 — the error page must render even when this fails
        log.warning("could not identify the user for an error page", exc_info=True)


async def identify(connection: ASGIConnection) -> Identity | None:
    """The signed-in user (session cookie for pages, Bearer token for the API), and the
    request's language set from their setting, the language cookie or Accept-Language."""
    identity: Identity | None = None
    if is_api(connection.scope["path"]):
        header = connection.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            identity = await identify_api_token(token.strip())
    else:
        token = connection.cookies.get(session_cookie_name())
        if token:
            identity = await identify_session(token)
    i18n.set_language(
        i18n.choose_language(
            identity.locale if identity else None,
            connection.cookies.get(LANGUAGE_COOKIE),
            connection.headers.get("accept-language"),
        )
    )
    return identity


def current_identity(connection: ASGIConnection[Any, Any, Any, Any]) -> Identity | None:
    return connection.scope.get("user")  # type: ignore[return-value]


def require_identity(connection: ASGIConnection[Any, Any, Any, Any]) -> Identity:
    identity = current_identity(connection)
    if identity is None:
        raise NotAuthenticated(N_("Please sign in."))
    return identity


# Guards are coroutines: Litestar would run a plain function in a worker thread per request.
async def login_required(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    """Guard: pages redirect to the login form (see web/errors.py); the API answers 401."""
    require_identity(connection)


async def coordinator_required(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    identity = require_identity(connection)
    if not identity.is_coordinator:
        raise Forbidden(N_("Only network coordinators may do this."))


def login_url(next_path: str) -> str:
    return "/login?next=" + quote(next_path, safe="/")
