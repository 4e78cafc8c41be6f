"""`resourcepool admin generate`: large synthetic data for benchmarks (COPY, a few minutes)."""

from __future__ import annotations

import argparse
import asyncio

from resourcepool.cli import CommandError, with_database


def cmd_generate(args: argparse.Namespace) -> None:
    if args.assets < 1 or args.assets > 1_000_000:
        raise CommandError("--assets must be from 1 to 1,000,000")
    if args.bookings < 0 or args.bookings > 100_000_000:
        raise CommandError("--bookings must be from 0 to 100,000,000")
    if args.networks < 1 or args.networks > 1000:
        raise CommandError("--networks must be from 1 to 1,000")
    from resourcepool.assets.generate import generate

    print(f"resourcepool: generating {args.assets:,} assets and {args.bookings:,} bookings "
          f"in {args.networks} networks (seed {args.seed})")

    async def work():
        return await generate(args.assets, args.bookings, args.networks, args.seed)

    report = asyncio.run(with_database(work))
    for line in report.lines():
        print("  " + line)


def register(admin: argparse._SubParsersAction) -> None:
    p = admin.add_parser(
        "generate",
        help="write synthetic networks, organisations, assets and bookings (for benchmarks)",
        description="Adds data next to what is there; bookings never overlap per asset.",
    )
    p.add_argument("--assets", type=int, required=True)
    p.add_argument("--bookings", type=int, required=True)
    p.add_argument("--networks", type=int, default=3)
    p.add_argument("--seed", type=int, default=1)
    p.set_defaults(func=cmd_generate)
