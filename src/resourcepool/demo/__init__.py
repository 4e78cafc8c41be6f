"""The demo network "Quartiersnetz Herten-Mitte"."""

from __future__ import annotations


async def load_demo() -> list[tuple[str, str, str]]:
    """Load the demo data if the database is empty; return (email, password, description) logins."""
    return []
