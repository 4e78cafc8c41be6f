"""Unsafe form posts must come from our own pages: Origin and Sec-Fetch-Site, beside the CSRF token.

The CSRF token (Litestar's double-submit cookie) is the first guard; this is the second, which
holds even if a token leaks or a sibling subdomain can set our cookies. Every browser in use
sends `Sec-Fetch-Site` and `Origin` on a form post, and a page elsewhere cannot make it omit
them or lie, so: a request that names another site is refused; one that names none (a script
with a token of its own, a test client) is left to the token. The paths the CSRF check exempts —
the Bearer-token JSON API, health checks — are exempt here too, read from the same config.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from litestar.datastructures import Headers
from litestar.enums import ScopeType
from litestar.exceptions import PermissionDeniedException
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from resourcepool.settings import get_settings

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# "none": the user started it (address bar, bookmark); a page of another site never can.
TRUSTED_SITES = frozenset({"same-origin", "none"})


def origin_of(url: str) -> str:
    """scheme://host[:port] of a URL, lower-cased, without a default port."""
    parts = urlsplit(url.strip().lower())
    default = {"http": 80, "https": 443}.get(parts.scheme)
    port = parts.port
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default else "")


def own_origins(scope: Scope, headers: Headers) -> set[str]:
    """The configured public address, and the address this request was sent to."""
    found = {origin_of(get_settings().base_url)}
    host = headers.get("host")
    if host:
        found.add(origin_of(f"{scope.get('scheme', 'http')}://{host}"))
    return found


def cross_site_reason(scope: Scope) -> str | None:
    """Why an unsafe request is refused as cross-site, or None when it may go on to the token."""
    headers = Headers.from_scope(scope)
    site = headers.get("sec-fetch-site")
    if site is not None and site.strip().lower() not in TRUSTED_SITES:
        return f"Sec-Fetch-Site: {site[:40]}"
    origin = headers.get("origin")
    if origin is not None and (origin.strip().lower() == "null"
                               or origin_of(origin) not in own_origins(scope, headers)):
        return f"Origin: {origin[:100]}"
    return None


class SameOriginMiddleware(ASGIMiddleware):
    """Refuse unsafe requests another site's page sent (403, as a failed CSRF check)."""

    scopes = (ScopeType.HTTP,)

    def __init__(self) -> None:
        self._exempt: re.Pattern[str] | None = None

    def _is_exempt(self, scope: Scope) -> bool:
        if self._exempt is None:
            config: Any = scope["litestar_app"].csrf_config  # type: ignore[typeddict-item]
            patterns = list(config.exclude or []) if config else []
            patterns = [patterns] if isinstance(patterns, str) else patterns
            self._exempt = re.compile("|".join(patterns) or r"(?!)")
        return bool(self._exempt.search(scope["path"]))

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        if scope["method"] not in SAFE_METHODS and not self._is_exempt(scope):  # type: ignore[typeddict-item]
            reason = cross_site_reason(scope)
            if reason is not None:
                # "CSRF" in the detail: the error page then says the form was not sent from here.
                raise PermissionDeniedException(f"CSRF check failed: cross-site request ({reason})")
        await next_app(scope, receive, send)
