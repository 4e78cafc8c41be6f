"""`resourcepool admin …`: each domain adds its sub-commands from its own `commands.py`.

A domain's `register(subparsers)` adds parsers whose `func(args)` does the work; a bad
argument raises cli.CommandError (one line, exit 2).
"""

from __future__ import annotations

import argparse
import importlib

DOMAINS = (
    "resourcepool.organisations.commands",
    "resourcepool.accounts.commands",
    "resourcepool.assets.commands",
    "resourcepool.bookings.commands",
)


def register(admin: argparse._SubParsersAction) -> None:
    for name in DOMAINS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(admin)
