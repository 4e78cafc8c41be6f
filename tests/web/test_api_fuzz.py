"""Every API operation in the OpenAPI document, fed generated input: never a server error.

Schemathesis generates valid (positive) and invalid (negative) requests from the app's own
OpenAPI document. Its runner is synchronous, so Hypothesis runs in a worker thread and hands
each request to this test's event loop, where the app and its database pool live; requests go
through ASGI, no server process needed. Each operation gets a fresh token of a manager of a
verified organisation, so an operation that revokes tokens cannot blind the ones after it.
"""

from __future__ import annotations

import asyncio
import os
import traceback

import httpx
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

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
        case.validate_response(response, checks=[not_a_server_error], headers=headers)

    run()


async def test_api__no_operation_answers_with_a_server_error(client, make_organisation, make_user):
    organisation = await make_organisation()
    user = await make_user(organisation=organisation, role="manager")
    document = (await client.get("/schema/openapi.json")).json()
    schema = schemathesis.openapi.from_dict(document)
    loop = asyncio.get_running_loop()

    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if not operation.path.startswith("/api/"):
            continue  # HTML pages answer with pages, not the API's contract (and need CSRF)
        operations += 1
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

    assert operations >= 5, "the OpenAPI document lists too few operations"
    assert not failures, f"{len(failures)} of {operations} operations failed:\n\n" + "\n\n".join(failures)
