"""Every API operation in the OpenAPI document, fed generated input: never a server error, and
never a status (or content type) the operation does not document.

Schemathesis generates valid (positive) and invalid (negative) requests from the app's own
OpenAPI document. Its runner is synchronous, so Hypothesis runs in a worker thread and hands
each request to this test's event loop, where the app and its database pool live; requests go
through ASGI, no server process needed. It runs once as a manager of a verified organisation and
once as a coordinator of its network, so coordinator-only operations get past their guard too.
Each operation gets a fresh token, so an operation that revokes tokens cannot blind the ones
after it.

Random generation rarely hits the values that broke things before (NUL, huge numbers), so a
second test sends those explicitly to every field, query value and path value of every
operation, next to otherwise plausible input.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import traceback
from typing import Any
from urllib.parse import quote

import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, status_code_conformance

from resourcepool.accounts.api_tokens import create_api_token

# Bounded so the whole run takes a couple of minutes; raise it locally to dig deeper.
MAX_EXAMPLES = int(os.environ.get("RESOURCEPOOL_FUZZ_EXAMPLES", "25"))
BASE_URL = "http://testserver"
# requests.Request accepts these; the rest of schemathesis's transport options are irrelevant here.
REQUEST_KEYS = {"method", "url", "headers", "files", "data", "params", "cookies", "json"}


def _fuzz_operation(operation, token: str, loop: asyncio.AbstractEventLoop,
                    client: httpx.AsyncClient, mode: GenerationMode) -> None:
    headers = {"Authorization": f"Bearer {token}"}

    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: schemathesis.Case) -> None:
        kwargs = case.as_transport_kwargs(base_url=BASE_URL, headers=headers)
        prepared = requests.Request(**{k: v for k, v in kwargs.items() if k in REQUEST_KEYS}).prepare()
        body = prepared.body.encode() if isinstance(prepared.body, str) else (prepared.body or b"")
        response = asyncio.run_coroutine_threadsafe(
            client.request(prepared.method, prepared.url, headers=dict(prepared.headers), content=body),
            loop,
        ).result(timeout=60)
        # Also: every status answered is one the operation documents, with its content type.
        case.validate_response(response, checks=[not_a_server_error, status_code_conformance,
                                                 content_type_conformance], headers=headers)

    run()


@pytest.fixture
async def identities(make_network, make_organisation, make_user, make_asset, make_booking):
    """A manager and a coordinator of one network, with an asset and a booking to point at."""
    network = await make_network()
    organisation = await make_organisation(network=network)
    await make_organisation(network=network, status="pending")
    manager = await make_user(organisation=organisation, role="manager")
    member = await make_user(organisation=organisation)
    coordinator = await make_user(coordinator_of=network)
    asset = await make_asset(organisation=organisation, networks=[network])
    booking = await make_booking(asset, user=member)
    ids = {"organisation_id": organisation.id, "user_id": member.id, "asset_id": asset.id,
           "booking_id": booking.id, "slug": network.slug, "network": network.slug}
    return {"manager": manager, "coordinator": coordinator}, ids


def _api_operations(schema) -> list:
    operations = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path.startswith("/api/"):  # HTML pages answer with pages (and need CSRF)
            operations.append(operation)
    return operations


@pytest.mark.parametrize("who", ["manager", "coordinator"])
async def test_api__no_operation_answers_with_a_server_error(client, identities, who):
    users, _ = identities
    user = users[who]
    document = (await client.get("/schema/openapi.json")).json()
    schema = schemathesis.openapi.from_dict(document)
    loop = asyncio.get_running_loop()

    failures: list[str] = []
    operations = _api_operations(schema)
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            token, _ = await create_api_token(user.id, "fuzz")
            try:
                await asyncio.to_thread(_fuzz_operation, operation, token, loop, client, mode)
            except Unsatisfiable:
                pass  # nothing to get wrong: no parameters or body to make invalid
            except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - collect all, then report
                # schemathesis reports failures as a BaseExceptionGroup (FailureGroup).
                failures.append(f"{operation.method.upper()} {operation.path} ({mode.value}):\n"
                                + "".join(traceback.format_exception_only(type(exc), exc))[:3000])

    assert len(operations) >= 5, "the OpenAPI document lists too few operations"
    assert not failures, f"{len(failures)} of {len(operations)} operations failed:\n\n" + "\n\n".join(failures)


# --- explicit hostile values ---------------------------------------------------------------------

HOSTILE_VALUES: list[Any] = [
    "\x00", "Ver\x00ein", "x" * 10_000, "\u202e\r\nX-Injected: 1", 2**64, -(2**63) - 1, 10**30, 1.5e308,
    True, None, [], {}, [1, "\x00"], {"\x00": "\x00"},
]
HOSTILE_QUERY = ["\x00", "a\x00b", "x" * 10_000, str(2**64), "-1", "1e999", "2026-13-45T99:99", "0001-01-01T00:00:00Z"]
HOSTILE_PATH = ["0", "-1", str(2**63), str(2**64), "abc", "\x00", "x" * 3000, "1e3"]
WHOLE_BODIES: list[Any] = [None, [], "x", 2**64, {"\x00": 1}, ["\x00"] * 3]


def _resolve(schema: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        schema = document["components"]["schemas"][name]
    for key in ("oneOf", "anyOf"):
        if key in schema:
            options = [o for o in schema[key] if _resolve(o, document).get("type") != "null"]
            return _resolve(options[0], document) if options else {"type": "null"}
    return schema


def _plausible(name: str, schema: dict[str, Any], document: dict[str, Any], ids: dict[str, Any]) -> Any:
    """A value that passes the schema, so the hostile one next to it reaches the use case."""
    schema = _resolve(schema, document)
    if name in ids:
        return ids[name]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        return {k: _plausible(k, v, document, ids) for k, v in schema.get("properties", {}).items()
                if k in schema.get("required", [])}
    if kind == "array":
        return []
    if kind == "integer":
        return max(schema.get("minimum", 1), 1)
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    if schema.get("format") == "date-time":
        return "2026-12-01T10:00:00+01:00"
    if schema.get("format") == "date":
        return "2026-12-01"
    return {"email": "fuzz@example.org", "password": "Quartier-Test-2026"}.get(name, "Test")


def _hostile_requests(operation: dict[str, Any], path: str, document: dict[str, Any],
                      ids: dict[str, Any]) -> list[tuple[str, dict[str, Any], Any]]:
    """(url, query, json body or ...) for one operation: one hostile value at a time."""
    params = [p for p in operation.get("parameters", []) if p["in"] in ("path", "query")]
    path_values = {p["name"]: str(ids.get(p["name"], 1)) for p in params if p["in"] == "path"}
    query_names = [p["name"] for p in params if p["in"] == "query"]
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    body_schema = _resolve(content["schema"], document) if content else None
    body = _plausible("", body_schema, document, ids) if body_schema else ...

    def url(values: dict[str, str]) -> str:
        return path.format(**{k: quote(v, safe="") for k, v in values.items()})

    found = []
    for name, value in itertools.product(path_values, HOSTILE_PATH):
        found.append((url(dict(path_values, **{name: value})), {}, body))
    for name, value in itertools.product(query_names, HOSTILE_QUERY):
        found.append((url(path_values), {name: value}, body))
    if body_schema is not None:
        for name, value in itertools.product(body_schema.get("properties", {}), HOSTILE_VALUES):
            found.append((url(path_values), {}, dict(body, **{name: value})))
        for whole in WHOLE_BODIES:
            found.append((url(path_values), {}, whole))
    return found


@pytest.mark.parametrize("who", ["manager", "coordinator"])
async def test_api__hostile_values_in_every_field_are_never_a_server_error(client, identities, who):
    users, ids = identities
    document = (await client.get("/schema/openapi.json")).json()
    failures: list[str] = []
    sent = 0
    for path, operations in document["paths"].items():
        if not path.startswith("/api/"):
            continue
        for method, operation in operations.items():
            token, _ = await create_api_token(users[who].id, "hostile")
            headers = {"Authorization": f"Bearer {token}"}
            for url, query, body in _hostile_requests(operation, path, document, ids):
                kwargs: dict[str, Any] = {"params": query, "headers": headers}
                if body is not ...:
                    kwargs["json"] = body
                response = await client.request(method.upper(), url, **kwargs)
                sent += 1
                if response.status_code >= 500 or str(response.status_code) not in operation["responses"]:
                    failures.append(f"{method.upper()} {url[:120]} {query!r:.80} {str(body)[:200]} "
                                    f"-> {response.status_code}")
    assert sent > 500
    assert not failures, f"{len(failures)} of {sent} requests failed:\n" + "\n".join(failures[:60])

