"""Pure role checks on an Identity: who may see or do what with an organisation or network.

No database here: callers pass in the facts (the organisation's networks) they already read.
"""

from __future__ import annotations

from collections.abc import Iterable

from resourcepool.accounts.identity import Identity


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


def can_invite(identity: Identity | None, organisation_id: int, verified_network_ids: Iterable[int]) -> bool:
    """Invite members: its managers, and the coordinators of a network that verified it.

    Coordinators may, because an organisation they add directly has no manager yet.
    """
    return can_manage(identity, organisation_id) or coordinates_any(identity, verified_network_ids)


def can_decide(identity: Identity | None, network_id: int) -> bool:
    """Verify or reject organisations of a network: that network's coordinators only."""
    return identity is not None and identity.coordinates(network_id)
