"""Database: the Piccolo engine, the embedded server, the pool and the migration runner."""

import os

# Piccolo's migration runner finds its configuration through this module path.
os.environ.setdefault("PICCOLO_CONF", "resourcepool.db.piccolo_conf")
