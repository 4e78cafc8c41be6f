"""Apply to join a network: a new organisation and its first manager, waiting for verification."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.response import Template

from resourcepool.errors import DomainError
from resourcepool.organisations import queries, service
from resourcepool import i18n
from resourcepool.web.forms import FormState, read_form

ORGANISATION_FIELDS = ("name", "sector", "description", "address", "district", "contact_email",
                       "contact_phone", "website")


async def _form(request: Request, form: FormState, status: int = 200) -> Template:
    networks = await queries.list_networks()
    if "network" not in form.values and len(networks) == 1:
        form.values["network"] = networks[0].slug
    requested = request.query_params.get("network")
    if requested and "network" not in form.values:
        form.values["network"] = requested
    return Template("apply/form.html", context={"form": form, "networks": networks,
                    "network_options": [(n.slug, n.name) for n in networks]}, status_code=status)


class ApplyPages(Controller):
    @get("/apply", name="apply")
    async def show(self, request: Request) -> Template:
        return await _form(request, FormState())

    @post("/apply", name="apply_submit")
    async def submit(self, request: Request) -> Template:
        data = await read_form(request)
        form = FormState(values={k: v for k, v in data.items() if k != "password"})
        details: dict[str, Any] = {k: data.get(k, "") for k in ORGANISATION_FIELDS}
        try:
            application = await service.apply_to_join(
                data.get("network", ""), details,
                manager_name=data.get("manager_name", ""),
                manager_email=data.get("email", ""),
                manager_password=data.get("password", ""),
                locale=i18n.current_language(),
            )
        except DomainError as exc:
            form.add_error(exc)
            return await _form(request, form, status=422)
        network = await queries.get_network(application.network_id)
        return Template("apply/submitted.html", context={
            "organisation_name": details["name"].strip(), "network": network,
            "email": data.get("email", "").strip(),
        })
