"""The OpenAPI document lists, for every API operation, each status it can answer with the
problem-details schema — filled in for every route at start-up, so a new API controller is
documented without anyone remembering to.

What an operation can answer follows from its shape and its guards (web/errors.py makes the
answers); a handler adds what its shape cannot tell (e.g. 429 of the token exchange) with
`responses=problems(…)` or `opt={"problems": (…)}`:

  400 validation_error       any parameter or body (malformed JSON, a value of the wrong type)
  401 not_authenticated      signed in by its guards (login_required, coordinator_required)
  403 forbidden              coordinators only, or a signed-in operation on a path or a body
  404 not_found              a path parameter, a signed-in body (ids in it) or a filter
  409 conflict               a signed-in change (POST/PUT/PATCH/DELETE); also slot_unavailable …
  413 payload_too_large      a body, or any POST/PUT/PATCH/DELETE
  422 validation_error …     a body or a filter: well-formed but not acceptable (policy_violation …)
  500 internal_error         any

tests/web/test_openapi_document.py holds the whole document to this, and the API fuzz tests
check that no operation answers a status it does not list.
"""

from __future__ import annotations

from typing import Any, Iterable

from html import escape

from litestar import Litestar, Request
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.plugins import RedocRenderPlugin
from litestar.routes import HTTPRoute

from resourcepool.web.auth import coordinator_required, login_required
from resourcepool.web.errors import PROBLEM
from resourcepool.web.schemas.common import Problem

WHAT = {
    400: "validation_error: the request is malformed (JSON, types, unknown fields)",
    401: "not_authenticated: no valid API token",
    403: "forbidden: signed in, but not allowed to do this",
    404: "not_found: it does not exist, or you may not see it",
    409: "conflict: e.g. slot_unavailable (with `conflicts`), or the state does not allow it",
    413: "payload_too_large: the request body is too large",
    415: "unsupported_media_type: the body's Content-Type is not one this operation reads",
    422: "validation_error, policy_violation (with `rule`) or insufficient_credits: well-formed "
         "but not acceptable; `field` names the offending field",
    429: "rate_limited: too many attempts; see the Retry-After header",
    500: "internal_error: something went wrong on our side",
}
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
PAGING = {"limit", "offset"}
# Parameters Litestar gives a handler that are not part of the request's input.
NOT_INPUT = {"request", "data", "self", "state", "scope", "socket", "headers", "cookies", "query", "body"}


def problems(*statuses: int, described: dict[int, str] | None = None) -> dict[int, ResponseSpec]:
    """`responses=` for a handler: these statuses, answered with problem details (`described`
    replaces the general description of a status)."""
    described = described or {}
    return {s: ResponseSpec(Problem, description=described.get(s) or WHAT.get(s, "problem details"),
                            media_type=PROBLEM, generate_examples=False)
            for s in statuses}


def _inputs(handler: HTTPRouteHandler, route: HTTPRoute) -> tuple[set[str], set[str], bool]:
    """(path parameters, other parameters, has a body) of a handler."""
    path = set(route.path_parameters)
    fields = set(handler.parsed_fn_signature.parameters)
    other = {name for name in fields - path - NOT_INPUT
             if not name.startswith("_") and name not in handler.resolve_dependencies()}
    return path, other, "data" in fields


def statuses_of(handler: HTTPRouteHandler, route: HTTPRoute) -> set[int]:
    """The problem statuses an API operation can answer (see the module docstring)."""
    path, other, body = _inputs(handler, route)
    guards = set(handler.resolve_guards())
    signed_in = bool(guards & {login_required, coordinator_required})
    found = {500}
    if path or other or body:
        found.add(400)
    if signed_in:
        found.add(401)
        if coordinator_required in guards or path or body:
            found.add(403)
        if handler.http_methods & UNSAFE:
            found.add(409)
    if path or (signed_in and body) or other - PAGING:
        found.add(404)
    if body or handler.http_methods & UNSAFE:
        found.add(413)  # the size limit holds for any request body, read or not
    if body or other - PAGING:
        found.add(422)
    found |= set(handler.opt.get("problems", ()))
    return found


def _documented(app: Litestar) -> Iterable[tuple[HTTPRouteHandler, HTTPRoute]]:
    for route in app.routes:
        if isinstance(route, HTTPRoute):
            for handler in route.route_handlers:
                if handler.resolve_include_in_schema():
                    yield handler, route


def document_problems(app: Litestar) -> None:
    """Give every operation in the OpenAPI document its problem responses (before the document
    is first built; a handler's own `responses` for a status win)."""
    for handler, route in _documented(app):
        declared: dict[int, Any] = dict(handler.responses or {})
        for status, spec in problems(*statuses_of(handler, route)).items():
            declared.setdefault(status, spec)
        handler.responses = declared


class ApiDocsPage(RedocRenderPlugin):
    """The browsable API docs (/schema): Redoc from our static folder, reading the document from
    /schema/openapi.json — no inline script (the CSP forbids it; Litestar's page has one) and
    nothing from a CDN (Litestar's default icon and fonts are)."""

    def __init__(self) -> None:
        super().__init__(js_url="/static/vendor/redoc.standalone.js", google_fonts=False, path="/")

    def render(self, request: Request, openapi_schema: dict[str, Any]) -> bytes:
        title = escape(str(openapi_schema["info"]["title"]))
        config = request.app.openapi_config
        document = f"{(config.path if config else '/schema').rstrip('/')}/openapi.json"
        return f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{title}</title>
  <link rel="icon" type="image/svg+xml" href="/static/favicon.svg">
</head>
<body>
  <redoc spec-url="{escape(document)}" hide-download-button></redoc>
  <script src="{escape(self.js_url)}"></script>
</body>
</html>
""".encode()
