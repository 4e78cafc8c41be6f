"""What a user may not see does not exist for them: on every route, page or API, an asset, booking
or organisation they may not see answers exactly as one that does not exist.

The routes are read from the app, so routes added later are checked too: each path parameter
named after one of these things gets a hidden id and then a missing one, everything else equal
(API bodies are made plausible from the OpenAPI document so the request reaches its lookup).
"""

from __future__ import annotations

from typing import Any

import pytest
from litestar.routes import HTTPRoute

from resourcepool.db import sql
from tests.fixtures.bookings import tomorrow_at
from tests.fixtures.platform import post_form
from tests.web.test_api_fuzz import _plausible, _resolve

MISSING = 10**12


@pytest.fixture
async def world(make_network, make_organisation, make_user, make_asset, make_booking):
    mine, other = await make_network(), await make_network()
    org = await make_organisation(network=mine)
    neighbour = await make_organisation(network=mine)
    neighbours_asset = await make_asset(organisation=neighbour, networks=[mine])
    hidden = {
        "asset_id": {
            "another network's asset": (await make_asset(organisation=await make_organisation(network=other),
                                                         networks=[other])).id,
            "a neighbour's draft": (await make_asset(organisation=neighbour, networks=[mine], status="draft")).id,
        },
        "booking_id": {"a neighbour's booking": (await make_booking(neighbours_asset)).id},
        "organisation_id": {
            "another network's applicant": (await make_organisation(network=other, status="pending")).id},
    }
    people = {"manager": await make_user(organisation=org, role="manager"),
              "coordinator": await make_user(coordinator_of=mine)}
    return mine, hidden, people


def _routes(app) -> list[tuple[str, str, dict[str, type]]]:
    found = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        params = {name: p.type for name, p in route.path_parameters.items()}
        if not params.keys() & {"asset_id", "booking_id", "organisation_id"}:
            continue
        for method in sorted(route.methods):
            if method not in ("HEAD", "OPTIONS"):
                found.append((method, route.path_format, params))
    return found


def _request(document: dict[str, Any], path: str, method: str, ids: dict[str, Any]) -> dict[str, Any]:
    """Plausible required query values and JSON body of an API operation."""
    operation = document["paths"].get(path, {}).get(method.lower(), {})
    window = {"from": tomorrow_at(8).isoformat(), "to": tomorrow_at(20).isoformat()}
    query = {p["name"]: window.get(p["name"]) or _plausible(p["name"], p.get("schema", {}), document, ids)
             for p in operation.get("parameters", []) if p["in"] == "query" and p.get("required")}
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    body = {"json": _plausible("", _resolve(content["schema"], document), document, ids)} if content else {}
    return {"params": query, **body}


@pytest.mark.parametrize("who", ["manager", "coordinator"])
async def test_every_route__answers_a_hidden_thing_as_a_missing_one(app, client, world, who, api_as, sign_in):
    network, hidden, people = world
    api, browser = await api_as(people[who]), await sign_in(people[who])
    document = (await client.get("/schema/openapi.json")).json()
    fillers = {"slug": network.slug, "decision": "verify", "user_id": people["manager"].id}
    before = await sql.fetch_value("SELECT md5(string_agg(b::text, ',' ORDER BY b.id)) FROM booking b")

    async def ask(method: str, path: str, values: dict[str, Any]) -> tuple[int, Any]:
        url = path.format(**values)
        if url.startswith("/api/"):
            response = await api.request(method, url, **_request(document, path, method, values))
            answer = response.json() if response.content else None
            if isinstance(answer, dict):
                answer.pop("instance", None)
            return response.status_code, answer
        if method == "GET":
            return (await browser.get(url)).status_code, None
        return (await post_form(browser, url, {})).status_code, None

    checked, leaks = 0, []
    for method, path, params in _routes(app):
        base = {name: fillers.get(name, 1 if kind is int else "x") for name, kind in params.items()}
        for name in params.keys() & hidden.keys():
            missing = await ask(method, path, base | {name: MISSING})
            for what, hidden_id in hidden[name].items():
                seen = await ask(method, path, base | {name: hidden_id})
                checked += 1
                if seen != missing:
                    leaks.append(f"{method} {path} with {what}: {seen} — a missing one: {missing}")
    assert checked > 40, "too few routes found: is the route table still read correctly?"
    assert not leaks, "\n".join(leaks)
    assert await sql.fetch_value("SELECT md5(string_agg(b::text, ',' ORDER BY b.id)) FROM booking b") == before
