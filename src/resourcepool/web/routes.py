"""Every controller of the app, listed once (pages, then API)."""

from __future__ import annotations

from resourcepool.web.api.health import HealthApi
from resourcepool.web.pages.home import HomePages

# --- pages -----------------------------------------------------------------------------
PAGES: list[type] = [
    HomePages,
    # accounts
    # organisations
    # assets
    # bookings
]

# --- JSON API (/api/v1) ----------------------------------------------------------------
API: list[type] = [
    # accounts
    # organisations
    # assets
    # bookings
]

OTHER: list[type] = [HealthApi]
