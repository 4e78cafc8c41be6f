"""A coordinator acts only within their network, even about an organisation two networks share.

A member of an organisation sees its bookings, assets and requests in every network it is in. So
a coordinator of network 2 who could invite someone into an organisation network 1 shares would
buy themselves into network 1's business; and what network 1 decided about the organisation
(waiting list, refusal, its note) is not theirs to read.
"""

import pytest

from resourcepool.db import sql
from tests.fixtures.platform import post_form


@pytest.fixture
async def shared(make_network, make_organisation, make_user, make_asset, make_booking):
    first, second = await make_network(name="Herten-Mitte"), await make_network(name="Westerholt")
    org = await make_organisation(network=first, name="AWO Begegnungszentrum")
    await sql.execute("INSERT INTO network_organisation (network_id, organisation_id, status, decided_at, "
                      "decision_note) VALUES ($1, $2, 'verified', now(), 'Willkommen in Westerholt')",
                      second.id, org.id)
    await sql.execute("UPDATE network_organisation SET decision_note = 'Vertraulich: Prüfung der Satzung' "
                      "WHERE network_id = $1 AND organisation_id = $2", first.id, org.id)
    manager = await make_user(organisation=org, role="manager")
    asset = await make_asset(organisation=await make_organisation(network=first), networks=[first])
    await make_booking(asset, organisation=org, user=manager, purpose="Seniorenfrühstück Herten")
    return {"first": first, "second": second, "org": org, "manager": manager,
            "first_coordinator": await make_user(coordinator_of=first),
            "second_coordinator": await make_user(coordinator_of=second)}


async def _nothing_invited(email: str, organisation_id: int) -> None:
    assert await sql.fetch_value("SELECT count(*) FROM app_user WHERE email = $1", email) == 0
    assert await sql.fetch_value("SELECT count(*) FROM membership_invitation WHERE organisation_id = $1",
                                 organisation_id) == 0


async def test_coordinator_of_one_network__cannot_invite_into_an_organisation_another_network_shares(
        shared, api_as, sign_in):
    org, coordinator = shared["org"], shared["second_coordinator"]
    members_before = await sql.fetch_value("SELECT count(*) FROM membership WHERE organisation_id = $1", org.id)

    response = await (await api_as(coordinator)).post(
        f"/api/v1/organisations/{org.id}/members",
        json={"email": "spion@westerholt.example", "name": "Spion", "role": "manager"})
    assert response.status_code == 403, response.text

    browser = await sign_in(coordinator)
    page = await browser.get(f"/organisations/{org.id}")
    assert page.status_code == 200 and f'action="/organisations/{org.id}/members"' not in page.text
    posted = await post_form(browser, f"/organisations/{org.id}/members",
                             {"invite_name": "Spion", "invite_email": "spion@westerholt.example",
                              "invite_role": "manager"})
    assert posted.status_code == 403

    await _nothing_invited("spion@westerholt.example", org.id)
    assert await sql.fetch_value("SELECT count(*) FROM membership WHERE organisation_id = $1", org.id) == members_before


async def test_coordinator_of_one_network__cannot_offer_membership_to_an_existing_account_either(
        shared, make_user, api_as):
    org = shared["org"]
    accomplice = await make_user(email="komplize@westerholt.example")
    response = await (await api_as(shared["second_coordinator"])).post(
        f"/api/v1/organisations/{org.id}/members", json={"email": accomplice.email, "name": "K", "role": "member"})
    assert response.status_code == 403
    assert await sql.fetch_value("SELECT count(*) FROM membership_invitation WHERE organisation_id = $1", org.id) == 0


async def test_coordinator_of_one_network__cannot_list_or_withdraw_the_shared_organisations_invitations(
        shared, make_user, api_as):
    org = shared["org"]
    invited = await make_user(email="neu@awo.example")
    manager_api = await api_as(shared["manager"])
    assert (await manager_api.post(f"/api/v1/organisations/{org.id}/members",
                                   json={"email": invited.email, "name": "Neu"})).status_code == 201
    api = await api_as(shared["second_coordinator"])
    listed = await api.get(f"/api/v1/organisations/{org.id}/invitations")
    assert listed.status_code == 403 and "neu@awo.example" not in listed.text
    assert (await api.delete(f"/api/v1/organisations/{org.id}/invitations/{invited.id}")).status_code == 403
    assert await sql.fetch_value("SELECT count(*) FROM membership_invitation WHERE organisation_id = $1", org.id) == 1


async def test_coordinator_of_both_networks__may_invite(shared, make_user, api_as):
    org = shared["org"]
    both = await make_user(coordinator_of=shared["first"])
    await sql.execute("INSERT INTO coordinator (network_id, user_id) VALUES ($1, $2)", shared["second"].id, both.id)
    response = await (await api_as(both)).post(f"/api/v1/organisations/{org.id}/members",
                                               json={"email": "leitung@awo.example", "name": "Leitung"})
    assert response.status_code == 201, response.text


async def test_a_network_that_once_turned_it_down__still_counts(make_network, make_organisation, make_user, api_as):
    first, second = await make_network(), await make_network()
    org = await make_organisation(network=first, status="rejected")
    await sql.execute("INSERT INTO network_organisation (network_id, organisation_id, status, decided_at) "
                      "VALUES ($1, $2, 'verified', now())", second.id, org.id)
    coordinator = await make_user(coordinator_of=second)
    response = await (await api_as(coordinator)).post(f"/api/v1/organisations/{org.id}/members",
                                                      json={"email": "x@y.example", "name": "X"})
    assert response.status_code == 403
    await _nothing_invited("x@y.example", org.id)


async def test_coordinator_of_one_network__does_not_read_another_networks_decision_about_it(
        shared, make_network, make_organisation, make_user, api_as, sign_in):
    first, second, org = shared["first"], shared["second"], shared["org"]
    # Network 1 has turned it down meanwhile: its refusal and note are network 1's business.
    await sql.execute("UPDATE network_organisation SET status = 'rejected' WHERE network_id = $1 "
                      "AND organisation_id = $2", first.id, org.id)
    body = (await (await api_as(shared["second_coordinator"])).get(f"/api/v1/organisations/{org.id}")).json()
    assert [(n["network"], n["status"], n["decision_note"]) for n in body["networks"]] == [
        (second.slug, "verified", "Willkommen in Westerholt")]
    page = await (await sign_in(shared["second_coordinator"])).get(f"/organisations/{org.id}")
    assert "Vertraulich" not in page.text and "Herten-Mitte" not in page.text

    # Its own members still see everything about their organisation.
    own = (await (await api_as(shared["manager"])).get(f"/api/v1/organisations/{org.id}")).json()
    assert {n["network"]: n["decision_note"] for n in own["networks"]} == {
        first.slug: "Vertraulich: Prüfung der Satzung", second.slug: "Willkommen in Westerholt"}


async def test_coordinator_of_one_network__sees_another_networks_verification_without_its_note(shared, api_as):
    body = (await (await api_as(shared["second_coordinator"])).get(f"/api/v1/organisations/{shared['org'].id}")).json()
    assert {n["network"]: n["decision_note"] for n in body["networks"]} == {
        shared["first"].slug: "", shared["second"].slug: "Willkommen in Westerholt"}


async def test_coordinator_of_one_network__does_not_see_the_shared_organisations_bookings(shared, api_as):
    api = await api_as(shared["second_coordinator"])
    for scope in ("mine", "incoming"):
        listed = await api.get("/api/v1/bookings", params={"scope": scope})
        assert "Seniorenfrühstück" not in listed.text
