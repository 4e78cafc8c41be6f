"""Landing page and the language switch."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.response import Redirect, Template

from resourcepool.accounts.service import set_user_language
from resourcepool.organisations.invitations import membership_offers
from resourcepool.organisations.queries import waiting_for_verification
from resourcepool.settings import get_settings
from resourcepool.stats.service import get_landing_headlines
from resourcepool import i18n
from resourcepool.web.auth import LANGUAGE_COOKIE, current_identity
from resourcepool.web.forms import read_form
from resourcepool.web.pages.common import safe_next


class HomePages(Controller):
    @get("/", name="home")
    async def landing(self, request: Request) -> Template:
        identity = current_identity(request)
        headlines = await get_landing_headlines(identity)
        waiting = await waiting_for_verification(identity.user_id) if identity else []
        offers = await membership_offers(identity.user_id) if identity else []
        return Template("home/landing.html", context={"headlines": headlines, "waiting": waiting,
                                                      "offers": offers})

    @post("/language", name="language")
    async def switch_language(self, request: Request) -> Redirect:
        data = await read_form(request)
        language = data.get("language", "")
        if language not in i18n.LANGUAGES:
            language = i18n.DEFAULT_LANGUAGE
        identity = current_identity(request)
        if identity is not None:
            await set_user_language(identity.user_id, language)
        response = Redirect(safe_next(data.get("next")))
        response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 86400, httponly=True, samesite="lax",
                            secure=get_settings().https)
        return response
