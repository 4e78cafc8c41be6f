"""Who is asking: session cookie for pages, Bearer token for the API; guards.

The identity lands in `request.user` (None when anonymous) and the request's language is set.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from litestar.connection import ASGIConnection
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.handlers.base import BaseRouteHandler

from resourcepool.accounts.api_tokens import resolve_api_token
from resourcepool.accounts.identity import Identity, load_identity
from resourcepool.accounts.sessions import touch_session
from resourcepool.errors import N_, Forbidden, NotAuthenticated
from resourcepool.settings import get_settings
from resourcepool.web import i18n

LANGUAGE_COOKIE = "rp_lang"


def session_cookie_name() -> str:
    # The __Host- prefix pins the cookie to our host and requires Secure, so only over HTTPS.
    return "__Host-rp_session" if get_settings().https else "rp_session"


def is_api(path: str) -> bool:
    return path.startswith("/api/")


class IdentityMiddleware(AbstractAuthenticationMiddleware):
    async def authenticate_request(self, connection: ASGIConnection) -> AuthenticationResult:
        identity: Identity | None = None
        user_id: int | None = None
        if is_api(connection.scope["path"]):
            header = connection.headers.get("authorization", "")
            scheme, _, token = header.partition(" ")
            if scheme.lower() == "bearer" and token.strip():
                user_id = await resolve_api_token(token.strip())
        else:
            token = connection.cookies.get(session_cookie_name())
            if token:
                user_id = await touch_session(token)
        if user_id is not None:
            identity = await load_identity(user_id)
        i18n.set_language(
            i18n.choose_language(
                identity.locale if identity else None,
                connection.cookies.get(LANGUAGE_COOKIE),
                connection.headers.get("accept-language"),
            )
        )
        return AuthenticationResult(user=identity, auth=None)


def current_identity(connection: ASGIConnection[Any, Any, Any, Any]) -> Identity | None:
    return connection.scope.get("user")  # type: ignore[return-value]


def require_identity(connection: ASGIConnection[Any, Any, Any, Any]) -> Identity:
    identity = current_identity(connection)
    if identity is None:
        raise NotAuthenticated(N_("Please sign in."))
    return identity


def login_required(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    """Guard: pages redirect to the login form (see web/errors.py); the API answers 401."""
    require_identity(connection)


def coordinator_required(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    identity = require_identity(connection)
    if not identity.is_coordinator:
        raise Forbidden(N_("Only network coordinators may do this."))


def login_url(next_path: str) -> str:
    return "/login?next=" + quote(next_path, safe="/")
