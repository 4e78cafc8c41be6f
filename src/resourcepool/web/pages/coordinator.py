"""The coordinator area: organisations to verify, verified ones, adding one directly."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import PathParameter
from litestar.response import Redirect, Template

from resourcepool.errors import N_, DomainError
from resourcepool.organisations import queries, service
from resourcepool import i18n
from resourcepool.web.auth import coordinator_required, require_identity
from resourcepool.web.errors import status_for
from resourcepool.web.forms import FormState, read_form

Id = Annotated[int, PathParameter(ge=1, le=2**63 - 1)]
Slug = Annotated[str, PathParameter(max_length=64)]

DONE_MESSAGES = {
    "verified": N_("The organisation is verified. Its managers have been told by email."),
    "rejected": N_("The application has been declined. The managers have been told the reason."),
    "created": N_("The organisation has been added and verified."),
}


async def _page(request: Request, form: FormState | None = None, status: int = 200,
                flash: dict[str, str] | None = None) -> Template:
    identity = require_identity(request)
    key = request.query_params.get("done")
    if flash is None and key in DONE_MESSAGES:
        flash = {"kind": "ok", "message": i18n.gettext(DONE_MESSAGES[key])}
    return Template("coordinator/index.html", status_code=status, context={
        "networks": await queries.coordinator_overview(identity),
        "form": form or FormState(), "flash": flash,
    })


def _see(target: str) -> Redirect:
    return Redirect(target, status_code=303)


class CoordinatorPages(Controller):
    path = "/coordinator"
    guards = [coordinator_required]

    @get("/", name="coordinator")
    async def index(self, request: Request) -> Template:
        return await _page(request)

    @post("/{slug:str}/organisations/{organisation_id:int}/{decision:str}", name="coordinator_decide")
    async def decide(self, request: Request, slug: Slug, organisation_id: Id,
                     decision: Annotated[str, PathParameter(max_length=10)]) -> Redirect | Template:
        identity = require_identity(request)
        data = await read_form(request)
        note = data.get("note", "")
        form = FormState(values={f"note-{organisation_id}": note})
        try:
            network = await queries.get_network_by_slug(slug)
            if decision == "verify":
                await service.verify_organisation(identity, network.id, organisation_id, note)
            elif decision == "reject":
                await service.reject_organisation(identity, network.id, organisation_id, note)
            else:
                raise NotFoundException()
        except DomainError as exc:
            if status_for(exc) in (403, 404):
                raise
            form.errors[f"note-{organisation_id}"] = i18n.translate(exc.message, exc.params)
            return await _page(request, form, status=422)
        return _see(f"/coordinator?done={'verified' if decision == 'verify' else 'rejected'}#network-{slug}")

    @post("/{slug:str}/organisations", name="coordinator_create_organisation")
    async def create(self, request: Request, slug: Slug) -> Redirect | Template:
        identity = require_identity(request)
        data = await read_form(request)
        # Field names carry the network's slug: each network's form on the page has its own ids.
        prefix = f"new-{slug}-"
        form = FormState(values={k: v for k, v in data.items() if k.startswith(prefix)})
        try:
            await service.create_organisation(identity, slug, {
                k: data.get(prefix + k, "") for k in ("name", "sector", "district", "contact_email")
            })
        except DomainError as exc:
            if status_for(exc) in (403, 404):
                raise
            form.errors[prefix + (exc.field or "name")] = i18n.translate(exc.message, exc.params)
            return await _page(request, form, status=422)
        return _see(f"/coordinator?done=created#network-{slug}")
