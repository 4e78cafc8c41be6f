"""The main navigation shows each role its links, and nobody the links of a role they lack."""

import re

import pytest


def _nav_links(html: str) -> set[str]:
    nav = re.search(r'<nav class="main-nav".*?</nav>', html, re.S)
    assert nav, "no main navigation"
    return set(re.findall(r'href="([^"]+)"', nav.group(0)))


EVERYONE = {"/catalogue"}
SIGNED_IN = {"/bookings", "/account"}


@pytest.mark.parametrize(("role", "expected"), [
    ("anonymous", EVERYONE | {"/apply"}),
    ("member", EVERYONE | SIGNED_IN | {"/organisations"}),
    ("manager", EVERYONE | SIGNED_IN | {"/organisations", "/our-assets", "/incoming"}),
    ("coordinator", EVERYONE | SIGNED_IN | {"/coordinator"}),
])
async def test_navigation__shows_exactly_the_links_of_the_role(client, sign_in, make_organisation, make_user,
                                                               role, expected):
    organisation = await make_organisation()
    if role == "anonymous":
        browser = client
    elif role == "coordinator":
        browser = await sign_in(await make_user(coordinator_of=organisation.network))
    else:
        browser = await sign_in(await make_user(organisation=organisation, role=role))
    page = await browser.get("/")
    assert page.status_code == 200
    assert _nav_links(page.text) == expected
    signed_in = role != "anonymous"
    assert ('action="/logout"' in page.text) is signed_in
    assert ('href="/login"' in page.text) is not signed_in
