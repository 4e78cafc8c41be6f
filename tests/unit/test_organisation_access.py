"""Pure role checks: members see the private side, managers manage, coordinators decide."""

from resourcepool.accounts.identity import Identity
from resourcepool.organisations import access


def _who(roles=None, coordinated=()):
    return Identity(1, "a@b.example", "A", None, roles or {}, frozenset(coordinated))


def test_member_sees_private_side_of_own_organisation_only():
    member = _who({10: "member"})
    assert access.can_see_private(member, 10, [1])
    assert not access.can_see_private(member, 11, [1])


def test_coordinator_sees_private_side_in_own_network_only():
    coordinator = _who(coordinated=[1])
    assert access.can_see_private(coordinator, 11, [1, 2])
    assert not access.can_see_private(coordinator, 11, [2])


def test_only_managers_manage_and_anonymous_nothing():
    assert access.can_manage(_who({10: "manager"}), 10)
    assert not access.can_manage(_who({10: "member"}), 10)
    assert not access.can_manage(None, 10)
    assert not access.can_see_private(None, 10, [1])


def test_only_the_networks_coordinators_decide():
    assert access.can_decide(_who(coordinated=[1]), 1)
    assert not access.can_decide(_who(coordinated=[2]), 1)
    assert not access.can_decide(_who({1: "manager"}), 1)


def test_managers_and_coordinators_of_a_verifying_network_invite():
    assert access.can_invite(_who({10: "manager"}), 10, {})
    assert not access.can_invite(_who({10: "member"}), 10, {1: "verified"})
    assert access.can_invite(_who(coordinated=[1]), 10, {1: "verified"})
    # Coordinating a network where it only applied, or another network, is not enough.
    assert not access.can_invite(_who(coordinated=[1]), 10, {1: "pending"})
    assert not access.can_invite(_who(coordinated=[2]), 10, {1: "verified"})
    assert not access.can_invite(None, 10, {1: "verified"})


def test_coordinators_invite_only_into_organisations_their_networks_hold_wholly():
    # A member sees the organisation's business in every network it is in: a coordinator of
    # network 2 must not place one into an organisation network 1 shares.
    shared = {1: "verified", 2: "verified"}
    assert not access.can_invite(_who(coordinated=[2]), 10, shared)
    assert not access.can_invite(_who(coordinated=[2]), 10, {1: "pending", 2: "verified"})
    assert not access.can_invite(_who(coordinated=[2]), 10, {1: "rejected", 2: "verified"})
    assert access.can_invite(_who(coordinated=[1, 2]), 10, shared)


def test_name_and_sector__change_through_the_coordinators_once_a_network_verified_or_decides():
    assert not access.verified_fields_locked({})
    assert not access.verified_fields_locked({1: "rejected"})
    assert access.verified_fields_locked({1: "pending"})
    assert access.verified_fields_locked({1: "rejected", 2: "verified"})
    assert access.can_change_verified(_who(coordinated=[2]), {1: "verified", 2: "pending"})
    assert not access.can_change_verified(_who(coordinated=[2]), {1: "verified", 2: "rejected"})
    assert not access.can_change_verified(_who({10: "manager"}), {1: "verified"})
