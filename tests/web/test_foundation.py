"""The app answers, speaks both languages and sends its security headers on every response."""

from tests.fixtures.platform import post_form
from tests.db_state import database_state

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
    before = await database_state()
    response = await client.post("/language", data={"language": "en"})
    assert response.status_code == 403
    assert await database_state() == before


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


async def test_over_https__hsts_on_every_response_and_secure_cookies(app, monkeypatch):
    import httpx

    from resourcepool.app import create_app
    from resourcepool.settings import reset_settings

    monkeypatch.setenv("RESOURCEPOOL_BASE_URL", "https://quartier.example")
    monkeypatch.delenv("RESOURCEPOOL_HTTPS", raising=False)
    reset_settings()
    try:
        # The CSRF settings are read when the app is built: build one for HTTPS (same database).
        https_app = create_app(background=False)
        transport = httpx.ASGITransport(app=https_app, client=("127.0.0.1", 40003))
        async with httpx.AsyncClient(transport=transport, base_url="https://quartier.example") as client:
            cookies = []
            for url in ("/", "/login", "/no-such-page", "/api/v1/no-such-thing"):
                response = await client.get(url)
                assert response.headers["strict-transport-security"].startswith("max-age="), url
                cookies += response.headers.get_list("set-cookie")
            csrf_cookies = [c for c in cookies if c.startswith("rp_csrf=")]
            assert csrf_cookies and all("Secure" in c for c in csrf_cookies)
            switched = await post_form(client, "/language", {"language": "en", "next": "/"})
            language_cookie = next(c for c in switched.headers.get_list("set-cookie") if c.startswith("rp_lang="))
            assert "Secure" in language_cookie and "HttpOnly" in language_cookie
    finally:
        monkeypatch.undo()
        reset_settings()


async def test_over_http__no_hsts(client):
    response = await client.get("/")
    assert "strict-transport-security" not in response.headers


def test_unreachable_database__stops_migrate_and_serve_with_one_clear_line():
    import os
    import socket
    import subprocess
    import sys

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]  # nothing listens once the socket is closed
    env = dict(os.environ, RESOURCEPOOL_DATABASE_URL=f"postgresql://rp:geheim@127.0.0.1:{closed_port}/rp")
    for command in (["migrate"], ["serve", "--port", "1"]):
        done = subprocess.run([sys.executable, "-m", "resourcepool", *command], env=env, capture_output=True,
                              text=True, timeout=120)
        assert done.returncode != 0, command
        lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
        assert len(lines) == 1, (command, lines)
        assert lines[0].startswith("resourcepool: cannot reach the database")
        assert "geheim" not in lines[0] and "Traceback" not in lines[0] and "Postgres version" not in lines[0]
