"""`resourcepool serve`: prepare the database once, then run one or several app processes.

The parent process does what must happen once per start — start the embedded PostgreSQL if no
URL is configured, apply migrations (under an advisory lock, see db.migrate), read or create the
secret key — and then runs uvicorn. With `--workers N` (N > 1) uvicorn's supervisor starts N
processes that share the listening socket; each builds its app with `app_for_process` from the
environment the parent prepared (the database URL — the embedded server's too — and the key),
so a child never starts a second PostgreSQL or generates a key of its own.
"""

from __future__ import annotations

import asyncio
import logging
import os
from dataclasses import dataclass
from typing import Any

from resourcepool.settings import Settings, get_settings, reset_settings

log = logging.getLogger("resourcepool")

# Set by the parent for its app processes: whether they run the background loops.
_BACKGROUND_ENV = "RESOURCEPOOL_SERVE_BACKGROUND"
# Connections every process keeps besides its pool (the migration lock, psql, a worker …).
_SPARE_CONNECTIONS = 10


def default_workers() -> int:
    """The number of cores this process may use (a container's CPU set, not the host's)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class Prepared:
    dsn: str
    max_connections: int


async def prepare_database(settings: Settings) -> Prepared:
    """Start the database (embedded or URL), migrate it, and make the secret key known.

    Returns the DSN the app processes are to use and the server's connection limit."""
    from resourcepool.db import sql
    from resourcepool.db.lifecycle import close_database, open_database
    from resourcepool.db.migrate import run_migrations
    from resourcepool.db.secret_key import ensure_secret_key, use_secret_key

    dsn = await open_database(settings, min_size=1, max_size=2)
    try:
        await run_migrations()
        if not settings.secret_key:
            use_secret_key(await ensure_secret_key(settings.data_dir / "secret_key"))
        max_connections = int(await sql.fetch_value("SHOW max_connections"))
    finally:
        await close_database()
    return Prepared(dsn, max_connections)


def pool_size_for(workers: int, wanted: int, max_connections: int) -> int:
    """Connections per app process so that all processes fit the server's limit."""
    fitting = (max_connections - _SPARE_CONNECTIONS) // max(workers, 1)
    return max(2, min(wanted, fitting))


def app_for_process() -> Any:
    """uvicorn's factory in each app process of `serve --workers N`."""
    from resourcepool.app import create_app

    return create_app(get_settings(), background=os.environ.get(_BACKGROUND_ENV, "1") == "1")


def serve(*, host: str, port: int, workers: int, background: bool, proxy_headers: bool,
          forwarded_allow_ips: str) -> None:
    """Prepare the database, then serve with `workers` app processes until stopped."""
    import uvicorn

    settings = get_settings()
    prepared = asyncio.run(prepare_database(settings))
    pool_size = pool_size_for(workers, settings.pool_size, prepared.max_connections)
    if pool_size < settings.pool_size:
        log.warning("%s processes × %s connections would exceed the server's max_connections (%s): "
                    "each process keeps at most %s", workers, settings.pool_size,
                    prepared.max_connections, pool_size)
    options: dict[str, Any] = dict(host=host, port=port, log_level="info", proxy_headers=proxy_headers,
                                   forwarded_allow_ips=forwarded_allow_ips)
    if workers == 1:
        from resourcepool.app import create_app

        uvicorn.run(create_app(get_settings(), background=background), **options)
        return
    # The children inherit this environment: the embedded server's DSN (they connect to the
    # server this process started instead of starting their own), the key, their pool size.
    os.environ["RESOURCEPOOL_DATABASE_URL"] = prepared.dsn
    os.environ["RESOURCEPOOL_POOL_SIZE"] = str(pool_size)
    os.environ[_BACKGROUND_ENV] = "1" if background else "0"
    reset_settings()
    log.info("serving with %s app processes%s", workers,
             "" if background else " (background loops left to `resourcepool worker`)")
    try:
        uvicorn.run("resourcepool.serving:app_for_process", factory=True, workers=workers, **options)
    finally:
        if settings.database_url is None:
            from resourcepool.db.embedded import stop_embedded

            stop_embedded(settings.pg_dir)
