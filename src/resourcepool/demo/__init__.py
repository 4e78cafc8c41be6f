"""The demo network "Quartiersnetz Herten-Mitte": organisations, people, assets, a year of bookings.

Each domain loads its part (demo/platform.py, demo/catalogue.py, demo/bookings.py) and hands
on a DemoContext so the next part can refer to what came before.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from resourcepool.db import sql

DEMO_PASSWORD = "Herten-Mitte-2026"
# Its presence tells that the demo was loaded into this database (demo/platform.py creates it).
DEMO_NETWORK_SLUG = "herten-mitte"


@dataclass
class DemoContext:
    # keys are short stable names, e.g. "buergerhaus", "parish"
    networks: dict[str, int] = field(default_factory=dict)
    organisations: dict[str, int] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)
    assets: dict[str, int] = field(default_factory=dict)
    # (email, password, what the login is for) printed by `resourcepool demo`
    logins: list[tuple[str, str, str]] = field(default_factory=list)


PARTS = ("platform", "catalogue", "bookings")


async def load_demo() -> list[tuple[str, str, str]]:
    """Load the demo data if the database holds no network yet; return the demo logins.

    A database with networks of its own gets nothing and shows no logins: printing demo
    passwords for accounts that do not exist there would only mislead.
    """
    context = DemoContext()
    empty = await sql.fetch_value("SELECT NOT EXISTS (SELECT 1 FROM network)")
    demo_present = empty or await sql.fetch_value(
        "SELECT EXISTS (SELECT 1 FROM network WHERE slug = $1)", DEMO_NETWORK_SLUG
    )
    if not demo_present:
        return []
    for part in PARTS:
        try:
            module = importlib.import_module(f"resourcepool.demo.{part}")
        except ModuleNotFoundError:
            continue
        if empty:
            await module.load(context)
        else:
            describe = getattr(module, "describe_logins", None)
            if describe:
                context.logins.extend(describe())
    return context.logins
