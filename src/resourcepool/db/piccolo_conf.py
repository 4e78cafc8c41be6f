"""Piccolo's configuration module: the engine and the app registry (for the migration runner)."""

from piccolo.conf.apps import AppRegistry

from resourcepool.db.engine import DB

__all__ = ["DB", "APP_REGISTRY"]

APP_REGISTRY = AppRegistry(apps=["resourcepool.db.piccolo_app"])
