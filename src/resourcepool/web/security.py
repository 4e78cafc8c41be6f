"""Security headers on every response (404/405 and errors included) and client address."""

from __future__ import annotations

from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope

from resourcepool.settings import get_settings

_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; object-src 'none'"
)
# The API docs page needs its bundled script to run workers from blobs.
_CSP_DOCS = _CSP.replace("script-src 'self'", "script-src 'self' blob:").replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
) + "; worker-src 'self' blob:"


async def add_security_headers(message: Message, scope: Scope) -> None:
    """Litestar `before_send` hook: runs for every response the app sends, errors included."""
    if message["type"] != "http.response.start":
        return
    headers = MutableScopeHeaders.from_message(message)
    path = scope.get("path", "")
    headers["Content-Security-Policy"] = _CSP_DOCS if path.startswith("/schema") else _CSP
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "same-origin"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if "cache-control" not in headers and not path.startswith("/static/"):
        # Pages differ per user: never let a shared cache keep them.
        headers["Cache-Control"] = "no-store"
        headers["Vary"] = "Cookie"
    if get_settings().https:
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"


def client_ip(scope: Scope) -> str:
    client = scope.get("client")
    return client[0] if client else ""
