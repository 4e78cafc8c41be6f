"""Where the non-Python parts live: the source tree in development, package data in a wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_REPO = _PACKAGE.parents[1]


def _pick(packaged: str, top_level: str) -> Path:
    inside = _PACKAGE / packaged
    return inside if inside.is_dir() else _REPO / top_level


def migrations_dir() -> Path:
    return _pick("_migrations", "migrations")


def templates_dir() -> Path:
    return _pick("_templates", "templates")


def static_dir() -> Path:
    return _pick("_static", "static")


def locale_dir() -> Path:
    return _PACKAGE / "locale"
