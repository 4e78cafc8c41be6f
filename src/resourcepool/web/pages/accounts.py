"""Account pages: sign in and out, forgotten password, invitations, the account page."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import FromQuery, Parameter
from litestar.response import Redirect, Response, Template

from resourcepool.accounts.api_tokens import list_api_tokens, revoke_api_token
from resourcepool.accounts.login import authenticate
from resourcepool.accounts.profile import issue_api_token, organisations_of
from resourcepool.accounts.recovery import (
    accept_invitation,
    change_password,
    describe_link,
    request_password_reset,
    reset_password,
)
from resourcepool.accounts.service import get_user, normalise_email, set_user_language
from resourcepool.accounts.sessions import create_session, end_session
from resourcepool.errors import N_, DomainError, NotAuthenticated, NotFound, RateLimited, ValidationFailed
from resourcepool.organisations.invitations import accept_membership, decline_membership, membership_offers
from resourcepool.settings import get_settings
from resourcepool import i18n
from resourcepool.web.auth import LANGUAGE_COOKIE, current_identity, login_required, require_identity, session_cookie_name
from resourcepool.web.errors import status_for
from resourcepool.web.forms import FormState, read_form
from resourcepool.web.pages.calendar import account_calendar_context
from resourcepool.web.pages.common import safe_next
from resourcepool.web.security import client_ip

BIGINT_MAX = 2**63 - 1
TokenPath = Annotated[str, Parameter(max_length=200)]

# Messages after a redirect (Post/Redirect/Get), chosen by a fixed key in the query string so
# nothing a visitor types is ever echoed as a notice.
DONE_MESSAGES = {
    "reset": N_("Your new password is set. Please sign in with it."),
    "signed_out": N_("You have signed out."),
    "password": N_("Your password has been changed. Your other sessions have been signed out."),
    "language": N_("Your language has been saved."),
    "revoked": N_("The API token has been revoked."),
    "declined": N_("You have declined the invitation."),
    "notifications": N_("Your notification settings have been saved."),
    "feed_revoked": N_("The calendar feed has been revoked."),
}


def _flash(request: Request) -> dict[str, str] | None:
    key = request.query_params.get("done")
    if key in DONE_MESSAGES:
        return {"kind": "ok", "message": i18n.gettext(DONE_MESSAGES[key])}
    return None


def _page(name: str, context: dict[str, Any], status: int = 200, headers: dict[str, str] | None = None) -> Template:
    return Template(f"accounts/{name}.html", context=context, status_code=status, headers=headers)


def _see(target: str) -> Redirect:
    # 303: after a POST the browser follows with a GET.
    return Redirect(target, status_code=303)


async def _sign_in(request: Request, user_id: int, target: str) -> Redirect:
    """A brand-new session for the user; the session the browser came with (if any) ends."""
    old = request.cookies.get(session_cookie_name())
    if old:
        await end_session(old)
    token = await create_session(
        user_id, ip=client_ip(request.scope), user_agent=request.headers.get("user-agent", "")
    )
    response = _see(target)
    # No max_age: the cookie dies with the browser; the server ends the session sooner anyway.
    response.set_cookie(session_cookie_name(), token, path="/", secure=get_settings().https,
                        httponly=True, samesite="lax")
    return response


def _clear_session_cookie(response: Response) -> None:
    response.set_cookie(session_cookie_name(), "", max_age=0, expires=0, path="/",
                        secure=get_settings().https, httponly=True, samesite="lax")


def _link_error(exc: DomainError) -> Template:
    status = 410 if isinstance(exc, ValidationFailed) else status_for(exc)
    return _page("link_invalid", {"detail": i18n.translate(exc.message, exc.params)}, status)


class LoginPages(Controller):
    include_in_schema = False  # HTML pages are not part of the API contract
    @get("/login", name="login")
    async def login_form(self, request: Request, next: FromQuery[str | None] = None) -> Template | Redirect:
        if current_identity(request) is not None:
            return Redirect(safe_next(next))
        return _page("login", {"form": FormState(), "next": safe_next(next, ""), "flash": _flash(request)})

    @post("/login", name="login_submit")
    async def login(self, request: Request) -> Template | Redirect:
        data = await read_form(request)
        form = FormState(values={"email": data.get("email", "")[:254]})
        target = safe_next(data.get("next"), "")
        # An empty field is a slip, not a guess: say so without counting an attempt.
        if not data.get("email", "").strip():
            form.errors["email"] = i18n.gettext("Please enter your email address.")
        if not data.get("password"):
            form.errors["password"] = i18n.gettext("Please enter your password.")
        if not form.ok:
            return _page("login", {"form": form, "next": target}, 422)
        try:
            user_id = await authenticate(data.get("email", ""), data.get("password", "")[:1024],
                                         ip=client_ip(request.scope))
        except RateLimited as exc:
            form.add_error(exc)
            return _page("login", {"form": form, "next": target}, 429,
                         {"Retry-After": str(exc.retry_after)})
        except (NotAuthenticated, ValidationFailed) as exc:
            form.add_error(exc)
            return _page("login", {"form": form, "next": target}, 422)
        return await _sign_in(request, user_id, target or "/")

    @post("/logout", name="logout")
    async def logout(self, request: Request) -> Redirect:
        token = request.cookies.get(session_cookie_name())
        if token:
            await end_session(token)
        response = _see("/login?done=signed_out")
        _clear_session_cookie(response)
        return response


class PasswordPages(Controller):
    include_in_schema = False
    path = "/password"

    @get("/forgot", name="password_forgot")
    async def forgot_form(self) -> Template:
        return _page("forgot", {"form": FormState(), "sent": False})

    @post("/forgot", name="password_forgot_submit")
    async def forgot(self, request: Request) -> Template:
        data = await read_form(request)
        form = FormState(values={"email": data.get("email", "")[:254]})
        try:
            email = normalise_email(data.get("email", ""))
        except ValidationFailed as exc:
            form.add_error(exc)
            return _page("forgot", {"form": form, "sent": False}, 422)
        await request_password_reset(email, language=i18n.current_language())
        # The same answer whether or not the account exists.
        return _page("forgot", {"form": form, "sent": True})

    @get("/reset/{token:str}", name="password_reset")
    async def reset_form(self, token: TokenPath) -> Template:
        try:
            link = await describe_link(token, "password_reset")
        except (NotFound, ValidationFailed) as exc:
            return _link_error(exc)
        return _page("reset", {"form": FormState(), "link": link, "token": token})

    @post("/reset/{token:str}", name="password_reset_submit")
    async def reset(self, request: Request, token: TokenPath) -> Template | Redirect:
        data = await read_form(request)
        form = FormState()
        try:
            await reset_password(token, data.get("password", ""))
        except (NotFound, ValidationFailed) as exc:
            if exc.field == "token":
                return _link_error(exc)
            form.add_error(exc)
            link = await describe_link(token, "password_reset")
            return _page("reset", {"form": form, "link": link, "token": token}, 422)
        return _see("/login?done=reset")


class InvitationPages(Controller):
    include_in_schema = False
    path = "/invitations"

    @get("/{token:str}", name="invitation")
    async def invitation_form(self, token: TokenPath) -> Template:
        try:
            link = await describe_link(token, "invitation")
        except (NotFound, ValidationFailed) as exc:
            return _link_error(exc)
        return _page("invitation", {"form": FormState(), "link": link, "token": token})

    @post("/{token:str}", name="invitation_accept")
    async def accept(self, request: Request, token: TokenPath) -> Template | Redirect:
        data = await read_form(request)
        form = FormState()
        try:
            user_id = await accept_invitation(token, data.get("password", ""))
        except (NotFound, ValidationFailed) as exc:
            if exc.field == "token":
                return _link_error(exc)
            form.add_error(exc)
            link = await describe_link(token, "invitation")
            return _page("invitation", {"form": form, "link": link, "token": token}, 422)
        return await _sign_in(request, user_id, "/")


class AccountPages(Controller):
    include_in_schema = False
    path = "/account"
    guards = [login_required]

    async def _render(self, request: Request, status: int = 200, headers: dict[str, str] | None = None,
                      **extra: Any) -> Template:
        identity = require_identity(request)
        context = {
            "user": await get_user(identity.user_id),
            "organisations": await organisations_of(identity.user_id),
            "tokens": await list_api_tokens(identity.user_id),
            "offers": await membership_offers(identity.user_id),
            "password_form": FormState(),
            "token_form": FormState(),
            "new_token": None,
            "flash": _flash(request),
            **await account_calendar_context(identity),
        }
        context.update(extra)
        return _page("account", context, status, headers)

    @get("", name="account")
    async def account(self, request: Request) -> Template:
        return await self._render(request)

    @post("/language", name="account_language")
    async def language(self, request: Request) -> Redirect:
        identity = require_identity(request)
        data = await read_form(request)
        language = data.get("language", "")
        if language not in i18n.LANGUAGES:
            raise ValidationFailed(N_("Unknown language."), field="language")
        await set_user_language(identity.user_id, language)
        response = _see("/account?done=language")
        response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 86400, httponly=True,
                            samesite="lax", secure=get_settings().https)
        return response

    @post("/password", name="account_password")
    async def password(self, request: Request) -> Template | Redirect:
        identity = require_identity(request)
        data = await read_form(request)
        form = FormState()
        try:
            await change_password(
                identity.user_id,
                data.get("current_password", "")[:1024],
                data.get("new_password", ""),
                keep_session=request.cookies.get(session_cookie_name()),
                ip=client_ip(request.scope),
            )
        except RateLimited as exc:
            form.errors["current_password"] = i18n.translate(exc.message, exc.params)
            return await self._render(request, 429, {"Retry-After": str(exc.retry_after)},
                                      password_form=form)
        except ValidationFailed as exc:
            form.add_error(exc)
            return await self._render(request, 422, password_form=form)
        return _see("/account?done=password")

    @post("/invitations/{organisation_id:int}/accept", name="account_invitation_accept")
    async def accept_invitation(
        self, request: Request, organisation_id: Annotated[int, Parameter(ge=1, le=BIGINT_MAX)]
    ) -> Redirect:
        await accept_membership(require_identity(request), organisation_id)
        return _see(f"/organisations/{organisation_id}")

    @post("/invitations/{organisation_id:int}/decline", name="account_invitation_decline")
    async def decline_invitation(
        self, request: Request, organisation_id: Annotated[int, Parameter(ge=1, le=BIGINT_MAX)]
    ) -> Redirect:
        await decline_membership(require_identity(request), organisation_id)
        return _see("/account?done=declined")

    @post("/tokens", name="account_token_create")
    async def create_token(self, request: Request) -> Template:
        identity = require_identity(request)
        data = await read_form(request)
        form = FormState(values={"name": data.get("name", "")[:100]})
        try:
            token, info = await issue_api_token(identity.user_id, data.get("name", ""))
        except DomainError as exc:
            form.add_error(exc)
            return await self._render(request, 422, token_form=form)
        # Shown in this response only: it is not stored anywhere we could show it again.
        return await self._render(request, 200, new_token={"token": token, "name": info.name})

    @post("/tokens/{token_id:int}/revoke", name="account_token_revoke")
    async def revoke_token(
        self, request: Request, token_id: Annotated[int, Parameter(ge=1, le=BIGINT_MAX)]
    ) -> Redirect:
        identity = require_identity(request)
        await revoke_api_token(identity.user_id, token_id)
        return _see("/account?done=revoked")
