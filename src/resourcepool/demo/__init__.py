"""The demo network "Quartiersnetz Herten-Mitte": organisations, people, assets, a year of bookings.

Each domain loads its part (demo/platform.py, demo/catalogue.py, demo/bookings.py) and hands
on a DemoContext so the next part can refer to what came before.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from resourcepool.db import sql

DEMO_PASSWORD = "Herten-Mitte-2026"


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
    """Load the demo data if the database holds no network yet; return the demo logins."""
    context = DemoContext()
    empty = await sql.fetch_value("SELECT NOT EXISTS (SELECT 1 FROM network)")
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
