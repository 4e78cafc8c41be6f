"""The secret key when none is configured: generated once and kept in the database.

Every process of a deployment — app processes, workers, other machines — must sign with the same
key (CSRF tokens made by one are checked by another). A file in each machine's data folder gives
each machine its own key, and two processes starting at once could each write one; a row created
with INSERT … ON CONFLICT DO NOTHING and read back gives all of them the first key ever made.
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from resourcepool.db import sql
from resourcepool.settings import reset_settings

log = logging.getLogger(__name__)


async def ensure_secret_key(legacy_file: Path | None = None) -> str:
    """The deployment's key: the stored one, else a new one stored now (atomically).

    A key that an earlier version generated into `legacy_file` becomes the stored key, so
    sessions and forms of the running deployment stay valid across the upgrade."""
    candidate = _legacy_key(legacy_file) or secrets.token_urlsafe(48)
    await sql.execute(
        "INSERT INTO app_secret (name, value) VALUES ('secret_key', $1) ON CONFLICT (name) DO NOTHING",
        candidate,
    )
    # Read back in a new statement: a concurrent first insert has committed by now (the
    # INSERT above waited for it), so every process sees the same row.
    return await sql.fetch_value("SELECT value FROM app_secret WHERE name = 'secret_key'")


def use_secret_key(key: str) -> None:
    """Make `key` this process's configured key (get_settings() and child processes see it).

    `serve --workers N` starts its app processes with the parent's environment: they get the key
    the parent read without each reaching the database before their app exists."""
    os.environ["RESOURCEPOOL_SECRET_KEY"] = key
    reset_settings()


def _legacy_key(path: Path | None) -> str | None:
    if path is None:
        return None
    try:
        key = path.read_text().strip()
    except (FileNotFoundError, PermissionError, IsADirectoryError):
        return None
    return key if 32 <= len(key) <= 512 else None
