"""Pure role checks on an Identity: who may see or do what with an organisation or network.

No database here: callers pass in the facts (the organisation's networks) they already read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from resourcepool.accounts.identity import Identity

# Where a network has verified the organisation or is deciding about it.
OPEN_STATUSES = ("pending", "verified")


def coordinates_any(identity: Identity | None, network_ids: Iterable[int]) -> bool:
    """True if the identity coordinates at least one of these networks."""
    if identity is None:
        return False
    return any(identity.coordinates(n) for n in network_ids)


def can_see_private(identity: Identity | None, organisation_id: int, network_ids: Iterable[int]) -> bool:
    """Contact details, members and pending status: its own members and its networks' coordinators.

    `network_ids` are the networks where it is pending or verified: a network that turned it
    down has no business with its private side any more.
    """
    if identity is None:
        return False
    return identity.is_member_of(organisation_id) or coordinates_any(identity, network_ids)


def can_manage(identity: Identity | None, organisation_id: int) -> bool:
    """Edit the organisation, invite and manage members: its managers only."""
    return identity is not None and identity.is_manager_of(organisation_id)


def coordinates_all(identity: Identity | None, network_ids: Iterable[int]) -> bool:
    """True if there are networks and the identity coordinates every one of them."""
    network_ids = list(network_ids)
    return identity is not None and bool(network_ids) and all(identity.coordinates(n) for n in network_ids)


def can_invite(identity: Identity | None, organisation_id: int, entries: Mapping[int, str]) -> bool:
    """Invite members: its managers, and coordinators whose networks hold it wholly.

    `entries` maps every network the organisation ever entered to its status there. Coordinators
    may invite because an organisation they add directly has no manager yet. But a member sees
    the organisation's bookings, assets and requests in *every* network it belongs to, so a
    coordinator may only do it when one of their networks verified it and every network it has
    (or had) an entry in is one they coordinate: a coordinator of network 2 must not buy
    themselves into network 1's business through an organisation both networks share.
    """
    if can_manage(identity, organisation_id):
        return True
    verified = [n for n, status in entries.items() if status == "verified"]
    return coordinates_any(identity, verified) and coordinates_all(identity, entries)


def can_change_verified(identity: Identity | None, entries: Mapping[int, str]) -> bool:
    """Change the name and sector, which verification vouches for: the coordinators of a network
    where the organisation is verified or waiting (its managers only while it is in none)."""
    return coordinates_any(identity, [n for n, status in entries.items() if status in OPEN_STATUSES])


def verified_fields_locked(entries: Mapping[int, str]) -> bool:
    """Whether a network has verified the organisation or is deciding about it: then its name
    and sector change only through that network's coordinators (see can_change_verified)."""
    return any(status in OPEN_STATUSES for status in entries.values())


def can_decide(identity: Identity | None, network_id: int) -> bool:
    """Verify or reject organisations of a network: that network's coordinators only."""
    return identity is not None and identity.coordinates(network_id)
