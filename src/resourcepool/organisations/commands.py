"""`resourcepool admin create-network | create-coordinator`."""

from __future__ import annotations

import argparse
import asyncio
import sys

from resourcepool.cli import CommandError, with_database
from resourcepool.errors import DomainError


def _run(work) -> object:  # type: ignore[no-untyped-def]
    async def guarded() -> object:
        try:
            return await work()
        except DomainError as exc:
            raise CommandError(str(exc)) from None

    return asyncio.run(with_database(guarded))


def cmd_create_network(args: argparse.Namespace) -> None:
    from resourcepool.organisations.service import create_network

    async def work():  # type: ignore[no-untyped-def]
        return await create_network(args.slug, args.name, timezone=args.timezone, locale=args.locale,
                                    public_catalogue=args.public_catalogue)

    network = _run(work)
    print(f"resourcepool: network {network.slug!r} created ({network.name}, {network.timezone})")  # type: ignore[attr-defined]


def cmd_create_coordinator(args: argparse.Namespace) -> None:
    from resourcepool.accounts.service import find_user_by_email
    from resourcepool.organisations.service import create_coordinator

    password = args.password
    if password is None and not sys.stdin.isatty():
        # Scripts pipe it in, so it never shows in the process list or shell history.
        password = sys.stdin.readline().rstrip("\r\n") or None

    async def work():  # type: ignore[no-untyped-def]
        existing = await find_user_by_email(args.email)
        if existing is None and password is None:
            raise CommandError("a new user needs --password (or the password on standard input)")
        user_id = await create_coordinator(args.network, args.email, args.name, password)
        return user_id, existing is None

    user_id, created = _run(work)  # type: ignore[misc]
    what = "new user" if created else "existing user"
    print(f"resourcepool: {args.email} ({what} #{user_id}) coordinates {args.network!r}")


def register(admin: argparse._SubParsersAction) -> None:
    p = admin.add_parser("create-network", help="create a network")
    p.add_argument("--slug", required=True, help="short name in URLs: lower-case letters, digits, hyphens")
    p.add_argument("--name", required=True)
    p.add_argument("--timezone", default="Europe/Berlin", help="IANA name (default Europe/Berlin)")
    p.add_argument("--locale", default="de", choices=("de", "en"))
    p.add_argument("--public-catalogue", action="store_true", help="show the catalogue to visitors")
    p.set_defaults(func=cmd_create_network)

    p = admin.add_parser("create-coordinator", help="make a user (created if needed) coordinator of a network")
    p.add_argument("--network", required=True, help="the network's slug")
    p.add_argument("--email", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--password", help="for a new user (visible in the process list; prefer a pipe)")
    p.set_defaults(func=cmd_create_coordinator)
