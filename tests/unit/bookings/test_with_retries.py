"""sql.with_retries: serialisation failures and deadlocks run the work again, a few times."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from resourcepool.db import sql
from resourcepool.db.engine import DB


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch):
    waits: list[float] = []

    async def sleep(seconds):
        waits.append(seconds)

    monkeypatch.setattr(asyncio, "sleep", sleep)
    return waits


def flaky(*errors):
    """Work that raises `errors` one per call, then returns the number of calls."""
    calls = []

    async def work():
        calls.append(1)
        if len(calls) <= len(errors):
            raise errors[len(calls) - 1]
        return len(calls)

    return work, calls


@pytest.mark.parametrize("error", [asyncpg.SerializationError, asyncpg.DeadlockDetectedError])
async def test_a_retryable_error__runs_the_work_again_until_it_succeeds(error, no_waiting):
    work, calls = flaky(error("x"), error("x"), error("x"))
    assert await sql.with_retries(work) == 4
    assert len(calls) == 4
    assert len(no_waiting) == 3 and all(0 < w < 1 for w in no_waiting)  # a short random pause


async def test_after_the_last_attempt__the_error_is_raised():
    work, calls = flaky(*(asyncpg.DeadlockDetectedError("x") for _ in range(4)))
    with pytest.raises(asyncpg.DeadlockDetectedError):
        await sql.with_retries(work)
    assert len(calls) == 4
    work, calls = flaky(asyncpg.SerializationError("x"), asyncpg.SerializationError("x"))
    with pytest.raises(asyncpg.SerializationError):
        await sql.with_retries(work, attempts=2)
    assert len(calls) == 2


@pytest.mark.parametrize("error", [asyncpg.ExclusionViolationError("x"),
                                   asyncpg.UniqueViolationError("x"), ValueError("x")])
async def test_other_errors__are_not_retried(error):
    work, calls = flaky(error)
    with pytest.raises(type(error)):
        await sql.with_retries(work)
    assert len(calls) == 1


async def test_inside_an_outer_transaction__the_work_runs_once():
    # The failure aborted the outer transaction too; only its owner can start again.
    token = DB.current_transaction.set(object())
    try:
        work, calls = flaky(asyncpg.SerializationError("x"))
        with pytest.raises(asyncpg.SerializationError):
            await sql.with_retries(work)
        assert len(calls) == 1
    finally:
        DB.current_transaction.reset(token)
