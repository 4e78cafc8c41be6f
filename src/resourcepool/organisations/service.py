"""Use cases of networks and organisations: create, apply to join, verify or reject, edit."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from zoneinfo import available_timezones

import asyncpg

from resourcepool import clock
from resourcepool.accounts.identity import Identity
from resourcepool.accounts.service import create_user, find_user_by_email, normalise_email, validate_name
from resourcepool.db import sql
from resourcepool.db.engine import DB
from resourcepool.errors import N_, Conflict, Forbidden, NotFound, ValidationFailed
from resourcepool.notifications import messages
from resourcepool.notifications.outbox import enqueue_message
from resourcepool.organisations import access
from resourcepool.organisations.queries import SLUG, NetworkInfo, get_network, get_network_by_slug, network_entries
from resourcepool.organisations.tables import SECTORS
from resourcepool.settings import get_settings
from resourcepool.textrules import clean_text

LOCALES = ("de", "en")
DETAIL_LIMITS = {"description": 5000, "address": 500, "district": 100, "contact_phone": 50, "website": 500}
DETAIL_FIELDS_ALL = ("name", "sector", *DETAIL_LIMITS, "contact_email")


@dataclass(frozen=True)
class Application:
    organisation_id: int
    user_id: int
    network_id: int


@lru_cache(maxsize=1)
def _timezones() -> frozenset[str]:
    return frozenset(available_timezones())


def validate_timezone(name: str) -> str:
    name = (name or "").strip()
    if name not in _timezones():
        raise ValidationFailed(N_("Unknown timezone: please use an IANA name such as Europe/Berlin."),
                               field="timezone")
    return name


def validate_slug(slug: str) -> str:
    slug = (slug or "").strip()
    if not SLUG.match(slug):
        raise ValidationFailed(
            N_("The short name may contain lower-case letters, digits and hyphens (at most 64)."),
            field="slug",
        )
    return slug


def validate_sector(sector: str) -> str:
    if sector not in SECTORS:
        raise ValidationFailed(N_("Please choose a sector."), field="sector")
    return sector


def clean_details(data: dict[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """The organisation fields of `data`, checked; with partial=True only those present."""
    cleaned: dict[str, Any] = {}
    if not partial or "name" in data:
        cleaned["name"] = validate_name(data.get("name", ""))
    if not partial or "sector" in data:
        cleaned["sector"] = validate_sector(data.get("sector", ""))
    for key, limit in DETAIL_LIMITS.items():
        if key in data or not partial:
            # NUL and other control characters cannot be stored (a 500 otherwise); line
            # breaks belong in the description only.
            cleaned[key] = clean_text(data.get(key), key, max_length=limit, multiline=key == "description")
    if cleaned.get("website") and not re.match(r"^https?://[^\s/]+\.[^\s]+$", cleaned["website"]):
        raise ValidationFailed(N_("Please enter a web address starting with https://."), field="website")
    if "contact_email" in data or not partial:
        value = clean_text(data.get("contact_email"), "contact_email", max_length=254)
        if value:
            try:
                value = normalise_email(value)
            except ValidationFailed as exc:
                raise ValidationFailed(exc.message, field="contact_email") from None
        cleaned["contact_email"] = value
    return cleaned


# --- networks ----------------------------------------------------------------------------------

async def create_network(
    slug: str,
    name: str,
    *,
    timezone: str = "Europe/Berlin",
    locale: str = "de",
    public_catalogue: bool = False,
    description: str = "",
) -> NetworkInfo:
    """A new network; its slug is the short name in URLs and the API."""
    slug = validate_slug(slug)
    name = validate_name(name)
    timezone = validate_timezone(timezone)
    if locale not in LOCALES:
        raise ValidationFailed(N_("Unknown language."), field="locale")
    description = clean_text(description, "description", max_length=5000, multiline=True)
    try:
        row = await sql.fetch_one(
            """INSERT INTO network (slug, name, timezone, locale, public_catalogue, description, created_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id""",
            slug, name, timezone, locale, public_catalogue, description or "", clock.now(),
        )
    except asyncpg.UniqueViolationError:
        raise Conflict(N_("A network with this short name already exists."), field="slug") from None
    return NetworkInfo(row["id"], slug, name, timezone, locale, public_catalogue, description or "")  # type: ignore[index]


async def add_coordinator(network_slug: str, user_id: int) -> None:
    """Make a user a coordinator of a network (idempotent)."""
    network = await get_network_by_slug(network_slug)
    await sql.execute(
        """INSERT INTO coordinator (network_id, user_id, created_at) VALUES ($1, $2, $3)
           ON CONFLICT (network_id, user_id) DO NOTHING""",
        network.id, user_id, clock.now(),
    )


# --- organisations -----------------------------------------------------------------------------

async def _insert_organisation(details: dict[str, Any]) -> int:
    return await sql.fetch_value(
        """INSERT INTO organisation (name, sector, description, address, district, contact_email,
                                     contact_phone, website, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id""",
        details["name"], details["sector"], details.get("description", ""), details.get("address", ""),
        details.get("district", ""), details.get("contact_email", ""), details.get("contact_phone", ""),
        details.get("website", ""), clock.now(),
    )


async def _require_coordinator(identity: Identity, network_slug: str) -> NetworkInfo:
    network = await get_network_by_slug(network_slug)
    if not access.can_decide(identity, network.id):
        raise Forbidden(N_("Only coordinators of this network may do this."))
    return network


async def create_organisation(identity: Identity, network_slug: str, data: dict[str, Any]) -> int:
    """A coordinator adds an organisation to their network; it is verified at once."""
    details = clean_details(data)
    async with DB.transaction():
        network = await _require_coordinator(identity, network_slug)
        organisation_id = await _insert_organisation(details)
        now = clock.now()
        await sql.execute(
            """INSERT INTO network_organisation (network_id, organisation_id, status, applied_at,
                                                 decided_at, decided_by)
               VALUES ($1, $2, 'verified', $3, $3, $4)""",
            network.id, organisation_id, now, identity.user_id,
        )
    return organisation_id


async def apply_to_join(
    network_slug: str,
    data: dict[str, Any],
    *,
    manager_name: str,
    manager_email: str,
    manager_password: str,
    locale: str | None = None,
) -> Application:
    """A new organisation applies: organisation (pending), its first manager and membership, at once."""
    details = clean_details(data)
    manager_name = validate_name(manager_name, field="manager_name")
    async with DB.transaction():
        network = await get_network_by_slug(network_slug)
        organisation_id = await _insert_organisation(details)
        user_id = await create_user(manager_email, manager_name, password=manager_password, locale=locale)
        await sql.execute(
            "INSERT INTO membership (user_id, organisation_id, role, created_at) VALUES ($1, $2, 'manager', $3)",
            user_id, organisation_id, clock.now(),
        )
        await _enter_network(network, organisation_id, details["name"])
    return Application(organisation_id, user_id, network.id)


async def apply_to_network(identity: Identity, organisation_id: int, network_slug: str) -> None:
    """A manager applies with their organisation to a further network (or again after a refusal)."""
    if not access.can_manage(identity, organisation_id):
        raise Forbidden(N_("Only managers of this organisation may do this."))
    async with DB.transaction():
        network = await get_network_by_slug(network_slug)
        current = await sql.fetch_value(
            "SELECT status FROM network_organisation WHERE network_id = $1 AND organisation_id = $2 FOR UPDATE",
            network.id, organisation_id,
        )
        if current in ("pending", "verified"):
            raise Conflict(N_("Your organisation is already in this network or waiting for it."),
                           field="network")
        name = await sql.fetch_value("SELECT name FROM organisation WHERE id = $1", organisation_id)
        await _enter_network(network, organisation_id, name)


async def _enter_network(network: NetworkInfo, organisation_id: int, organisation_name: str,
                         message: str = "application", **values: str) -> None:
    """Put an organisation on the network's waiting list and tell its coordinators (`message`)."""
    await sql.execute(
        """INSERT INTO network_organisation (network_id, organisation_id, status, applied_at)
           VALUES ($1, $2, 'pending', $3)
           ON CONFLICT (network_id, organisation_id) DO UPDATE
           SET status = 'pending', applied_at = $3, decided_at = NULL, decided_by = NULL, decision_note = ''""",
        network.id, organisation_id, clock.now(),
    )
    coordinators = await sql.fetch(
        """SELECT u.email, u.name, u.locale FROM coordinator c JOIN app_user u ON u.id = c.user_id
           WHERE c.network_id = $1 AND u.is_active""",
        network.id,
    )
    for c in coordinators:
        subject, body = messages.render(
            message, c["locale"], name=c["name"], organisation=organisation_name,
            network=network.name, url=f"{get_settings().base_url}/coordinator", **values,
        )
        await enqueue_message(c["email"], subject, body, to_name=c["name"])


async def _decide(identity: Identity, network_id: int, organisation_id: int, status: str, note: str) -> None:
    note = clean_text(note, "note", max_length=2000, multiline=True)
    if status == "rejected" and not note:
        raise ValidationFailed(N_("Please give a reason; the organisation will see it."), field="note")
    async with DB.transaction():
        network = await get_network(network_id)
        if not access.can_decide(identity, network.id):
            raise Forbidden(N_("Only coordinators of this network may do this."))
        row = await sql.fetch_one(
            """UPDATE network_organisation SET status = $3, decided_at = $4, decided_by = $5, decision_note = $6
               WHERE network_id = $1 AND organisation_id = $2
               RETURNING (SELECT name FROM organisation WHERE id = $2) AS name""",
            network.id, organisation_id, status, clock.now(), identity.user_id, note,
        )
        if row is None:
            raise NotFound(N_("This organisation has not applied to this network."))
        managers = await sql.fetch(
            """SELECT u.email, u.name, u.locale FROM membership m JOIN app_user u ON u.id = m.user_id
               WHERE m.organisation_id = $1 AND m.role = 'manager' AND u.is_active""",
            organisation_id,
        )
        for m in managers:
            subject, body = messages.render(
                status, m["locale"], name=m["name"], organisation=row["name"], network=network.name,
                note=note, url=f"{get_settings().base_url}/organisations/{organisation_id}",
            )
            await enqueue_message(m["email"], subject, body, to_name=m["name"])


async def verify_organisation(identity: Identity, network_id: int, organisation_id: int, note: str = "") -> None:
    """A coordinator of the network admits the organisation: it may now book and offer there."""
    await _decide(identity, network_id, organisation_id, "verified", note)


async def reject_organisation(identity: Identity, network_id: int, organisation_id: int, note: str) -> None:
    """A coordinator of the network turns the application down, with a reason the managers see."""
    await _decide(identity, network_id, organisation_id, "rejected", note)


VERIFIED_FIELDS = ("name", "sector")


async def update_organisation(identity: Identity, organisation_id: int, data: dict[str, Any]) -> None:
    """Change an organisation's details (only the fields given; unchanged values are no change).

    Its managers change the details. The name and sector are what verification vouches for
    (SPEC §8 Trust): once a network has verified the organisation or is deciding about it, they
    change only through the coordinators of such a network. A coordinator's change sends the
    organisation back to pending in the networks they do not coordinate — its bookings and holds
    stay as they are — and those networks' coordinators are asked to verify it again. The
    database refuses any other writer (trigger `organisation_verified_fields`).
    """
    changes = clean_details(data, partial=True)
    async with DB.transaction():
        # NO KEY UPDATE: the organisation's own bookings (foreign keys) need not wait.
        current = await sql.fetch_one(
            f"SELECT {', '.join(DETAIL_FIELDS_ALL)} FROM organisation WHERE id = $1 FOR NO KEY UPDATE",
            organisation_id,
        )
        if current is None:
            raise NotFound(N_("No such organisation."))
        entries = await network_entries(organisation_id)
        manager = access.can_manage(identity, organisation_id)
        coordinator = access.can_change_verified(identity, entries)
        if not (manager or coordinator):
            raise Forbidden(N_("Only managers of this organisation may do this."))
        changes = {k: v for k, v in changes.items() if v != current[k]}
        vouched = [k for k in changes if k in VERIFIED_FIELDS]
        locked = access.verified_fields_locked(entries)
        if vouched and locked and not coordinator:
            raise Forbidden(N_("The network's coordinators have verified the name and sector. "
                               "Please ask them to change them."), field=vouched[0])
        if any(k not in VERIFIED_FIELDS for k in changes) and not manager:
            raise Forbidden(N_("Only managers of this organisation may do this."))
        if not changes:
            return
        if vouched and locked:
            # The trigger lets a coordinator of one of its networks through, no one else.
            await sql.execute("SELECT set_config('resourcepool.acting_coordinator', $1, true)",
                              str(identity.user_id))
        assignments = ", ".join(f"{key} = ${i}" for i, key in enumerate(changes, start=2))
        try:
            await sql.execute(f"UPDATE organisation SET {assignments} WHERE id = $1",
                              organisation_id, *changes.values())
        except asyncpg.InsufficientPrivilegeError:
            raise Forbidden(N_("The network's coordinators have verified the name and sector. "
                               "Please ask them to change them."), field=vouched[0]) from None
        if vouched and locked:
            await _verify_again_elsewhere(identity, organisation_id, entries,
                                          changes.get("name", current["name"]))


async def _verify_again_elsewhere(identity: Identity, organisation_id: int, entries: dict[int, str],
                                  name: str) -> None:
    """After a coordinator changed what verification vouches for: the other networks that had
    verified the organisation verify it again (pending; bookings and holds untouched)."""
    by = min(n for n, status in entries.items()
             if status in access.OPEN_STATUSES and identity.coordinates(n))
    by_name = (await get_network(by)).name
    for network_id, status in sorted(entries.items()):
        if status == "verified" and not identity.coordinates(network_id):
            await _enter_network(await get_network(network_id), organisation_id, name,
                                 "verify_again", changed_by=by_name)


async def create_coordinator(network_slug: str, email: str, name: str, password: str | None) -> int:
    """Make a user (created if new) a coordinator of a network; returns the user id."""
    async with DB.transaction():
        network = await get_network_by_slug(network_slug)
        user = await find_user_by_email(email)
        user_id = user.id if user else await create_user(email, name, password=password)
        await add_coordinator(network.slug, user_id)
    return user_id
