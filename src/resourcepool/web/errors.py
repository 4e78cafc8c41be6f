"""Domain errors and framework exceptions → RFC 9457 problem details (API) or an error page.

Bad input is always a 4xx with a stable `code`; anything unexpected is logged and becomes a
500 without internals.
"""

from __future__ import annotations

import logging
from hmac import compare_digest
from http import HTTPStatus
from typing import Any

import asyncpg
from litestar import MediaType, Request, Response
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    PermissionDeniedException,
    ValidationException,
)
from litestar.datastructures import Cookie
from litestar.middleware.csrf import CSRF_SECRET_LENGTH, generate_csrf_hash, generate_csrf_token
from litestar.response import Redirect, Template
from litestar.utils.empty import value_or_default
from litestar.utils.scope.state import ScopeState
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from resourcepool import errors
from resourcepool import i18n
from resourcepool.web.auth import LANGUAGE_COOKIE, is_api, login_url

log = logging.getLogger("resourcepool.web")

PROBLEM = "application/problem+json"

STATUS_BY_ERROR: dict[type[errors.DomainError], int] = {
    errors.NotAuthenticated: 401,
    errors.Forbidden: 403,
    errors.NotFound: 404,
    errors.SlotUnavailable: 409,
    errors.Conflict: 409,
    errors.ValidationFailed: 422,
    errors.PolicyViolation: 422,
    errors.InsufficientCredits: 422,
    errors.RateLimited: 429,
}

CODE_BY_STATUS = {
    400: "validation_error",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "internal_error",
}

TITLES = {
    400: errors.N_("Bad request"),
    401: errors.N_("Sign-in required"),
    403: errors.N_("Not allowed"),
    404: errors.N_("Not found"),
    405: errors.N_("Method not allowed"),
    409: errors.N_("Conflict"),
    413: errors.N_("Too large"),
    415: errors.N_("Unsupported media type"),
    422: errors.N_("Not possible"),
    429: errors.N_("Too many attempts"),
    500: errors.N_("Something went wrong"),
}


def status_for(exc: errors.DomainError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[cls]  # type: ignore[index]
    return 400


def problem(
    status: int,
    code: str,
    detail: str,
    *,
    instance: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response[dict[str, Any]]:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": i18n.gettext(TITLES.get(status, "Error")),
        "status": status,
        "code": code,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    body.update({k: v for k, v in extra.items() if v is not None})
    return Response(body, status_code=status, media_type=PROBLEM, headers=headers)


def _csrf_token_for_page(request: Request) -> Cookie | None:
    """Make sure an error page's forms (language switch, sign-out) carry a valid CSRF token.

    A 404/405 is answered before the CSRF middleware runs, and a refused post never got a token:
    the page would render an empty one and its forms would fail. Reuse the browser's valid
    cookie, or issue a new token together with the cookie to set (returned)."""
    config = request.app.csrf_config
    state = ScopeState.from_scope(request.scope)
    if config is None or value_or_default(state.csrf_token, ""):
        return None
    cookie = request.cookies.get(config.cookie_name, "")
    secret, signature = cookie[:CSRF_SECRET_LENGTH], cookie[CSRF_SECRET_LENGTH:]
    if len(secret) == CSRF_SECRET_LENGTH and compare_digest(signature, generate_csrf_hash(secret, config.secret)):
        state.csrf_token = cookie
        return None
    state.csrf_token = generate_csrf_token(config.secret)
    return Cookie(key=config.cookie_name, value=state.csrf_token, path=config.cookie_path,
                  secure=config.cookie_secure, httponly=config.cookie_httponly,
                  samesite=config.cookie_samesite, domain=config.cookie_domain)


def error_page(request: Request, status: int, detail: str, headers: dict[str, str] | None = None) -> Response:
    cookie = _csrf_token_for_page(request)
    return Template(
        "errors/error.html",
        context={"status": status, "title": i18n.gettext(TITLES.get(status, "Error")), "detail": detail},
        status_code=status,
        media_type=MediaType.HTML,
        headers=headers,
        cookies=[cookie] if cookie else None,
    )


def domain_error_handler(request: Request, exc: errors.DomainError) -> Response:
    status = status_for(exc)
    detail = i18n.translate(exc.message, exc.params)
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, errors.RateLimited) else None
    if is_api(request.url.path):
        extra = {k: v for k, v in exc.params.items() if k in {"conflicts", "rule", "retry_after"}}
        return problem(status, exc.code, detail, instance=request.url.path, headers=headers,
                       field=exc.field, **extra)
    if status == 401:
        return Redirect(login_url(request.url.path))
    return error_page(request, status, detail, headers)


def _validation_detail(exc: ValidationException) -> tuple[str, list[dict[str, Any]]]:
    extra = exc.extra if isinstance(exc.extra, list) else []
    items = []
    for item in extra:
        if isinstance(item, dict):
            items.append({"field": str(item.get("key", "")), "message": str(item.get("message", ""))[:300]})
    if items:
        first = items[0]
        where = f" ({first['field']})" if first["field"] else ""
        return f"{first['message']}{where}", items
    return str(exc.detail)[:300], items


def _language_without_identity(request: Request) -> None:
    """404/405 are raised before the middleware ran: pick the language from the request alone."""
    if "user" not in request.scope:
        request.scope["user"] = None  # type: ignore[typeddict-unknown-key]
        i18n.set_language(
            i18n.choose_language(None, request.cookies.get(LANGUAGE_COOKIE),
                                 request.headers.get("accept-language"))
        )


# Litestar's own details for these are bare English status phrases; say it in the user's words.
ROUTING_DETAILS = {
    404: errors.N_("There is no page at this address."),
    405: errors.N_("This address does not accept this kind of request."),
}


def http_exception_handler(request: Request, exc: HTTPException) -> Response:
    status = exc.status_code
    _language_without_identity(request)
    if isinstance(exc, ValidationException):
        detail, items = _validation_detail(exc)
    elif status >= 500:
        detail, items = i18n.gettext("Something went wrong on our side."), []
    elif status in ROUTING_DETAILS and exc.detail in ("", HTTPStatus(status).phrase):
        detail, items = i18n.gettext(ROUTING_DETAILS[status]), []
    else:
        detail, items = str(exc.detail)[:300], []
    if isinstance(exc, PermissionDeniedException) and "CSRF" in str(exc.detail):
        detail = i18n.gettext("The form has expired or was not sent from this site. Please try again.")
    if is_api(request.url.path) or request.url.path.startswith("/schema"):
        code = CODE_BY_STATUS.get(status, "error")
        if isinstance(exc, NotAuthorizedException):
            code = "not_authenticated"
        return problem(status, code, detail, instance=request.url.path, errors=items or None,
                       headers=exc.headers)
    if status == 401:
        return Redirect(login_url(request.url.path))
    return error_page(request, status, detail, exc.headers)


def bad_value_handler(request: Request, exc: Exception) -> Response:
    """Last line of defence for input the use case did not check: PostgreSQL refused a value
    (NUL in text, a date or number out of its range) or Python's arithmetic overflowed.

    The transaction was rolled back, so nothing changed; the user gets a 4xx, and the log a
    warning, because the use case should have named the field itself.
    """
    _language_without_identity(request)
    log.warning("unchecked input on %s %s: %s", request.method, request.url.path, exc)
    detail = i18n.gettext("A value in this request is not possible (too large, or characters "
                          "that are not allowed).")
    if is_api(request.url.path):
        return problem(422, "validation_error", detail, instance=request.url.path)
    return error_page(request, 422, detail)


def too_deep_handler(request: Request, exc: RecursionError) -> Response:
    """msgspec refuses JSON nested thousands deep with a RecursionError: the client's fault."""
    _language_without_identity(request)
    detail = i18n.gettext("The JSON document is nested too deeply.")
    if is_api(request.url.path):
        return problem(400, "validation_error", detail, instance=request.url.path)
    return error_page(request, 400, detail)


def internal_error_handler(request: Request, exc: Exception) -> Response:
    _language_without_identity(request)
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    detail = i18n.gettext("Something went wrong on our side.")
    if is_api(request.url.path):
        return problem(HTTP_500_INTERNAL_SERVER_ERROR, "internal_error", detail)
    return error_page(request, 500, detail)


EXCEPTION_HANDLERS = {
    errors.DomainError: domain_error_handler,
    HTTPException: http_exception_handler,
    # Server-side data errors (SQLSTATE class 22) and asyncpg's own refusal of an argument.
    asyncpg.DataError: bad_value_handler,
    asyncpg.exceptions._base.DataError: bad_value_handler,
    OverflowError: bad_value_handler,
    RecursionError: too_deep_handler,
    Exception: internal_error_handler,
}
