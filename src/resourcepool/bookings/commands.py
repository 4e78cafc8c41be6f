"""`resourcepool admin sweep-bookings`: run the booking sweeper once (expire, complete, purge)."""

from __future__ import annotations

import argparse
import asyncio

from resourcepool.cli import with_database


def cmd_sweep(args: argparse.Namespace) -> None:
    from resourcepool.bookings.sweeper import sweep_once

    result = asyncio.run(with_database(sweep_once))
    print("resourcepool: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in result.items()))


def register(admin: argparse._SubParsersAction) -> None:
    p = admin.add_parser(
        "sweep-bookings",
        help="expire undecided requests, complete past bookings, purge old idempotency keys",
        description="The same sweep the server runs every minute; safe to run at any time.",
    )
    p.set_defaults(func=cmd_sweep)
