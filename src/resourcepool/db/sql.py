"""Small helpers for parameterised raw SQL through Piccolo's engine (inside its transactions)."""

from __future__ import annotations

import asyncio
import random
from typing import Any, Awaitable, Callable, TypeVar

import asyncpg

from resourcepool.db.engine import DB

T = TypeVar("T")


async def fetch(query: str, *args: Any) -> list[dict[str, Any]]:
    """Rows as dicts; uses the current transaction's connection when there is one."""
    transaction = DB.current_transaction.get()
    if transaction is not None:
        rows = await transaction.connection.fetch(query, *args)
    else:
        async with DB.pool.acquire() as conn:  # type: ignore[union-attr]
            rows = await conn.fetch(query, *args)
    return [dict(r) for r in rows]


async def fetch_one(query: str, *args: Any) -> dict[str, Any] | None:
    rows = await fetch(query, *args)
    return rows[0] if rows else None


async def fetch_value(query: str, *args: Any) -> Any:
    row = await fetch_one(query, *args)
    return next(iter(row.values())) if row else None


async def execute(query: str, *args: Any) -> str:
    transaction = DB.current_transaction.get()
    if transaction is not None:
        return await transaction.connection.execute(query, *args)
    async with DB.pool.acquire() as conn:  # type: ignore[union-attr]
        return await conn.execute(query, *args)


RETRYABLE = (asyncpg.SerializationError, asyncpg.DeadlockDetectedError)


async def with_retries(work: Callable[[], Awaitable[T]], attempts: int = 4) -> T:
    """Run a whole transaction again on serialisation failure or deadlock (40001/40P01).

    `work` opens its own transaction. Inside an outer transaction (e.g. the idempotency
    wrapper) it runs once: the failure aborted the outer transaction too, so only the outer
    caller can start again (and does, through its own with_retries)."""
    if DB.current_transaction.get() is not None:
        return await work()
    for attempt in range(attempts):
        try:
            return await work()
        except RETRYABLE:
            if attempt == attempts - 1:
                raise
            await asyncio.sleep(random.uniform(0.005, 0.03) * (2**attempt))
    raise AssertionError("unreachable")
