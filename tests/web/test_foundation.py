"""The app answers, speaks both languages and sends its security headers on every response."""

from tests.fixtures.platform import post_form

SECURITY_HEADERS = ("content-security-policy", "x-content-type-options", "referrer-policy")


async def test_landing_page__renders_in_german_by_default(client):
    response = await client.get("/")
    assert response.status_code == 200
    assert 'lang="de"' in response.text


async def test_landing_page__follows_accept_language(client):
    response = await client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert 'lang="en"' in response.text


async def test_security_headers__on_a_page_a_404_and_an_api_error(client):
    for url in ("/", "/no-such-page", "/api/v1/no-such-thing"):
        response = await client.get(url)
        for header in SECURITY_HEADERS:
            assert header in response.headers, (url, header)
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert "unsafe-inline" not in response.headers["content-security-policy"].split("script-src")[1].split(";")[0]


async def test_unknown_api_path__is_a_problem_document(client):
    response = await client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "not_found"


async def test_health_and_ready(client):
    assert (await client.get("/health")).json() == {"status": "ok"}
    assert (await client.get("/ready")).json() == {"status": "ok"}


async def test_language_switch__sets_english_for_the_next_page(client):
    response = await post_form(client, "/language", {"language": "en", "next": "/"})
    assert response.status_code in (302, 303)
    assert 'lang="en"' in (await client.get("/")).text


async def test_form_post_without_csrf_token__is_refused_with_403(client):
    await client.get("/")
    response = await client.post("/language", data={"language": "en"})
    assert response.status_code == 403


async def test_redirect_target__stays_on_this_site(client):
    response = await post_form(client, "/language", {"language": "en", "next": "https://evil.example/"})
    assert response.headers["location"] == "/"


async def test_landing_page__shows_public_networks_with_their_figures(client, make_network, make_organisation):
    public = await make_network(name="Quartiersnetz Herten-Mitte", public_catalogue=True)
    await make_network(name="Geschlossenes Netz", public_catalogue=False)
    await make_organisation(network=public)
    response = await client.get("/")
    assert "Quartiersnetz Herten-Mitte" in response.text
    assert "Geschlossenes Netz" not in response.text


async def test_landing_page__tells_members_of_a_pending_organisation_they_wait_for_verification(
    make_network, make_organisation, make_user, sign_in
):
    network = await make_network(name="Quartiersnetz Herten-Mitte")
    pending = await make_organisation(network=network, status="pending", name="Seniorenbeirat")
    member = await make_user(organisation=pending, role="manager")
    page = await (await sign_in(member)).get("/")
    assert "Seniorenbeirat" in page.text
    assert "waiting-notice" in page.text
