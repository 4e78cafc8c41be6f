"""The embedded PostgreSQL (pgserver) used when no RESOURCEPOOL_DATABASE_URL is set."""

from __future__ import annotations

import atexit
import logging
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

_servers: dict[Path, Any] = {}


def start_embedded(pgdata: Path) -> str:
    """Start (or reuse) a private PostgreSQL in `pgdata` and return its DSN."""
    pgdata = pgdata.resolve()
    if pgdata in _servers:
        return _servers[pgdata].get_uri()
    try:
        import pgserver
    except ImportError as exc:  # pragma: no cover - dependency is declared
        raise SystemExit("The embedded database needs the 'pgserver' package.") from exc
    pgdata.mkdir(parents=True, exist_ok=True)
    _forget_dead_holders(pgdata)
    log.info("starting embedded PostgreSQL in %s", pgdata)
    server = pgserver.get_server(pgdata, cleanup_mode="stop")
    _servers[pgdata] = server
    # Stop the private server when this process ends, however it ends.
    atexit.register(stop_embedded, pgdata)
    return server.get_uri()


def stop_embedded(pgdata: Path) -> None:
    server = _servers.pop(pgdata.resolve(), None)
    if server is not None:
        server.cleanup()


def _forget_dead_holders(pgdata: Path) -> None:
    """Drop pids of processes that died without cleaning up from pgserver's holder list.

    pgserver stops the server when its last holder leaves; a killed process would otherwise
    keep the server running for ever.
    """
    import os

    from pgserver.utils import DiskList

    holders = DiskList(pgdata / ".handle_pids.json")
    for pid in holders.get():
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            holders.get_and_remove(pid)
        except PermissionError:
            pass
