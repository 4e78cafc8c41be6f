"""The invitation link leads to the accept page; the API's OpenAPI document describes our endpoints."""

from resourcepool.accounts.identity import load_identity
from resourcepool.organisations.queries import waiting_for_verification
from resourcepool import i18n
from resourcepool.web.templating import build_environment


async def test_invite_link__opens_the_accept_page(make_organisation, make_user, api_as, client):
    org = await make_organisation()
    manager = await make_user(organisation=org, role="manager")
    body = (await (await api_as(manager)).post(f"/api/v1/organisations/{org.id}/members",
                                               json={"email": "neu@verein.example", "name": "Neu"})).json()
    path = body["invite_url"].removeprefix("http://testserver")
    page = await client.get(path)
    assert page.status_code == 200


async def test_openapi_document__lists_the_organisation_endpoints(client):
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/organisations/{organisation_id}/members" in paths
    assert "/api/v1/networks/{slug}/organisations/{organisation_id}/verify" in paths


async def test_waiting_fragment__for_the_landing_page_names_the_organisation(make_organisation, make_user):
    org = await make_organisation(status="pending", name="Seniorenbeirat")
    member = await make_user(organisation=org)
    waiting = await waiting_for_verification(member.id)
    i18n.set_language("de")
    html = build_environment().get_template("organisations/_waiting_notice.html").render(waiting=waiting)
    assert "Seniorenbeirat" in html and "Warten auf Bestätigung" in html
    assert await waiting_for_verification((await make_user(organisation=await make_organisation())).id) == []
    assert (await load_identity(member.id)).is_member_of(org.id)
