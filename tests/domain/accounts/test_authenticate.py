"""authenticate(): the password check, its upgrade, and limits that hold under parallel guessing."""

import asyncio
import threading
from datetime import timedelta

import pytest
from argon2 import PasswordHasher

from resourcepool import clock
from resourcepool.accounts.login import HOURLY_CEILING, authenticate
from resourcepool.accounts.passwords import needs_rehash
from resourcepool.db import sql
from resourcepool.errors import NotAuthenticated, RateLimited
from tests.fixtures.platform import PASSWORD


async def test_authenticate__upgrades_an_outdated_hash(make_user):
    user = await make_user()
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    await sql.execute("UPDATE app_user SET password_hash = $2 WHERE id = $1", user.id, weak)

    assert await authenticate(user.email, PASSWORD) == user.id

    stored = await sql.fetch_value("SELECT password_hash FROM app_user WHERE id = $1", user.id)
    assert stored != weak and not needs_rehash(stored)
    assert await authenticate(user.email, PASSWORD) == user.id


async def test_authenticate__user_without_a_password_cannot_sign_in(make_user):
    user = await make_user()
    await sql.execute("UPDATE app_user SET password_hash = NULL WHERE id = $1", user.id)
    with pytest.raises(NotAuthenticated):
        await authenticate(user.email, "")


async def test_authenticate__records_failures_and_successes(make_user):
    user = await make_user(email="Mixed.Case@Example.org")
    with pytest.raises(NotAuthenticated):
        await authenticate(user.email, "wrong-password-1", ip="192.0.2.1")
    await authenticate(user.email, PASSWORD, ip="192.0.2.1")
    rows = await sql.fetch("SELECT email_key, ip, succeeded FROM login_attempt ORDER BY id")
    assert rows == [
        {"email_key": "mixed.case@example.org", "ip": "192.0.2.1", "succeeded": False},
        {"email_key": "mixed.case@example.org", "ip": "192.0.2.1", "succeeded": True},
    ]


async def test_authenticate__parallel_guesses_cannot_slip_past_the_limit(make_user):
    user = await make_user()

    async def guess(n: int):
        try:
            await authenticate(user.email, f"wrong-password-{n}", ip=f"192.0.2.{n}")
        except (NotAuthenticated, RateLimited) as exc:
            return type(exc)

    outcomes = await asyncio.gather(*(guess(n) for n in range(12)))

    assert outcomes.count(NotAuthenticated) == 5
    assert outcomes.count(RateLimited) == 7
    with pytest.raises(RateLimited):
        await authenticate(user.email, PASSWORD)


async def test_authenticate__retry_after_counts_down_to_the_oldest_relevant_failure(make_user):
    user = await make_user()
    t0 = clock.now()
    for minute in range(5):
        with clock.frozen_at(t0 + timedelta(minutes=minute)):
            with pytest.raises(NotAuthenticated):
                await authenticate(user.email, "wrong-password-1")
    # At t0 + 5 min the first failure (t0) still counts; it ages out at t0 + 15 min.
    with clock.frozen_at(t0 + timedelta(minutes=5)), pytest.raises(RateLimited) as refused:
        await authenticate(user.email, PASSWORD)
    assert refused.value.retry_after == 600
    assert refused.value.params["minutes"] == 10


async def _old_failures(key: str, count: int, now) -> None:
    """Failures 16 to about 57 minutes before `now`: none in the short window, all in the hour."""
    await sql.execute(
        """INSERT INTO login_attempt (email_key, ip, attempted_at, succeeded)
           SELECT $1, '192.0.2.' || (g % 200), $2::timestamptz - interval '16 minutes' - g * interval '25 seconds', false
           FROM generate_series(0, $3 - 1) g""",
        key, now, count,
    )


async def test_authenticate__hourly_ceiling_per_account(make_user):
    below, at = await make_user(), await make_user()
    now = clock.now()
    await _old_failures(below.email.lower(), HOURLY_CEILING - 1, now)
    await _old_failures(at.email.lower(), HOURLY_CEILING, now)

    assert await authenticate(below.email, PASSWORD) == below.id
    with clock.frozen_at(now), pytest.raises(RateLimited) as refused:
        await authenticate(at.email, PASSWORD)
    # The oldest failure, 16 min + 99 × 25 s = 57 min 15 s ago, leaves the hour in 2 min 45 s.
    assert refused.value.retry_after == 165


async def test_authenticate__does_not_stall_other_requests_while_hashing(make_user, monkeypatch):
    # Checked by where the work runs, not by timing the event loop (a busy machine would fail
    # that): every argon2 hash and verify runs in a worker thread, none on the event loop's.
    from resourcepool.accounts import passwords

    user = await make_user()
    loop_thread = threading.get_ident()
    threads: list[int] = []

    class Watched:
        def __getattr__(self, name):
            work = getattr(real, name)

            def call(*args, **kwargs):
                if name in ("hash", "verify"):  # the costly ones; reading a hash's parameters is not
                    threads.append(threading.get_ident())
                return work(*args, **kwargs)

            return call

    real = passwords._hasher
    monkeypatch.setattr(passwords, "_hasher", Watched())
    assert await authenticate(user.email, PASSWORD) == user.id
    with pytest.raises(NotAuthenticated):
        await authenticate(user.email, "Falsches-Passwort-1")
    with pytest.raises(NotAuthenticated):
        await authenticate("niemand@example.org", PASSWORD)  # hashes too, against timing probes
    assert len(threads) >= 3 and loop_thread not in threads
