"""'Our assets': managers list, add and edit their organisations' assets (no JavaScript needed).

Also serves an asset's photo at /assets/{id}/photo to whoever may see the asset.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from litestar import Controller, Request, get, post
from litestar.params import PathParameter
from litestar.response import Redirect, Response, Template

from resourcepool.assets import hours, photos, queries, rules, service
from resourcepool.availability import closure_choices, closures
from resourcepool.calendar_feeds import external
from resourcepool.errors import N_, DomainError, Forbidden, PolicyViolation, ValidationFailed
from resourcepool.organisations.queries import organisation_names
from resourcepool import i18n
from resourcepool.web.api.assets import read_upload
from resourcepool.web.auth import current_identity, login_required, require_identity
from resourcepool.web.errors import status_for
from resourcepool.textrules import check_year
from resourcepool.web.forms import FormState, read_form, read_form_lists

Id = Annotated[int, PathParameter(ge=1, le=2**63 - 1)]
WEEKDAYS = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"),
            N_("Saturday"), N_("Sunday"))
KIND_NAMES = {"room": N_("Room"), "vehicle": N_("Vehicle"), "device": N_("Device"),
              "expertise": N_("Expertise")}
STATUS_NAMES = {"draft": N_("Draft"), "active": N_("Active"), "paused": N_("Paused"),
                "retired": N_("Retired")}
FEATURE_NAMES = {"step_free": N_("Step-free access"), "accessible_toilet": N_("Accessible toilet"),
                 "hearing_loop": N_("Hearing loop"), "lift": N_("Lift"),
                 "parking_disabled": N_("Disabled parking"), "baby_changing": N_("Baby changing")}
FUEL_NAMES = {"petrol": N_("Petrol"), "diesel": N_("Diesel"), "electric": N_("Electric"),
              "hybrid": N_("Hybrid"), "other": N_("Other")}
DELIVERY_NAMES = {"on_site": N_("On site"), "remote": N_("Remote"), "both": N_("On site or remote")}
SECTOR_NAMES = {"nonprofit": N_("Non-profit"), "business": N_("Business"),
                "municipality": N_("Municipality"), "informal": N_("Informal group")}
DONE_MESSAGES = {
    "created": N_("The asset has been created."),
    "saved": N_("The changes have been saved."),
    "hours": N_("The opening hours have been saved."),
    "closure": N_("The closure has been added."),
    "closure_removed": N_("The closure has been removed."),
    "calendar": N_("The external calendar has been imported."),
    "calendar_removed": N_("The external calendar is no longer imported."),
    "photo": N_("The photo has been saved."),
    "photo_removed": N_("The photo has been removed."),
    "paused": N_("The asset is paused."),
    "active": N_("The asset is active."),
    "retired": N_("The asset is retired."),
}
STATUS_ACTIONS = {"pause": "paused", "activate": "active", "retire": "retired"}

INT_FIELDS = ("quantity", "capacity", "area_m2", "seats", "cargo_volume_l", "min_duration_minutes",
              "max_duration_minutes", "slot_minutes", "lead_time_minutes", "horizon_days",
              "buffer_before_minutes", "buffer_after_minutes", "cancellation_deadline_hours",
              "credits_per_hour")
TEXT_FIELDS = ("title", "description", "address", "district", "usage_instructions",
               "licence_class", "category", "fuel", "delivery")
HOUR_ROWS = 2  # intervals offered per weekday (more appear when a day already has more)


def _see(target: str) -> Redirect:
    return Redirect(target, status_code=303)


def _flash(request: Request) -> dict[str, str] | None:
    key = request.query_params.get("done")
    if key in DONE_MESSAGES:
        return {"kind": "ok", "message": i18n.gettext(DONE_MESSAGES[key])}
    return None


def _names() -> dict[str, Any]:
    return {"WEEKDAYS": WEEKDAYS, "KIND_NAMES": KIND_NAMES, "STATUS_NAMES": STATUS_NAMES,
            "FEATURE_NAMES": FEATURE_NAMES, "FUEL_NAMES": FUEL_NAMES,
            "DELIVERY_NAMES": DELIVERY_NAMES, "SECTOR_NAMES": SECTOR_NAMES, "KINDS": rules.KINDS,
            "KIND_FIELDS": rules.KIND_FIELDS}


def _managed_orgs(request: Request) -> list[int]:
    orgs = queries.managed_org_ids(require_identity(request))
    if not orgs:
        raise Forbidden(N_("Only managers of an organisation may manage its assets."))
    return orgs


# --- form <-> fields -------------------------------------------------------------------


def _parse_int(name: str, text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise ValidationFailed(N_("Enter a whole number."), field=name) from None


def _parse_number(name: str, text: str) -> float | None:
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise ValidationFailed(N_("Enter a number."), field=name) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValidationFailed(N_("Enter a number."), field=name)
    return value


def fields_from_form(kind: str, form: dict[str, list[str]]) -> dict[str, Any]:
    """The posted asset form as the service's typed fields (only this kind's fields)."""
    def one(name: str) -> str:
        return (form.get(name) or [""])[-1]

    wanted = set(rules.COMMON_FIELDS) | set(rules.KIND_FIELDS[kind]) | set(rules.POLICY_FIELDS)
    data: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        if name in wanted:
            data[name] = one(name)
    for name in INT_FIELDS:
        if name in wanted:
            data[name] = _parse_int(name, one(name))
    for name in ("latitude", "longitude"):
        data[name] = _parse_number(name, one(name))
    if kind == "room":
        data["accessibility"] = form.get("accessibility", [])
    if kind == "expertise":
        for name in ("topics", "languages"):
            data[name] = [part.strip() for part in one(name).split(",") if part.strip()]
    data["approval_required"] = one("approval_required") == "1"
    data["allowed_sectors"] = form.get("allowed_sectors", []) or None
    euros = _parse_number("replacement_value_per_hour", one("replacement_value_per_hour"))
    if euros is not None and not 0 <= euros <= 1_000_000:
        raise ValidationFailed(N_("Enter a number from %(low)s to %(high)s."),
                               field="replacement_value_per_hour", low=0, high=1_000_000)
    data["replacement_value_per_hour_cents"] = round((euros or 0) * 100)
    if kind != "device":
        data.pop("quantity", None)
    # Empty policy numbers mean "keep the kind's default".
    for name in rules.POLICY_FIELDS:
        if data.get(name, 0) is None:
            del data[name]
    return data


def hours_from_form(form: dict[str, list[str]]) -> list[tuple[int, str, str]]:
    """Weekday rows h<day>_<n>_from / _until; a row left empty is skipped."""
    rows = []
    for day in range(7):
        for n in range(12):
            start = (form.get(f"h{day}_{n}_from") or [""])[-1].strip()
            end = (form.get(f"h{day}_{n}_until") or [""])[-1].strip()
            if not start and not end:
                continue
            if not start or not end:
                raise ValidationFailed(N_("Enter both times, from and until."),
                                       field=f"opening_hours.{day}")
            rows.append((day, start, end))
    return rows


def values_from_asset(asset: dict[str, Any]) -> dict[str, Any]:
    """The stored asset as form values (strings and lists)."""
    values: dict[str, Any] = {}
    for name in (*TEXT_FIELDS, *INT_FIELDS):
        value = asset.get(name)
        values[name] = "" if value is None else str(value)
    for name in ("latitude", "longitude"):
        values[name] = "" if asset.get(name) is None else str(asset[name])
    values["accessibility"] = list(asset.get("accessibility") or [])
    values["topics"] = ", ".join(asset.get("topics") or [])
    values["languages"] = ", ".join(asset.get("languages") or [])
    values["approval_required"] = bool(asset.get("approval_required"))
    values["allowed_sectors"] = list(asset.get("allowed_sectors") or [])
    cents = asset.get("replacement_value_per_hour_cents") or 0
    values["replacement_value_per_hour"] = f"{cents / 100:.2f}"
    values["networks"] = [n["slug"] for n in asset.get("networks", [])]
    return values


def values_from_form(form: dict[str, list[str]]) -> dict[str, Any]:
    """What was posted, to show again next to the errors."""
    values: dict[str, Any] = {k: v[-1] for k, v in form.items()}
    for name in ("accessibility", "allowed_sectors", "networks"):
        values[name] = form.get(name, [])
    values["approval_required"] = (form.get("approval_required") or [""])[-1] == "1"
    return values


def hour_rows(stored: list[dict[str, Any]], form: dict[str, list[str]] | None = None) -> list[dict[str, Any]]:
    """Seven weekday rows, each with at least two from/until pairs, for the editor."""
    days = []
    for day in range(7):
        if form is not None:
            pairs = [((form.get(f"h{day}_{n}_from") or [""])[-1], (form.get(f"h{day}_{n}_until") or [""])[-1])
                     for n in range(12) if f"h{day}_{n}_from" in form or f"h{day}_{n}_until" in form]
        else:
            pairs = [(rules.format_hhmm(h["start_minute"]), rules.format_hhmm(h["end_minute"]))
                     for h in stored if h["weekday"] == day]
        while len(pairs) < HOUR_ROWS:
            pairs.append(("", ""))
        days.append({"weekday": day, "name": WEEKDAYS[day], "pairs": pairs})
    return days


def closure_rows(asset: dict[str, Any]) -> list[dict[str, Any]]:
    zone = ZoneInfo(asset["timezone"])
    return [{**c, "start_local": c["starts_at"].astimezone(zone), "end_local": c["ends_at"].astimezone(zone),
             "words": closure_choices.describe(c["rrule"], c["starts_at"], asset["timezone"]) if c["rrule"] else None}
            for c in asset["closures"]]


def _closure_start(data: dict[str, str], asset: dict[str, Any]) -> datetime:
    """The closure's start as local wall-clock time (its weekday and day drive the repeat)."""
    start = hours.parse_local(data.get("start", ""), field="start")
    return start.astimezone(ZoneInfo(asset["timezone"])) if start.tzinfo else start


def _optional_date(text: str, name: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        value = date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(N_("Enter a date like 2026-05-04."), field=name) from None
    check_year(value, name)
    return value


# --- pages -----------------------------------------------------------------------------


class OurAssetsPages(Controller):
    path = "/our-assets"
    guards = [login_required]

    @get("/", name="our_assets")
    async def list_assets(self, request: Request) -> Template:
        identity = require_identity(request)
        orgs = _managed_orgs(request)
        assets = await queries.assets_of(orgs)
        groups: dict[int, dict[str, Any]] = {}
        for org in orgs:
            groups[org] = {"id": org, "name": None, "assets": []}
        for asset in assets:
            group = groups[asset["organisation_id"]]
            group["name"] = asset["organisation_name"]
            group["assets"].append(asset)
        names = await organisation_names(orgs)
        for org, group in groups.items():
            group["name"] = group["name"] or names.get(org, "")
        return Template("our_assets/list.html", context={
            "groups": list(groups.values()), "flash": _flash(request), "identity": identity,
            **_names()})

    @get("/new", name="our_assets_new")
    async def new_form(self, request: Request) -> Template:
        orgs = _managed_orgs(request)
        kind = request.query_params.get("kind")
        org_text = request.query_params.get("organisation_id", "")
        organisation_id = int(org_text) if org_text.isdigit() and int(org_text) in orgs else orgs[0]
        if kind not in rules.KINDS:
            return await _new_page(request, orgs, None, organisation_id, FormState())
        defaults = {**rules.policy_defaults(kind), "quantity": 1}
        networks = await queries.offerable_networks(organisation_id)
        values = values_from_asset({**defaults, "networks": networks})
        return await _new_page(request, orgs, kind, organisation_id, FormState(values=values))

    @post("/new", name="our_assets_create")
    async def create(self, request: Request) -> Template | Redirect:
        identity = require_identity(request)
        orgs = _managed_orgs(request)
        form = await read_form_lists(request)
        kind = (form.get("kind") or [""])[-1]
        org_text = (form.get("organisation_id") or [""])[-1]
        organisation_id = int(org_text) if org_text.isdigit() and len(org_text) < 19 else 0
        state = FormState(values=values_from_form(form))
        if kind not in rules.KINDS:
            return await _new_page(request, orgs, None, orgs[0], state, 422)
        try:
            data = fields_from_form(kind, form)
            data.update(organisation_id=organisation_id, kind=kind,
                        status="draft" if (form.get("draft") or [""])[-1] == "1" else "active",
                        networks=form.get("networks", []),
                        opening_hours=hours_from_form(form))
            asset = await service.create_asset(identity, data)
        except DomainError as exc:
            if status_for(exc) in (401, 403) and exc.field is None:
                raise
            state.add_error(exc)
            hour_values = hour_rows([], form)
            return await _new_page(request, orgs, kind, organisation_id if organisation_id in orgs else orgs[0],
                                   state, status_for(exc), hour_values)
        return _see(f"/our-assets/{asset['id']}/edit?done=created")

    @get("/{asset_id:int}/edit", name="our_assets_edit")
    async def edit_form(self, request: Request, asset_id: Id) -> Template:
        asset = await service.get_managed_asset(current_identity(request), asset_id)
        return await _edit_page(request, asset, FormState(values=values_from_asset(asset)))

    @post("/{asset_id:int}/edit", name="our_assets_update")
    async def update(self, request: Request, asset_id: Id) -> Template | Redirect:
        identity = current_identity(request)
        asset = await service.get_managed_asset(identity, asset_id)
        form = await read_form_lists(request)
        state = FormState(values=values_from_form(form))
        try:
            changes = fields_from_form(asset["kind"], form)
            changes["networks"] = form.get("networks", [])
            await service.update_asset(identity, asset_id, changes)
        except DomainError as exc:
            if status_for(exc) in (401, 403, 404):
                raise
            state.add_error(exc)
            return await _edit_page(request, asset, state, status=status_for(exc))
        return _see(f"/our-assets/{asset_id}/edit?done=saved")

    @post("/{asset_id:int}/status", name="our_assets_status")
    async def change_status(self, request: Request, asset_id: Id) -> Template | Redirect:
        identity = current_identity(request)
        data = await read_form(request)
        status = STATUS_ACTIONS.get(data.get("action", ""))
        if status is None:
            raise ValidationFailed(N_("Unknown action."))
        await service.change_status(identity, asset_id, status)
        back = "/our-assets" if data.get("back") != "edit" else f"/our-assets/{asset_id}/edit"
        return _see(f"{back}?done={status}")

    @post("/{asset_id:int}/hours", name="our_assets_hours")
    async def set_hours(self, request: Request, asset_id: Id) -> Template | Redirect:
        identity = current_identity(request)
        asset = await service.get_managed_asset(identity, asset_id)
        form = await read_form_lists(request)
        try:
            await hours.set_opening_hours(identity, asset_id, hours_from_form(form))
        except ValidationFailed as exc:
            state = FormState(values=values_from_asset(asset))
            state.add_error(exc)
            return await _edit_page(request, asset, state, status=422, hour_values=hour_rows([], form))
        return _see(f"/our-assets/{asset_id}/edit?done=hours#hours")

    @post("/{asset_id:int}/closures", name="our_assets_add_closure")
    async def add_closure(self, request: Request, asset_id: Id) -> Template | Redirect:
        identity = current_identity(request)
        asset = await service.get_managed_asset(identity, asset_id)
        data = await read_form(request)
        try:
            rrule = closure_choices.closure_rule(data.get("repeat", ""), _closure_start(data, asset),
                                                 _optional_date(data.get("until", ""), "until"))
            await closures.add_closure(identity, asset_id, data.get("start", ""), data.get("end", ""),
                                       rrule, data.get("reason", ""))
        except (ValidationFailed, PolicyViolation) as exc:
            if exc.field == "rrule":
                exc.field = "repeat"  # the form has no rule field: the choice made it
            state = FormState(values=values_from_asset(asset))
            closure_state = FormState(values=data)
            closure_state.add_error(exc)
            return await _edit_page(request, asset, state, status=422, closure_form=closure_state)
        return _see(f"/our-assets/{asset_id}/edit?done=closure#closures")

    @post("/{asset_id:int}/closures/{closure_id:int}/delete", name="our_assets_remove_closure")
    async def remove_closure(self, request: Request, asset_id: Id, closure_id: Id) -> Redirect:
        await closures.remove_closure(current_identity(request), asset_id, closure_id)
        return _see(f"/our-assets/{asset_id}/edit?done=closure_removed#closures")

    @post("/{asset_id:int}/photo", name="our_assets_photo")
    async def upload_photo(self, request: Request, asset_id: Id) -> Template | Redirect:
        identity = current_identity(request)
        asset = await service.get_managed_asset(identity, asset_id)
        data = await read_upload(request)
        try:
            await photos.set_photo(identity, asset_id, data)
        except ValidationFailed as exc:
            state = FormState(values=values_from_asset(asset))
            state.add_error(exc)
            return await _edit_page(request, asset, state, status=415 if exc.code == "unsupported_media_type"
                              else 413 if exc.code == "payload_too_large" else 422)
        return _see(f"/our-assets/{asset_id}/edit?done=photo#photo")

    @post("/{asset_id:int}/photo/delete", name="our_assets_remove_photo")
    async def remove_photo(self, request: Request, asset_id: Id) -> Redirect:
        await photos.remove_photo(current_identity(request), asset_id)
        return _see(f"/our-assets/{asset_id}/edit?done=photo_removed#photo")


class AssetPhotoPages(Controller):
    @get("/assets/{asset_id:int}/photo", name="asset_photo")
    async def photo(self, request: Request, asset_id: Id) -> Response[bytes]:
        photo = await photos.get_photo(current_identity(request), asset_id)
        headers = {
            "X-Content-Type-Options": "nosniff",
            "Content-Disposition": f'inline; filename="{photo.filename}"',
            # Private: who may see a photo depends on who asks.
            "Cache-Control": "private, max-age=3600",
            "ETag": photo.etag,
            "Vary": "Cookie",
        }
        if request.headers.get("if-none-match") == photo.etag:
            return Response(b"", status_code=304, headers=headers)
        return Response(photo.data, media_type=photo.content_type, headers=headers)


# --- rendering ----------------------------------------------------------------------------


async def _new_page(request: Request, orgs: list[int], kind: str | None, organisation_id: int,
                    state: FormState, status: int = 200,
                    hour_values: list[dict[str, Any]] | None = None) -> Template:
    names = await organisation_names(orgs)
    networks = await queries.offerable_networks(organisation_id)
    return Template("our_assets/new.html", status_code=status, context={
        "kind": kind, "organisations": [(o, names.get(o, "")) for o in orgs],
        "organisation_id": organisation_id, "form": state, "values": state.values,
        "errors": state.errors, "offerable_networks": networks,
        "hour_days": hour_values or hour_rows([]), **_names()})


async def _edit_page(request: Request, asset: dict[str, Any], state: FormState, *, status: int = 200,
                     hour_values: list[dict[str, Any]] | None = None,
                     closure_form: FormState | None = None,
                     calendar_form: FormState | None = None) -> Template:
    calendar = await external.external_calendar(current_identity(request), asset["id"])
    return Template("our_assets/edit.html", status_code=status, context={
        "asset": asset, "kind": asset["kind"], "form": state, "values": state.values,
        "errors": state.errors, "offerable_networks": asset["offerable_networks"],
        "hour_days": hour_values or hour_rows(asset["opening_hours"]),
        "closures": closure_rows(asset), "closure_form": closure_form or FormState(),
        "repeat_choices": [(k, i18n.gettext(v)) for k, v in closure_choices.REPEATS.items()],
        "external_calendar": _calendar_view(calendar), "calendar_form": calendar_form or FormState(),
        "flash": _flash(request), "now": datetime.now(ZoneInfo(asset["timezone"])),
        **_names()})


def _calendar_view(calendar: Any) -> dict[str, Any] | None:
    if calendar is None:
        return None
    return {**calendar.__dict__, "error_text": i18n.translate(calendar.error, calendar.error_params)
            if calendar.error else ""}
