"""Idempotent requests (`Idempotency-Key`): a retried request gets the first answer back.

Keys are per user and endpoint. The key row is written in the *same transaction* as the work
it guards, so a booking and the key that produced it commit together or not at all. A
refusal (a domain error: 4xx) is stored too, so a retry is refused the same way.
- same key, same body → the stored status and body;
- same key, another body → ValidationFailed (422, code `idempotency_key_reused`);
- same key while the first request still runs → Conflict (409, `idempotency_in_flight`):
  an advisory transaction lock on (user, endpoint, key) tells that without waiting.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Awaitable, Callable

from resourcepool.bookings.queries import savepoint
from resourcepool.db import sql
from resourcepool.db.engine import DB
from resourcepool.errors import N_, Conflict, DomainError, ValidationFailed

MAX_KEY_LENGTH = 255

Result = tuple[int, Any]


def request_hash(payload: Any) -> str:
    """A stable hash of a request body (decoded, so whitespace and key order do not matter)."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


async def run_once(user_id: int, endpoint: str, key: str | None, payload: Any,
                   work: Callable[[], Awaitable[Result]],
                   render_error: Callable[[DomainError], Result]) -> Result:
    """Run `work` (returning status and JSON body) at most once per key; `payload` is the
    decoded request body (hashed only when there is a key)."""
    if key is None:
        return await work()
    key = key.strip()
    if not 1 <= len(key) <= MAX_KEY_LENGTH:
        raise ValidationFailed(N_("The Idempotency-Key must be 1 to 255 characters long."),
                               field="Idempotency-Key")
    body_hash = request_hash(payload)

    async def attempt() -> Result:
        async with DB.transaction():
            locked = await sql.fetch_value(
                "SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0))",
                f"idempotency:{user_id}:{endpoint}:{key}",
            )
            if not locked:
                raise Conflict(N_("A request with this Idempotency-Key is still being processed."),
                               code="idempotency_in_flight")
            stored = await sql.fetch_one(
                """SELECT request_hash, status_code, response_body FROM idempotency_key
                   WHERE user_id = $1 AND endpoint = $2 AND key = $3""",
                user_id, endpoint, key,
            )
            if stored is not None:
                if stored["request_hash"] != body_hash:
                    raise ValidationFailed(
                        N_("This Idempotency-Key was already used for a different request."),
                        field="Idempotency-Key", code="idempotency_key_reused")
                body = stored["response_body"]
                return stored["status_code"], json.loads(body) if isinstance(body, str) else body
            try:
                async with savepoint():
                    status, body = await work()
            except DomainError as exc:
                status, body = render_error(exc)
            await sql.execute(
                """INSERT INTO idempotency_key (user_id, endpoint, key, request_hash, status_code,
                                                response_body)
                   VALUES ($1, $2, $3, $4, $5, $6::jsonb)""",
                user_id, endpoint, key, body_hash, status, json.dumps(body, default=str),
            )
            return status, body

    return await sql.with_retries(attempt)
