"""The OpenAPI document: the JSON API only, and every status each operation can answer, documented
as problem details. It runs over the whole document, so controllers added later are held to it
(their problem responses are filled in by web/openapi.py; the API fuzz tests check that nothing
answers a status its operation does not list)."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from litestar import Controller, Litestar, delete, get, post
from litestar.params import FromPath, JSONBody
from litestar.routes import HTTPRoute

from resourcepool.web.auth import login_required
from resourcepool.web.openapi import document_problems
from tests.web.test_api_fuzz import _plausible, _resolve


@pytest.fixture
async def document(client) -> dict[str, Any]:
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    return response.json()


def _operations(document: dict[str, Any]):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield path, method.upper(), operation


async def test_document__lists_every_api_route_and_no_html_page(app, document):
    listed = {(m, p) for p, m, _ in _operations(document)}
    assert all(p.startswith("/api/") for _, p in listed), sorted(p for _, p in listed if not p.startswith("/api/"))
    api_routes = {(m, r.path_format) for r in app.routes if isinstance(r, HTTPRoute) and r.path.startswith("/api/")
                  for m in r.methods if m not in ("HEAD", "OPTIONS")}
    assert api_routes == listed


async def test_every_error_response__is_documented_as_problem_details(document):
    problem = document["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "code", "detail"}
    assert {"field", "errors", "rule", "conflicts", "retry_after"} <= set(problem["properties"])
    wrong = []
    for path, method, operation in _operations(document):
        responses = operation["responses"]
        if "500" not in responses:
            wrong.append(f"{method} {path}: no 500")
        for status, response in responses.items():
            if int(status) < 400:
                continue
            content = response.get("content", {})
            schema = content.get("application/problem+json", {}).get("schema", {})
            if list(content) != ["application/problem+json"] or schema.get("$ref") != "#/components/schemas/Problem":
                wrong.append(f"{method} {path} {status}: {content}")
    assert not wrong, "\n".join(wrong)


async def test_operations__document_what_their_shape_can_answer(document):
    wrong = []
    for path, method, operation in _operations(document):
        statuses = set(operation["responses"])
        params = operation.get("parameters", [])
        if any(p["in"] == "path" for p in params) and not {"400", "404"} <= statuses:
            wrong.append(f"{method} {path}: a path parameter, but not 400 and 404")
        if "requestBody" in operation and not {"400", "413", "422"} <= statuses:
            wrong.append(f"{method} {path}: a body, but not 400, 413 and 422")
    assert not wrong, "\n".join(wrong)


async def test_every_operation_without_a_token__answers_a_status_it_documents(client, document):
    undocumented = []
    for path, method, operation in _operations(document):
        values = {p["name"]: _plausible(p["name"], p.get("schema", {}), document, {})
                  for p in operation.get("parameters", []) if p["in"] == "path"}
        content = operation.get("requestBody", {}).get("content", {}).get("application/json")
        body = {"json": _plausible("", _resolve(content["schema"], document), document, {})} if content else {}
        response = await client.request(method, path.format(**values), **body)
        if str(response.status_code) not in operation["responses"]:
            undocumented.append(f"{method} {path} -> {response.status_code}")
        elif response.status_code >= 400:
            assert response.headers["content-type"].startswith("application/problem+json")
            msgspec.json.decode(response.content)  # well-formed
    assert not undocumented, "\n".join(undocumented)


# --- automatic for controllers added later ----------------------------------------------------------

class _Later(msgspec.Struct):
    name: str


class _LaterApi(Controller):
    path = "/api/v1/later"
    guards = [login_required]

    @get("/{thing_id:int}")
    async def read(self, thing_id: FromPath[int]) -> dict[str, int]:
        return {"id": thing_id}

    @post("/")
    async def create(self, data: JSONBody[_Later]) -> dict[str, str]:
        return {"name": data.name}

    @delete("/{thing_id:int}", opt={"problems": (429,)})
    async def remove(self, thing_id: FromPath[int]) -> None:
        return None


def test_a_controller_added_later__gets_its_problem_responses_without_declaring_them():
    later = Litestar([_LaterApi])
    document_problems(later)
    paths = later.openapi_schema.to_schema()["paths"]
    assert set(paths["/api/v1/later/{thing_id}"]["get"]["responses"]) == {"200", "400", "401", "403", "404", "500"}
    assert set(paths["/api/v1/later"]["post"]["responses"]) == {
        "201", "400", "401", "403", "404", "409", "413", "422", "500"}
    assert "429" in paths["/api/v1/later/{thing_id}"]["delete"]["responses"]
